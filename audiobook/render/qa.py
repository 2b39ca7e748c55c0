"""Clip QA: a clip is rejected when it is empty, far too long or short for its text (engines
that repeat and run on; engines that truncate), or mostly silence. The narrator retries such a
clip, then synthesises it in smaller pieces, before failing with the segment named."""

from __future__ import annotations

import statistics
import threading

from audiobook.providers import Audio

FRAME_SECONDS = 0.02
VOICED_RMS = 300  # 16-bit sample RMS above which a 20 ms frame counts as sound (about -40 dBFS)


def voiced_fraction(audio: Audio) -> float:
    size = max(1, int(audio.sample_rate * FRAME_SECONDS))
    import numpy as np

    samples = np.frombuffer(audio.pcm[: len(audio.pcm) // 2 * 2], dtype="<i2")
    frames = len(samples) // size
    if not frames:
        return 0.0
    blocks = samples[: frames * size].reshape(frames, size).astype(np.float32)
    rms = np.sqrt((blocks * blocks).mean(axis=1))
    return float((rms > VOICED_RMS).mean())


MIN_SAMPLES = 5  # accepted clips of a voice before its own pace is trusted
MIN_CHARS = 30  # shorter texts say little about a pace
LONG, LONG_SLACK = 1.7, 0.8  # longer than this times the voice's expected length, + seconds
SHORT = 0.6  # shorter than this times it


class Pace:
    """The characters per second each voice shows in this run: the median of its accepted
    clips (at speed 1), so that QA judges a clip by the voice that made it, not by a guess
    for the engine that misses a fast voice repeating itself or a slow one cut in half."""

    def __init__(self) -> None:
        self._seen: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def observe(self, voice: str, text: str, duration: float, speed: float) -> None:
        if len(text) >= MIN_CHARS and duration > 0:
            with self._lock:
                self._seen.setdefault(voice, []).append(len(text) / duration / speed)

    def of(self, voice: str) -> float | None:
        with self._lock:
            seen = self._seen.get(voice, [])
            return statistics.median(seen) if len(seen) >= MIN_SAMPLES else None


def clip_problem(
    audio: Audio,
    text: str,
    chars_per_second: float | None,
    speed: float,
    measured: float | None = None,
) -> str | None:
    """Why this clip is not acceptable for `text`, or None when it is. `measured`: the
    voice's own pace in this run, which makes the length check strict both ways."""
    duration = audio.duration
    if not audio.pcm or duration < 0.05:
        return "the clip is empty"
    if measured and len(text) >= MIN_CHARS:
        expected = len(text) / (measured * speed)
        if duration > LONG * expected + LONG_SLACK:
            return (f"{duration:.1f} s is too long for {len(text)} characters at this voice's "
                    f"{measured:.0f} a second")  # fmt: skip
        if duration < SHORT * expected:
            return (f"{duration:.1f} s is too short for {len(text)} characters at this voice's "
                    f"{measured:.0f} a second")  # fmt: skip
    elif chars_per_second:
        expected = len(text) / (chars_per_second * speed)
        if duration > 2.5 * expected + 1.5:
            return f"{duration:.1f} s is far too long for {len(text)} characters"
        if len(text) >= 40 and duration < 0.3 * expected:
            return f"{duration:.1f} s is far too short for {len(text)} characters"
    if duration >= 1.0 and voiced_fraction(audio) < 0.15:
        return "the clip is mostly silence"
    return None
