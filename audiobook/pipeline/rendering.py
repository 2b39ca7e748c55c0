"""Rendering: a script becomes audio chapter by chapter, each chapter mastered while later
ones are synthesised, then one M4B (or one file per chapter) assembled from the parts."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from audiobook.config import Settings
from audiobook.errors import UserError
from audiobook.model import Book
from audiobook.pipeline.backends import provider_voices, resolve_voice
from audiobook.providers import TTSProvider
from audiobook.ready import Readiness
from audiobook.render.asr import SpeechCheck
from audiobook.render.export import write_chapter_files
from audiobook.render.job import Job, book_id
from audiobook.render.master import (
    ChapterMark,
    MasterSettings,
    assemble,
    chapter_rate,
    master_chapter,
)
from audiobook.render.narrator import (
    Clip,
    NarrationFailed,
    NarrationStats,
    Plan,
    narrate,
    plan_clips,
)
from audiobook.render.progress import Progress
from audiobook.render.qa import Pace
from audiobook.report import say
from audiobook.script import Script


@dataclass
class ConvertResult:
    output: Path
    chapters: list[ChapterMark]
    duration: float
    stats: NarrationStats
    wall_seconds: float
    job_dir: Path
    clips: int
    provider: str = ""


def check_script_voices(script: Script, provider: TTSProvider) -> None:
    valid = {v.id for v in provider_voices(provider)}
    for segment in script.segments:
        if segment.voice and segment.voice not in valid:
            where = f'chapter {segment.chapter}: "{segment.text[:40]}"'
            raise UserError(f"{provider.name} has no voice '{segment.voice}' ({where})")


class Renderer:
    """One rendering of a script: its checks, its clips, and the chapters mastered so far."""

    def __init__(
        self,
        script: Script,
        settings: Settings,
        provider: TTSProvider,
        work_key: Path,
        fmt: str,
        show_progress: bool,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> None:
        health = Readiness(float(settings.get("tts.wait_ready")), say).health(provider)
        if not health.ok:  # before any work: a server down is one line, not a failed clip
            raise UserError(health.detail if provider.name in health.detail
                            else f"{provider.name}: {health.detail}")  # fmt: skip
        self.script, self.provider, self.fmt, self.show_progress = (
            script, provider, fmt, show_progress)  # fmt: skip
        self.narrator = resolve_voice(provider, settings.get("tts.voice"))
        check_script_voices(script, provider)
        self.speed = float(settings.get("tts.speed"))
        if not 0.25 <= self.speed <= 4.0:
            raise UserError(f"tts.speed must be between 0.25 and 4, got {self.speed}")
        self.pauses = (
            float(settings.get("output.paragraph_pause")),
            float(settings.get("output.chapter_pause")),
        )
        self.numbers = sorted(script.chapters)
        self.planned = [self.plan_chapter(i, n) for i, n in enumerate(self.numbers)]
        if not any(self.planned):
            raise UserError("nothing to read: the chosen chapters have no text")
        self.plan = Plan([script.chapters[n] for n in self.numbers], [])
        self.job = Job(settings.work_dir / book_id(work_key))
        chars = [sum(len(c.text) for c in clips) for clips in self.planned]
        self.progress = Progress(self.plan.titles, chars, show_progress, on_progress)
        self.master_settings = MasterSettings(
            settings.get("output.bitrate"), float(settings.get("output.loudness")), fmt
        )
        self.ear = SpeechCheck() if settings.get("tts.qa") == "asr" else None
        if self.ear is not None:
            self.ear.ready()  # a missing extra stops the run before any synthesis
        self.by_key: dict[str, list[Clip]] = defaultdict(list)  # a text used in several places
        self.waiting: dict[int, set[str]] = {}  # chapter index -> clip keys not yet made
        self.encoded: dict[int, Future] = {}
        self.rate: int | None = None  # the sample rate every chapter is mastered at
        self.stats = NarrationStats()
        self.pace = Pace()  # each voice's pace, learnt as clips are accepted: clip QA's yardstick
        self.credited: set[int] = set()
        self.made_this_run: set[str] = set()
        self.mastering = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mastering")

    def plan_chapter(self, index: int, number: int) -> list[Clip]:
        script = self.script
        chapter = Script(
            script.title,
            script.author,
            script.language,
            script.source,
            {number: script.chapters[number]},
            [s for s in script.segments if s.chapter == number],
        )
        clips = plan_clips(chapter, self.provider, self.narrator, self.speed, *self.pauses).clips
        for clip in clips:
            clip.chapter = index
        return clips

    def chapter_done(self, index: int) -> None:
        # Master a chapter as soon as its clips exist, while later ones are synthesised.
        if index not in self.encoded:
            if self.rate is None:
                self.rate = chapter_rate(self.plan, self.job, index)
            self.encoded[index] = self.mastering.submit(
                master_chapter, self.plan, self.job, index, self.rate, self.master_settings
            )

    def on_clip(self, clip: Clip, reused: bool) -> None:
        # A text repeated in the book is one clip, reported once: count every place it is used.
        for twin in self.by_key[clip.key]:
            if id(twin) in self.credited:
                continue
            self.credited.add(id(twin))
            self.progress.update(twin.chapter, len(twin.text), reused)
            keys = self.waiting[twin.chapter]
            keys.discard(clip.key)
            if not keys:
                self.chapter_done(twin.chapter)

    def narrate_chapter(self, index: int, clips: list[Clip]) -> None:
        for clip in clips:
            self.by_key[clip.key].append(clip)
        self.plan.clips.extend(clips)
        self.waiting[index] = {c.key for c in clips}
        try:
            self.stats.add(
                narrate(
                    Plan(self.plan.titles, clips),
                    self.provider,
                    self.job,
                    on_clip=self.on_clip,
                    done=self.made_this_run,
                    pace=self.pace,
                    ear=self.ear,
                )  # fmt: skip
            )
        except NarrationFailed as e:
            self.progress.finish()
            s, stats = e.stats, self.stats
            where = f"chapter {index + 1} ('{self.plan.titles[index][:40]}')"
            raise UserError(
                f'{self.provider.name} failed in {where} on "{e.clip.text[:50]}": {e.cause}. '
                f"{stats.made + stats.reused + s.made + s.reused} clips are saved; run the "
                "same command again to resume"
            ) from None

    def run(self, prepare: Callable[[int], None] | None) -> list:
        """Every chapter synthesised and mastered; the mastered parts, in order."""
        try:
            for index, number in enumerate(self.numbers):
                clips = self.planned[index]
                if prepare is not None:
                    prepare(number)
                    clips = self.plan_chapter(index, number)  # the LLM may change speakers
                if clips:
                    self.narrate_chapter(index, clips)
            self.progress.finish()
            if self.show_progress:
                what = "the M4B" if self.fmt == "m4b" else f"the {self.fmt} files"
                say(f"Mastering: finishing the last chapters and writing {what} ...")
            chapters = sorted(self.waiting)
            for index in chapters:
                self.chapter_done(index)
            return [self.encoded[i].result() for i in chapters]
        finally:
            self.progress.finish()
            self.mastering.shutdown(wait=True, cancel_futures=True)


def render(
    script: Script,
    book: Book,
    out: Path,
    settings: Settings,
    provider: TTSProvider,
    work_key: Path,
    *,
    fmt: str = "m4b",
    show_progress: bool = True,
    prepare: Callable[[int], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ConvertResult:
    """Synthesise the script chapter by chapter and master it. `prepare(number)` is called
    before each chapter is planned (the LLM refines the next chapter meanwhile);
    `on_progress(done, total)` is told the characters spoken so far, made or reused."""
    started = time.monotonic()
    renderer = Renderer(script, settings, provider, work_key, fmt, show_progress, on_progress)
    parts = renderer.run(prepare)
    titles = renderer.plan.titles
    if fmt == "m4b":
        marks, duration = assemble(parts, titles, book, renderer.job, out)
    else:
        marks, duration = write_chapter_files(parts, titles, book, out)
    return ConvertResult(out, marks, duration, renderer.stats, time.monotonic() - started,
                         renderer.job.root, len(renderer.plan.clips), provider.name)  # fmt: skip
