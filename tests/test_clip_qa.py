"""Clip QA in the narrator: bad clips are retried, then made in smaller pieces, and what still
fails stops the run naming the clip; nothing bad is ever saved as a clip."""

from __future__ import annotations

import math
import struct

import pytest

from audiobook.providers import Audio, ProviderError, TTSProvider, Voice
from audiobook.render.job import Job
from audiobook.render.narrator import Clip, NarrationFailed, Plan, narrate
from audiobook.render.qa import clip_problem

RATE = 16000
TEXT = "The clocks had all stopped at seven minutes past three, and nobody knew why."


def tone(seconds: float, amplitude: int = 6000) -> Audio:
    n = int(seconds * RATE)
    samples = (int(amplitude * math.sin(i * 2 * math.pi * 220 / RATE)) for i in range(n))
    return Audio(pcm=struct.pack(f"<{n}h", *samples), sample_rate=RATE)


def speech_length(text: str) -> float:
    return len(text) / 15


class Scripted(TTSProvider):
    """Answers from a script of behaviours, then speaks properly."""

    name = "scripted"

    def __init__(self, script):
        super().__init__()
        self.script = list(script)
        self.calls: list[str] = []

    def voices(self):
        return [Voice("v")]

    def synthesize(self, text, voice, *, speed=1.0):
        self.calls.append(text)
        step = self.script.pop(0) if self.script else "good"
        if step == "empty":
            return Audio(pcm=b"", sample_rate=RATE)
        if step == "long":
            return tone(3 * speech_length(text) + 2)
        if step == "silence":
            return tone(speech_length(text), amplitude=20)
        if step == "503":
            raise ProviderError("scripted answered 503: loading", retryable=True, status=503)
        if step == "400":
            raise ProviderError("scripted answered 400: bad voice", status=400)
        return tone(speech_length(text))


def run(tmp_path, script):
    provider = Scripted(script)
    plan = Plan(["One"], [Clip(0, TEXT, "v", "k" * 64, 0.5)])
    stats = narrate(plan, provider, Job(tmp_path / "job"), backoff=0.01)
    return provider, stats


@pytest.mark.parametrize("bad", ["empty", "long", "silence"])
def test_a_bad_clip_is_made_again_in_smaller_pieces(tmp_path, bad):
    provider, stats = run(tmp_path, [bad])
    assert stats.made == 1 and stats.retried == 1
    assert len(provider.calls) >= 3 and all(len(c) < len(TEXT) for c in provider.calls[1:])
    assert " ".join(provider.calls[1:]).split() == TEXT.split()


def test_503_while_loading_is_retried_with_the_same_text(tmp_path):
    provider, stats = run(tmp_path, ["503", "503"])
    assert stats.made == 1 and stats.retried == 2 and provider.calls == [TEXT] * 3


def test_what_keeps_failing_stops_the_run_naming_the_clip(tmp_path):
    with pytest.raises(NarrationFailed) as failure:
        run(tmp_path, ["long"] * 20)
    assert failure.value.clip.text == TEXT and "far too long" in str(failure.value.cause)
    assert not list((tmp_path / "job").rglob("*.wav"))
    with pytest.raises(NarrationFailed, match="400: bad voice"):
        run(tmp_path, ["400"])


def test_clip_problem_thresholds():
    assert clip_problem(tone(speech_length(TEXT)), TEXT, 15, 1.0) is None
    assert "far too long" in clip_problem(tone(3 * speech_length(TEXT) + 2), TEXT, 15, 1.0)
    assert "far too short" in clip_problem(tone(0.5), TEXT, 15, 1.0)
    assert "mostly silence" in clip_problem(tone(5, amplitude=10), TEXT, 15, 1.0)
    assert clip_problem(tone(20), TEXT, None, 1.0) is None  # no pace: no length check
    assert clip_problem(tone(speech_length(TEXT) / 2), TEXT, 15, 2.0) is None  # faster speed
