"""Clip QA: a clip is rejected when it is empty, far too long or short for its text (engines
that repeat and run on; engines that truncate), or mostly silence. The narrator retries such a
clip, then synthesises it in smaller pieces, before failing with the segment named."""

from __future__ import annotations

import array
import math

from audiobook.providers import Audio

FRAME_SECONDS = 0.02
VOICED_RMS = 300  # 16-bit sample RMS above which a 20 ms frame counts as sound (about -40 dBFS)


def voiced_fraction(audio: Audio) -> float:
    size = max(1, int(audio.sample_rate * FRAME_SECONDS))
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy comes with every engine we ship
        return _voiced_fraction_python(audio, size)
    samples = np.frombuffer(audio.pcm[: len(audio.pcm) // 2 * 2], dtype="<i2")
    frames = len(samples) // size
    if not frames:
        return 0.0
    blocks = samples[: frames * size].reshape(frames, size).astype(np.float32)
    rms = np.sqrt((blocks * blocks).mean(axis=1))
    return float((rms > VOICED_RMS).mean())


def _voiced_fraction_python(audio: Audio, size: int) -> float:
    samples = array.array("h", audio.pcm[: len(audio.pcm) // 2 * 2])
    frames = voiced = 0
    for start in range(0, len(samples) - size + 1, size):
        frame = samples[start : start + size]
        frames += 1
        # Every 4th sample is enough to tell speech from silence, at a quarter of the cost.
        energy = sum(x * x for x in frame[::4]) / len(frame[::4])
        if math.sqrt(energy) > VOICED_RMS:
            voiced += 1
    return voiced / frames if frames else 0.0


def clip_problem(
    audio: Audio, text: str, chars_per_second: float | None, speed: float
) -> str | None:
    """Why this clip is not acceptable for `text`, or None when it is."""
    duration = audio.duration
    if not audio.pcm or duration < 0.05:
        return "the clip is empty"
    if chars_per_second:
        expected = len(text) / (chars_per_second * speed)
        if duration > 2.5 * expected + 1.5:
            return f"{duration:.1f} s is far too long for {len(text)} characters"
        if len(text) >= 40 and duration < 0.3 * expected:
            return f"{duration:.1f} s is far too short for {len(text)} characters"
    if duration >= 1.0 and voiced_fraction(audio) < 0.15:
        return "the clip is mostly silence"
    return None
