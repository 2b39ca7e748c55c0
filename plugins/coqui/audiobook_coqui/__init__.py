"""Coqui TTS's demo server (`tts-server`, port 5002) as a speech engine.

Written as a third party would: it imports only `audiobook.providers` and the helpers the core
exports for plugins, and needs no change to the core.
"""

from __future__ import annotations

from audiobook.plugin import (
    Audio,
    Health,
    HTTPService,
    Option,
    TTSProvider,
    Voice,
    VoiceNotFound,
    audio_from_response,
    hookimpl,
)


class CoquiProvider(HTTPService, TTSProvider):
    name = "coqui"
    options = (
        Option("base_url", str, "http://127.0.0.1:5002", "Coqui tts-server", affects_audio=False),
        Option("speakers", list, [], "speaker ids of a multi-speaker model (e.g. p225, p226)"),
        Option("language", str, "", "language id for multilingual models (e.g. en)"),
        Option(
            "endpoint",
            str,
            "api",
            "api (/api/tts) or openai (/v1/audio/speech)",
            affects_audio=False,
        ),
        Option("timeout", float, 180.0, "seconds per clip", affects_audio=False),
    )
    concurrency = 1  # the demo server handles one request at a time
    max_chars = 400
    health_path = "/"  # the demo page: there is no health route
    start_hint = "audiobook compose --tts coqui, then docker compose up -d"

    def voices(self) -> list[Voice]:
        speakers = self.settings.get("speakers") or []
        language = self.settings.get("language") or None
        if not speakers:
            return [Voice("default", "the model's voice", language)]
        return [Voice(s, s, language) for s in speakers]

    def check_voice(self, voice: str) -> None:
        ids = [v.id for v in self.voices()]
        if voice not in ids:
            raise VoiceNotFound(
                f"coqui has no voice '{voice}' (available: {', '.join(ids)}; "
                "list a model's speakers with tts.coqui.speakers)"
            )

    def synthesize(self, text: str, voice: str, *, speed: float = 1.0) -> Audio:
        self.check_voice(voice)
        speaker = "" if voice == "default" else voice
        if self.settings["endpoint"] == "openai":
            body = {
                "model": "tts",
                "input": text,
                "voice": speaker or None,
                "speed": speed,
                "response_format": "wav",
            }
            response = self.call("POST", "/v1/audio/speech", json=body)
        else:
            params = {"text": text, "speaker-id": speaker, "speaker_id": speaker}
            if self.settings.get("language"):
                params["language-id"] = params["language_id"] = self.settings["language"]
            response = self.call("GET", "/api/tts", params=params)
        return audio_from_response(self.name, response)

    def health(self) -> Health:
        found = super().health()
        return Health(True, f"Coqui tts-server at {self.base}") if found.ok else found


@hookimpl
def register_tts_providers(register):
    register(CoquiProvider)
