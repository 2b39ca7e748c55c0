"""Orpheus TTS through Orpheus-FastAPI (port 5005)."""

from __future__ import annotations

from audiobook.plugin import (
    Audio,
    Health,
    HTTPService,
    Option,
    ProviderError,
    TTSProvider,
    Voice,
    VoiceNotFound,
    audio_from_response,
    hookimpl,
    voice_ids,
)

# Orpheus' English voices and who they are (from the Orpheus model card).
KNOWN = {
    "tara": "female",
    "leah": "female",
    "jess": "female",
    "mia": "female",
    "zoe": "female",
    "leo": "male",
    "dan": "male",
    "zac": "male",
}


class OrpheusProvider(HTTPService, TTSProvider):
    name = "orpheus"
    options = (
        Option(
            "base_url", str, "http://127.0.0.1:5005", "Orpheus-FastAPI server", affects_audio=False
        ),
        Option("timeout", float, 180.0, "seconds to wait for one clip", affects_audio=False),
        Option("concurrency", int, 1, "requests at once", affects_audio=False),
    )
    # Long inputs skip or jumble sentences and drift: one to three sentences per request.
    max_chars = 300
    features = ("emotion_tags",)
    chars_per_second = 14.0
    start_hint = "audiobook compose --tts orpheus --gpu, then docker compose up -d"

    def __init__(self, **settings) -> None:
        super().__init__(**settings)
        self.concurrency = max(1, int(self.settings["concurrency"]))
        self._voices: list[Voice] | None = None

    def voices(self) -> list[Voice]:
        if self._voices is None:
            ids = voice_ids(self.name, self.base)
            self._voices = [
                Voice(i, i, "en" if i in KNOWN else None, KNOWN.get(i), tags=("emotion_tags",))
                for i in ids
            ]
        return self._voices

    def check_voice(self, voice: str) -> None:
        # An unknown voice silently becomes tara on the server: refuse it here instead.
        ids = [v.id for v in self.voices()]
        if voice not in ids:
            raise VoiceNotFound(f"orpheus has no voice '{voice}' (available: {', '.join(ids)})")

    def default_voice(self) -> str:
        ids = [v.id for v in self.voices()]
        return "tara" if "tara" in ids else ids[0]

    def synthesize(self, text: str, voice: str, *, speed: float = 1.0) -> Audio:
        self.check_voice(voice)
        body = {"input": text, "model": "orpheus", "voice": voice, "response_format": "wav"}
        response = self.call("POST", "/v1/audio/speech", json=body)
        # Orpheus ignores `speed`; the empty 44-byte WAV it sends when its model server is
        # down is refused by audio_from_response.
        return audio_from_response(self.name, response)

    def health(self) -> Health:
        # There is no /health route: the voices endpoint answers when the server is up.
        try:
            self._voices = None
            count = len(self.voices())
        except ProviderError as e:
            return self.unhealthy(e)
        return Health(True, f"Orpheus-FastAPI at {self.base}, {count} voices")


@hookimpl
def register_tts_providers(register):
    register(OrpheusProvider)
