"""The narrator: plans every clip of the chosen chapters and synthesises the ones not yet cached."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from audiobook.model import Chapter
from audiobook.providers import Audio, ProviderError, TTSProvider
from audiobook.render.job import Job, clip_key
from audiobook.text.chunk import chunk_text, is_speakable
from audiobook.text.normalize import normalize

CHUNK_PAUSE = 0.25
TITLE_PAUSE = 1.2


@dataclass
class Clip:
    chapter: int  # position among the chapters being rendered
    text: str
    voice: str
    key: str
    pause_after: float


@dataclass
class Plan:
    titles: list[str]
    clips: list[Clip]

    def chapter_clips(self, index: int) -> list[Clip]:
        return [c for c in self.clips if c.chapter == index]


@dataclass
class NarrationStats:
    made: int = 0
    reused: int = 0
    retried: int = 0
    synth_seconds: float = 0.0  # time spent inside the provider
    audio_seconds: float = 0.0  # audio produced by this run
    failures: list[str] = field(default_factory=list)


def plan_clips(
    chapters: list[Chapter],
    provider: TTSProvider,
    voice: str,
    speed: float,
    paragraph_pause: float,
    chapter_pause: float,
    language: str | None = "en",
) -> Plan:
    identity = provider.cache_identity()
    clips: list[Clip] = []

    def add(index: int, text: str, pause: float) -> None:
        spoken = normalize(text, language)
        chunks = [c for c in chunk_text(spoken, provider.max_chars) if is_speakable(c)]
        for n, chunk in enumerate(chunks):
            key = clip_key(provider.name, identity, voice, speed, chunk)
            last = n == len(chunks) - 1
            clips.append(Clip(index, chunk, voice, key, pause if last else CHUNK_PAUSE))

    for index, chapter in enumerate(chapters):
        add(index, chapter.title, TITLE_PAUSE)
        for paragraph in chapter.paragraphs:
            add(index, paragraph.text, paragraph_pause)
        chapter_clips = [c for c in clips if c.chapter == index]
        if chapter_clips:
            chapter_clips[-1].pause_after = chapter_pause
    return Plan([c.title for c in chapters], clips)


class NarrationFailed(Exception):
    def __init__(self, clip: Clip, cause: Exception, stats: NarrationStats) -> None:
        super().__init__(str(cause))
        self.clip = clip
        self.cause = cause
        self.stats = stats


def _synthesize_checked(provider: TTSProvider, clip: Clip, speed: float) -> Audio:
    audio = provider.synthesize(clip.text, clip.voice, speed=speed)
    if audio.encoded is not None and not audio.pcm:
        from audiobook.render.decode import decode_audio

        audio = decode_audio(audio)
    if not audio.pcm or not audio.sample_rate:
        raise ProviderError(f"{provider.name} returned no audio")
    return audio


def narrate(
    plan: Plan,
    provider: TTSProvider,
    job: Job,
    speed: float,
    on_clip: Callable[[Clip, bool], None] | None = None,
    concurrency: int | None = None,
    attempts: int = 3,
) -> NarrationStats:
    """Synthesise every clip of the plan that the job folder does not hold yet.

    on_clip(clip, reused) is called once per clip as it becomes available.
    """
    stats = NarrationStats()
    job.remove_stale_temporaries()
    todo: list[Clip] = []
    seen: set[str] = set()
    for clip in plan.clips:
        if clip.key in seen:
            continue
        seen.add(clip.key)
        if job.has_clip(clip.key):
            stats.reused += 1
            if on_clip:
                on_clip(clip, True)
        else:
            todo.append(clip)
    lock = threading.Lock()

    def work(clip: Clip) -> Clip:
        for attempt in range(1, attempts + 1):
            started = time.perf_counter()
            try:
                audio = _synthesize_checked(provider, clip, speed)
            except ProviderError as e:
                if not e.retryable or attempt == attempts:
                    raise NarrationFailed(clip, e, stats) from e
                with lock:
                    stats.retried += 1
                time.sleep(min(8.0, 0.5 * 2 ** (attempt - 1)))
                continue
            except Exception as e:  # a plugin bug: report it with the clip, keep what was made
                raise NarrationFailed(clip, e, stats) from e
            elapsed = time.perf_counter() - started
            job.save_clip(clip.key, audio.pcm, audio.sample_rate)
            with lock:
                stats.made += 1
                stats.synth_seconds += elapsed
                stats.audio_seconds += audio.duration
            return clip
        raise AssertionError("unreachable")

    workers = max(1, concurrency or provider.concurrency)
    pending: set[Future] = set()
    queue = iter(todo)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="narrator") as pool:
        try:
            for clip in queue:
                pending.add(pool.submit(work, clip))
                if len(pending) >= workers * 2:
                    pending = _drain(pending, on_clip, stats, first_only=True)
            _drain(pending, on_clip, stats, first_only=False)
        except BaseException:
            for f in pending:
                f.cancel()
            raise
    return stats


def _drain(pending: set[Future], on_clip, stats: NarrationStats, first_only: bool) -> set[Future]:
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            clip = future.result()  # re-raises a provider failure
            if on_clip:
                on_clip(clip, False)
        if first_only:
            break
    return pending
