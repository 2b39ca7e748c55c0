"""An example audiobook plugin: a TTS provider that speaks Morse code."""

import math
import struct

from audiobook.plugin import Audio, Option, TTSProvider, Voice, hookimpl

CODE = {
    "a": ".-", "b": "-...", "c": "-.-.", "d": "-..", "e": ".", "f": "..-.", "g": "--.",
    "h": "....", "i": "..", "j": ".---", "k": "-.-", "l": ".-..", "m": "--", "n": "-.",
    "o": "---", "p": ".--.", "q": "--.-", "r": ".-.", "s": "...", "t": "-", "u": "..-",
    "v": "...-", "w": ".--", "x": "-..-", "y": "-.--", "z": "--..", "0": "-----",
    "1": ".----", "2": "..---", "3": "...--", "4": "....-", "5": ".....", "6": "-....",
    "7": "--...", "8": "---..", "9": "----.",
}  # fmt: skip
RATE = 8000


class MorseProvider(TTSProvider):
    name = "morse"
    options = (Option("unit_ms", int, 30, "length of one dot in milliseconds"),)
    max_chars = 200
    chars_per_second = None  # Morse is slow: no length check against speech pace

    def voices(self):
        return [Voice("beep", "600 Hz beep", "en"), Voice("buzz", "300 Hz buzz", "en")]

    def synthesize(self, text, voice, *, speed=1.0):
        self.check_voice(voice)
        unit = int(RATE * self.settings["unit_ms"] / 1000 / speed)
        freq = 600 if voice == "beep" else 300
        tone = [int(8000 * math.sin(2 * math.pi * freq * i / RATE)) for i in range(unit * 3)]
        samples = []
        for ch in text.lower():
            if ch in CODE:
                for symbol in CODE[ch]:
                    samples += tone[: unit if symbol == "." else unit * 3] + [0] * unit
                samples += [0] * (unit * 2)
            elif ch.isspace():
                samples += [0] * (unit * 4)
        return Audio(pcm=struct.pack(f"<{len(samples)}h", *samples), sample_rate=RATE)


@hookimpl
def register_tts_providers(register):
    register(MorseProvider)
