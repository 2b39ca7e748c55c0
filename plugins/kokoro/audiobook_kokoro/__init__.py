"""Kokoro-82M: Kokoro-FastAPI over HTTP, or in-process with kokoro-onnx when a model file and a
voices file are configured."""

from __future__ import annotations

import re
import threading
from pathlib import Path

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

PCM_RATE = 24000  # Kokoro-FastAPI's raw PCM: 16-bit mono at 24 kHz
LANGUAGES = {
    "a": "en-us",
    "b": "en-gb",
    "e": "es",
    "f": "fr",
    "h": "hi",
    "i": "it",
    "j": "ja",
    "p": "pt-br",
    "z": "zh",
}
BLEND_PART = re.compile(r"^([a-z]{2}_[a-z0-9]+)(?:\((\d+(?:\.\d+)?)\))?$")


def describe(voice_id: str) -> tuple[str | None, str | None]:
    """(language, gender) from an id like af_bella: a US English, b UK English ...; f/m."""
    m = re.match(r"^([a-z])([fm])_", voice_id)
    if not m:
        return None, None
    return LANGUAGES.get(m.group(1)), {"f": "female", "m": "male"}[m.group(2)]


def blend_parts(voice: str) -> list[str] | None:
    """The voices of a blend (af_bella+af_sky, af_bella(2)+af_sky(1)), or None if malformed."""
    parts = []
    for piece in voice.split("+"):
        m = BLEND_PART.match(piece.strip())
        if not m:
            return None
        parts.append(m.group(1))
    return parts


class KokoroProvider(HTTPService, TTSProvider):
    name = "kokoro"
    options = (
        Option(
            "base_url", str, "http://127.0.0.1:8880", "Kokoro-FastAPI server", affects_audio=False
        ),
        Option("model_path", Path, None, "kokoro .onnx model file: run in-process, no server"),
        Option("voices_path", Path, None, "kokoro voices file (.bin/.npz) for in-process mode"),
        Option("language", str, "", "in-process phonemizer language (empty: from the voice id)"),
        Option(
            "response_format", str, "pcm", "pcm, wav or flac from the server", affects_audio=False
        ),
        Option("timeout", float, 120.0, "seconds to wait for one clip", affects_audio=False),
        Option(
            "concurrency", int, 1, "requests at once (one per server worker)", affects_audio=False
        ),
    )
    max_chars = 400
    start_hint = "audiobook compose --tts kokoro, then docker compose up -d"

    def __init__(self, **settings) -> None:
        super().__init__(**settings)
        if self.settings["response_format"] not in ("pcm", "wav", "flac"):
            raise ProviderError("response_format must be pcm, wav or flac")
        self.concurrency = max(1, int(self.settings["concurrency"]))
        self._voices: list[Voice] | None = None
        self._engine = None
        self._lock = threading.Lock()

    @property
    def in_process(self) -> bool:
        return bool(self.settings.get("model_path") and self.settings.get("voices_path"))

    # --- voices -------------------------------------------------------------------------------

    def voices(self) -> list[Voice]:
        if self._voices is None:
            ids = self._engine_voices() if self.in_process else self._server_voices()
            self._voices = [Voice(i, i, *describe(i)) for i in ids]
        return self._voices

    def _server_voices(self) -> list[str]:
        return voice_ids(self.name, self.base)

    def check_voice(self, voice: str) -> None:
        known = {v.id for v in self.voices()}
        parts = blend_parts(voice)
        missing = [p for p in parts or [voice] if p not in known]
        if parts is None or missing:
            shown = ", ".join(sorted(known)[:12])
            raise VoiceNotFound(
                f"kokoro has no voice '{voice}' (available: {shown} ...; blends "
                "like af_bella+af_sky)"
            )

    def default_voice(self) -> str:
        ids = [v.id for v in self.voices()]
        return next((i for i in ("af_heart", "af_bella", "af_sky") if i in ids), ids[0])

    # --- synthesis ----------------------------------------------------------------------------

    def synthesize(self, text: str, voice: str, *, speed: float = 1.0) -> Audio:
        if not 0.25 <= speed <= 4:
            raise ProviderError("kokoro takes speeds from 0.25 to 4")
        if self.in_process:
            return self._synthesize_onnx(text, voice, speed)
        fmt = self.settings["response_format"]
        body = {
            "model": "kokoro",
            "input": text,
            "voice": voice,
            "speed": speed,
            "response_format": fmt,
            "stream": False,
        }
        response = self.call("POST", "/v1/audio/speech", json=body)
        return audio_from_response(self.name, response, pcm_rate=PCM_RATE if fmt == "pcm" else None)

    def _load(self):
        with self._lock:
            if self._engine is None:
                try:
                    from kokoro_onnx import Kokoro
                except ImportError:
                    raise ProviderError(
                        "in-process mode needs kokoro-onnx: pip install "
                        "'audiobook-plugin-kokoro[onnx]'"
                    ) from None
                model, voices = (
                    Path(self.settings["model_path"]),
                    Path(self.settings["voices_path"]),
                )
                for path in (model, voices):
                    if not path.is_file():
                        raise ProviderError(f"no such file: {path}")
                try:
                    self._engine = Kokoro(str(model), str(voices))
                except Exception as e:
                    raise ProviderError(f"cannot load the Kokoro model: {e}") from None
            return self._engine

    def _engine_voices(self) -> list[str]:
        return sorted(self._load().get_voices())

    def _synthesize_onnx(self, text: str, voice: str, speed: float) -> Audio:
        import numpy as np

        engine = self._load()
        language = self.settings.get("language") or describe(voice)[0] or "en-us"
        style = voice
        if "+" in voice:  # blends: a weighted mean of the voices' style vectors
            parts = [BLEND_PART.match(p.strip()) for p in voice.split("+")]
            weights = np.array([float(m.group(2) or 1) for m in parts])
            vectors = [engine.get_voice_style(m.group(1)) for m in parts]
            style = sum(w * v for w, v in zip(weights / weights.sum(), vectors, strict=True))
            language = self.settings.get("language") or describe(parts[0].group(1))[0] or "en-us"
        try:
            samples, rate = engine.create(text, voice=style, speed=speed, lang=language)
        except Exception as e:
            raise ProviderError(f"kokoro-onnx failed: {e}") from None
        pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
        return Audio(pcm=pcm, sample_rate=int(rate))

    def health(self) -> Health:
        if self.in_process:
            try:
                return Health(True, f"in-process, {len(self.voices())} voices")
            except ProviderError as e:
                return Health(False, str(e))
        try:
            self.call("GET", self.health_path, timeout=(3, 10))
            count = len(self.voices())
        except ProviderError as e:
            return self.unhealthy(e)
        return Health(True, f"Kokoro-FastAPI at {self.base}, {count} voices")


@hookimpl
def register_tts_providers(register):
    register(KokoroProvider)
