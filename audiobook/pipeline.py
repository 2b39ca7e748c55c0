"""The convert pipeline: reader -> narrator -> mastering, with every check done before synthesis."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import click

from audiobook.config import Settings
from audiobook.errors import UserError
from audiobook.ingest import read_book
from audiobook.model import Book
from audiobook.plugins import Registry
from audiobook.providers import ProviderError, TTSProvider, VoiceNotFound
from audiobook.render.job import Job, book_id
from audiobook.render.master import ChapterMark, master
from audiobook.render.narrator import NarrationFailed, NarrationStats, narrate, plan_clips
from audiobook.render.progress import Progress
from audiobook.selection import parse_chapters

OUTPUT_SUFFIXES = (".m4b", ".m4a", ".mp4")


@dataclass
class ConvertResult:
    output: Path
    book: Book
    chapters: list[ChapterMark]
    duration: float
    stats: NarrationStats
    wall_seconds: float
    job_dir: Path
    clips: int


def make_tts(registry: Registry, settings: Settings, name: str | None = None) -> TTSProvider:
    name = name or settings.get("tts.provider")
    cls = registry.tts_class(name)
    try:
        return cls(**settings.provider_settings("tts", name))
    except ProviderError as e:
        raise UserError(f"{name}: {e}") from None


def resolve_voice(provider: TTSProvider, voice: str | None) -> str:
    try:
        if not voice:
            return provider.default_voice()
        provider.check_voice(voice)
        return voice
    except VoiceNotFound as e:
        raise UserError(str(e)) from None
    except ProviderError as e:
        raise UserError(f"{provider.name}: {e}") from None


def output_path(input_path: Path, output: str | Path | None) -> Path:
    if output is None:
        return Path.cwd() / (input_path.stem + ".m4b")
    path = Path(output)
    if path.is_dir():
        return path / (input_path.stem + ".m4b")
    if path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise UserError(f"output must end in .m4b (or .m4a/.mp4), got '{path.name}'")
    if not path.parent.exists():
        raise UserError(f"output folder does not exist: {path.parent}")
    return path


def convert(
    input_path: Path,
    output: str | Path | None,
    settings: Settings,
    registry: Registry,
    *,
    chapters: str | None = None,
    keep_front_matter: bool = False,
    title: str | None = None,
    author: str | None = None,
    show_progress: bool = True,
) -> ConvertResult:
    started = time.monotonic()
    out = output_path(input_path, output)
    provider = make_tts(registry, settings)
    voice = resolve_voice(provider, settings.get("tts.voice"))
    book = read_book(input_path, keep_front_matter=keep_front_matter)
    book.title = title or book.title
    book.author = author or book.author
    chosen = book.chapters
    if chapters:
        chosen = [book.chapters[i] for i in parse_chapters(chapters, len(book.chapters))]
    speed = float(settings.get("tts.speed"))
    if not 0.25 <= speed <= 4.0:
        raise UserError(f"tts.speed must be between 0.25 and 4, got {speed}")
    plan = plan_clips(
        chosen,
        provider,
        voice,
        speed,
        float(settings.get("output.paragraph_pause")),
        float(settings.get("output.chapter_pause")),
        book.language,
    )
    job = Job(settings.work_dir / book_id(input_path))
    chars = [sum(len(c.text) for c in plan.chapter_clips(i)) for i in range(len(chosen))]
    progress = Progress(plan.titles, chars, enabled=show_progress)
    by_key: dict[str, list] = defaultdict(list)
    for clip in plan.clips:
        by_key[clip.key].append(clip)

    def on_clip(clip, reused: bool) -> None:
        # A text repeated in the book is one clip, reported once: count every place it is used.
        for twin in by_key[clip.key]:
            progress.update(twin.chapter, len(twin.text), reused)

    try:
        stats = narrate(plan, provider, job, speed, on_clip=on_clip)
    except NarrationFailed as e:
        progress.finish()
        s = e.stats
        where = f"chapter {e.clip.chapter + 1} ('{plan.titles[e.clip.chapter][:40]}')"
        raise UserError(
            f'{provider.name} failed in {where} on "{e.clip.text[:50]}": {e.cause}. '
            f"{s.made + s.reused} clips are saved; run the same command again to resume"
        ) from None
    finally:
        progress.finish()
    if show_progress:
        click.echo("Mastering: measuring loudness and encoding the M4B ...", err=True)
    marks, duration = master(
        plan,
        book,
        job,
        out,
        bitrate=settings.get("output.bitrate"),
        loudness=float(settings.get("output.loudness")),
    )
    return ConvertResult(
        out, book, marks, duration, stats, time.monotonic() - started, job.root, len(plan.clips)
    )
