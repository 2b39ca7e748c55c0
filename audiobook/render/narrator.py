"""The narrator: plans every clip of the chosen chapters and synthesises the ones not yet cached."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from audiobook.http import retry_delay
from audiobook.model import Segment
from audiobook.providers import Audio, ProviderError, TTSProvider
from audiobook.render.asr import SpeechCheck
from audiobook.render.job import Job, clip_key
from audiobook.render.plan import Clip, Plan
from audiobook.render.qa import Pace, clip_problem
from audiobook.script import Script
from audiobook.text.chunk import chunk_text, is_speakable
from audiobook.text.emotion import engine_tag, strip_emotion_tags
from audiobook.text.normalize import normalize

CHUNK_PAUSE = 0.25
TITLE_PAUSE = 1.2


@dataclass
class NarrationStats:
    made: int = 0
    reused: int = 0
    retried: int = 0
    synth_seconds: float = 0.0  # time spent inside the provider
    failures: list[str] = field(default_factory=list)

    def add(self, other: NarrationStats) -> None:
        for name in ("made", "reused", "retried", "synth_seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures += other.failures


def spoken_text(segment: Segment, provider: TTSProvider, language: str | None) -> str:
    """What the engine is given for a line: the script's `say` where it sets one, else the
    text normalised for speech in the book's language, with the engine's emotion tag."""
    if segment.say is not None:
        return segment.say
    return normalize(speakable(segment.text, provider, segment.emotion), language)


def speakable(text: str, provider: TTSProvider, emotion: str | None) -> str:
    """Emotion tags go to engines that act on them and are taken out for the others."""
    text = strip_emotion_tags(text)
    tag = engine_tag(emotion)
    if tag and "emotion_tags" in provider.features:
        text = f"{tag} {text}"
    return text


def plan_clips(
    script: Script,
    provider: TTSProvider,
    narrator: str,
    speed: float,
    paragraph_pause: float,
    chapter_pause: float,
) -> Plan:
    """Every clip of the script in order: chapter titles in the narrator's voice, then each
    segment in its own voice, chunked to the provider's max_chars after normalisation."""
    identity = provider.cache_identity()
    clips: list[Clip] = []
    numbers = sorted(script.chapters)
    by_chapter: dict[int, list[Segment]] = {n: [] for n in numbers}
    for segment in script.segments:
        by_chapter[segment.chapter].append(segment)

    for index, number in enumerate(numbers):
        first = len(clips)
        title = normalize(script.chapters[number], script.language, heading=True)
        clips += _clips(provider, identity, index, title, narrator, speed, TITLE_PAUSE)
        segments = by_chapter[number]
        for i, segment in enumerate(segments):
            same_paragraph = (
                i + 1 < len(segments) and segments[i + 1].paragraph == segment.paragraph
            )
            pause = CHUNK_PAUSE if same_paragraph else paragraph_pause
            for clip in line_clips(
                segment, provider, narrator, speed, script.language, pause, identity
            ):
                clip.chapter = index
                clips.append(clip)
        if len(clips) > first:
            clips[-1].pause_after = chapter_pause
    return Plan([script.chapters[n] for n in numbers], clips)


def line_clips(
    segment: Segment,
    provider: TTSProvider,
    narrator: str,
    speed: float,
    language: str | None,
    pause: float = CHUNK_PAUSE,
    identity: dict | None = None,
) -> list[Clip]:
    """The clips of one script line, as a rendering makes them (the same keys, so a clip
    made for one line, on the review page say, is reused by the render)."""
    pace = speed * (segment.speed or 1.0)
    spoken = spoken_text(segment, provider, language)
    identity = provider.cache_identity() if identity is None else identity
    return _clips(provider, identity, 0, spoken, segment.voice or narrator, pace, pause)


def _clips(provider, identity, index: int, spoken: str, voice: str, pace: float, pause: float):
    chunks = [c for c in chunk_text(spoken, provider.max_chars) if is_speakable(c)]
    return [
        Clip(index, chunk, voice, clip_key(provider.name, identity, voice, pace, chunk),
             pause if n == len(chunks) - 1 else CHUNK_PAUSE, pace)
        for n, chunk in enumerate(chunks)
    ]  # fmt: skip


class NarrationFailed(Exception):
    def __init__(self, clip: Clip, cause: Exception, stats: NarrationStats) -> None:
        super().__init__(str(cause))
        self.clip = clip
        self.cause = cause
        self.stats = stats


class ClipRejected(ProviderError):
    """A clip that failed QA: worth another try, in smaller pieces."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=True)


def synthesize_checked(
    provider: TTSProvider,
    text: str,
    voice: str,
    speed: float,
    pace: Pace | None = None,
    ear: SpeechCheck | None = None,
) -> Audio:
    """A clip checked against the voice's pace in this run (`pace`), or, without it, only
    against the engine's rough one, and by ear when `ear` is given: a clip remade after a
    strict rejection is never failed by the strict checks again, so a voice that is simply
    slow on one line, or a word Whisper mishears, costs one remake, never the run."""
    audio = provider.synthesize(text, voice, speed=speed)
    if audio.encoded is not None and not audio.pcm:
        from audiobook.render.decode import decode_audio

        audio = decode_audio(audio)
    measured = pace.of(voice) if pace is not None else None
    problem = clip_problem(audio, text, provider.chars_per_second, speed, measured)
    if problem is None and ear is not None:
        problem = ear.problem(audio, text)
    if problem:
        raise ClipRejected(f"{provider.name}: {problem}")
    if pace is not None:
        pace.observe(voice, text, audio.duration, speed)
    return audio


PIECE_GAP = 0.15


def _in_pieces(provider: TTSProvider, clip: Clip) -> Audio:
    """The clip's text in two or more smaller requests, joined with short pauses."""
    limit = max(1, len(clip.text) // 2 + 1)
    pieces = [p for p in chunk_text(clip.text, limit) if is_speakable(p)] or [clip.text]
    parts: list[Audio] = [
        synthesize_checked(provider, piece, clip.voice, clip.speed) for piece in pieces
    ]
    rate = parts[0].sample_rate
    gap = b"\0\0" * int(rate * PIECE_GAP)
    pcm = gap.join(p.pcm for p in parts if p.sample_rate == rate)
    return Audio(pcm=pcm, sample_rate=rate)


def narrate(
    plan: Plan,
    provider: TTSProvider,
    job: Job,
    on_clip: Callable[[Clip, bool], None] | None = None,
    concurrency: int | None = None,
    attempts: int = 3,
    backoff: float = 0.5,
    done: set[str] | None = None,
    pace: Pace | None = None,
    ear: SpeechCheck | None = None,
) -> NarrationStats:
    """Synthesise every clip of the plan that the job folder does not hold yet.

    on_clip(clip, reused) is called once per clip as it becomes available. `done` holds the
    keys this run already made or reused (in earlier chapters): they are not counted again.
    `pace`: what this run has learnt of each voice's pace, for clip QA (kept across chapters).
    """
    stats = NarrationStats()
    job.remove_stale_temporaries()
    done = set() if done is None else done
    todo: list[Clip] = []
    seen: set[str] = set()
    for clip in plan.clips:
        if clip.key in seen:
            continue
        seen.add(clip.key)
        if clip.key in done:
            if on_clip:
                on_clip(clip, True)
        elif job.has_clip(clip.key):
            done.add(clip.key)
            stats.reused += 1
            if on_clip:
                on_clip(clip, True)
        else:
            todo.append(clip)
    lock = threading.Lock()

    def work(clip: Clip) -> Clip:
        """Synthesise with QA: a transient error is retried after a pause, a rejected clip is
        made again in smaller pieces; what still fails stops the run with the clip named."""
        error: Exception | None = None
        for attempt in range(1, attempts + 1):
            started = time.perf_counter()
            try:
                if isinstance(error, ClipRejected):
                    audio = _in_pieces(provider, clip)
                else:
                    audio = synthesize_checked(
                        provider, clip.text, clip.voice, clip.speed, pace, ear
                    )
            except ProviderError as e:
                error = e
                if not e.retryable or attempt == attempts:
                    break
                with lock:
                    stats.retried += 1
                if not isinstance(e, ClipRejected):
                    time.sleep(retry_delay(attempt, backoff, 8.0))
                continue
            except Exception as e:  # a plugin bug: report it with the clip, keep what was made
                raise NarrationFailed(clip, e, stats) from e
            elapsed = time.perf_counter() - started
            job.save_clip(clip.key, audio.pcm, audio.sample_rate)
            with lock:
                done.add(clip.key)
                stats.made += 1
                stats.synth_seconds += elapsed
            return clip
        raise NarrationFailed(clip, error or ProviderError("no audio"), stats)

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
