"""Built-in `tone` TTS provider: a soft tone as long as the text would take to read.

No speech: it exists for dry runs (check chapters and timing in seconds, not minutes), tests
and benchmarks, and is registered exactly like an external plugin.
"""

from __future__ import annotations

import functools
import math
import struct

from audiobook.providers import Audio, Option, TTSProvider, Voice, hookimpl

_RATE = 16000


class ToneProvider(TTSProvider):
    name = "tone"
    options = (
        Option("chars_per_second", float, 15.0, "reading speed the tone length imitates"),
        Option("frequency", float, 220.0, "pitch of the tone in Hz"),
    )
    max_chars = 400
    concurrency = 4

    @property
    def chars_per_second(self) -> float:  # type: ignore[override]
        return float(self.settings["chars_per_second"])

    def voices(self) -> list[Voice]:
        return [
            Voice("low", "Low tone", None, "male"),  # tones speak every language
            Voice("high", "High tone", None, "female"),
        ]

    def synthesize(self, text: str, voice: str, *, speed: float = 1.0) -> Audio:
        self.check_voice(voice)
        seconds = max(0.2, len(text) / float(self.settings["chars_per_second"]) / speed)
        freq = float(self.settings["frequency"]) * (2 if voice == "high" else 1)
        n = int(seconds * _RATE)
        return Audio(pcm=_tone(freq, n), sample_rate=_RATE)


def _tone(freq: float, n: int) -> bytes:
    """n samples of a sine, built from one repeated second: fast and cheap at any length."""
    second = _second(round(freq))
    whole, rest = divmod(n, _RATE)
    return second * whole + second[: rest * 2]


@functools.cache
def _second(freq: int) -> bytes:
    step = 2 * math.pi * freq / _RATE
    return struct.pack(f"<{_RATE}h", *(int(6000 * math.sin(i * step)) for i in range(_RATE)))


@hookimpl
def register_tts_providers(register):
    register(ToneProvider)
