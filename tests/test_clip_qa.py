"""Clip QA in the narrator: bad clips are retried, then made in smaller pieces, and what still
fails stops the run naming the clip; nothing bad is ever saved as a clip."""

from __future__ import annotations

import math
import struct

import pytest

from audiobook.providers import Audio, ProviderError, TTSProvider, Voice
from audiobook.render.job import Job
from audiobook.render.narrator import Clip, NarrationFailed, Plan, narrate
from audiobook.render.qa import Pace, clip_problem

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


class FastVoice(TTSProvider):
    """A voice at 22 characters a second (the engine's guess is 15), with glitches on call."""

    name = "fast"
    chars_per_second = 15.0

    def __init__(self, glitches: dict[int, str]):
        super().__init__()
        self.glitches = glitches
        self.calls: list[str] = []

    def voices(self):
        return [Voice("v")]

    def synthesize(self, text, voice, *, speed=1.0):
        self.calls.append(text)
        seconds = len(text) / 22 / speed
        glitch = self.glitches.pop(len(self.calls), None)
        if glitch == "thrice":
            seconds *= 3
        elif glitch == "half":
            seconds /= 2
        elif glitch == "slow":
            self.slow = text
        if text in getattr(self, "slow", ""):  # slow on this line, and on it when remade
            seconds *= 1.9
        return tone(seconds)


def _book(tmp_path, provider, lines: int = 12):
    texts = [f"{TEXT} Line {n} of the chapter goes on a little." for n in range(lines)]
    clips = [Clip(0, t, "v", f"{n:064d}", 0.3) for n, t in enumerate(texts)]
    pace = Pace()
    stats = narrate(Plan(["One"], clips), provider, Job(tmp_path / "job"), concurrency=1,
                    backoff=0.01, pace=pace)  # fmt: skip
    return stats, pace


@pytest.mark.parametrize("glitch", ["thrice", "half"])
def test_a_clip_wrong_for_this_voices_own_pace_is_remade(tmp_path, glitch):
    """Three times too long passes a 15-characters-a-second guess for a voice at 22; half
    length passes 0.3x of it. Judged by the voice's own median pace, both are remade."""
    plain = tone(3 * len(TEXT) / 22) if glitch == "thrice" else tone(len(TEXT) / 44)
    assert clip_problem(plain, TEXT, 15, 1.0) is None  # what the engine's guess lets through
    provider = FastVoice({9: glitch})
    stats, pace = _book(tmp_path, provider)
    assert stats.made == 12 and stats.retried == 1
    assert 21 < pace.of("v") < 23


def test_a_line_the_voice_is_simply_slow_on_costs_one_remake_never_the_run(tmp_path):
    stats, _ = _book(tmp_path, FastVoice({9: "slow"}))
    assert stats.made == 12 and stats.retried == 1
