"""The provider interfaces plugins implement, and the value types they exchange with the core.

Plugins import from this module only (plus the helpers it re-exports), never core internals.
"""

from __future__ import annotations

import io
import struct
import wave
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, ClassVar

from audiobook.hookspecs import hookimpl

__all__ = [
    "Audio",
    "Completion",
    "Health",
    "LLMProvider",
    "Option",
    "ProviderError",
    "TTSProvider",
    "Voice",
    "VoiceNotFound",
    "hookimpl",
    "load_compose",
]


class ProviderError(Exception):
    """A provider could not do what was asked; the message names the provider and the cause.

    `retryable` marks transient failures (connection refused, timeout, 429, 5xx) that the core
    retries with backoff; anything else fails at once.
    """

    def __init__(self, message: str = "", *, retryable: bool = False, status: int | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.status = status


class VoiceNotFound(ProviderError):
    """The requested voice is not one the provider offers."""


@dataclass(frozen=True)
class Option:
    """A typed provider setting, read from `[tts.NAME]` / `[llm.NAME]` or AUDIOBOOK_ variables."""

    name: str
    type: type = str
    default: Any = None
    help: str = ""
    secret: bool = False
    # Options that change the sound (and so must be part of a clip's cache key).
    affects_audio: bool = True


@dataclass(frozen=True)
class Voice:
    id: str
    name: str = ""
    language: str | None = None
    gender: str | None = None  # "female", "male" or None when unknown
    speakers: int = 1
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Health:
    ok: bool
    detail: str = ""


@dataclass
class Audio:
    """Synthesised audio: 16-bit little-endian mono PCM at `sample_rate`.

    Providers that receive encoded audio (WAV) build it with `Audio.from_wav`; other encodings
    can be handed over as `Audio(encoded=bytes, encoding="mp3")` and the core decodes them.
    """

    pcm: bytes = b""
    sample_rate: int = 0
    encoded: bytes | None = None
    encoding: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def duration(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate if self.sample_rate else 0.0

    @classmethod
    def from_wav(cls, data: bytes) -> Audio:
        """Decode a RIFF/WAVE byte string (PCM 16-bit); raises ProviderError when it is not one."""
        if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
            raise ProviderError("expected a WAV file, got something else")
        try:
            with wave.open(io.BytesIO(data)) as w:
                if w.getsampwidth() != 2:
                    raise ProviderError(f"unsupported WAV sample width {w.getsampwidth()}")
                frames = w.readframes(w.getnframes())
                rate, channels = w.getframerate(), w.getnchannels()
        except (wave.Error, EOFError, struct.error) as e:
            raise ProviderError(f"unreadable WAV: {e}") from e
        if channels == 2:
            frames = _downmix_stereo(frames)
        elif channels != 1:
            raise ProviderError(f"unsupported channel count {channels}")
        return cls(pcm=frames, sample_rate=rate)

    def to_wav(self) -> bytes:
        buf = io.BytesIO()
        with wave.open(buf, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(self.sample_rate)
            w.writeframes(self.pcm)
        return buf.getvalue()


def _downmix_stereo(frames: bytes) -> bytes:
    import array

    a = array.array("h", frames)
    return array.array("h", ((a[i] + a[i + 1]) // 2 for i in range(0, len(a) - 1, 2))).tobytes()


class _Provider(ABC):
    name: ClassVar[str]
    options: ClassVar[tuple[Option, ...]] = ()

    def __init__(self, **settings: Any) -> None:
        values = {o.name: o.default for o in self.options}
        values.update(settings)
        self.settings = values

    def health(self) -> Health:
        return Health(True, "in-process")

    def compose(self) -> dict | None:
        """This provider's Docker Compose service snippet as data, or None when it needs none."""
        return None

    def cache_identity(self) -> dict[str, Any]:
        """What, besides voice and text, changes the output: part of every cache key."""
        return {o.name: _plain(self.settings.get(o.name)) for o in self.options if o.affects_audio}


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


class TTSProvider(_Provider):
    """A speech engine. `synthesize` is called from worker threads, up to `concurrency` at once."""

    max_chars: int = 400
    concurrency: int = 1
    # Characters of text per second at speed 1, for clip QA (too long, too short); None
    # turns the length check off for engines whose pace has nothing to do with text length.
    chars_per_second: float | None = 15.0
    # Tags such as "emotion" that the core may use when the engine understands them.
    features: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def voices(self) -> list[Voice]: ...

    @abstractmethod
    def synthesize(self, text: str, voice: str, *, speed: float = 1.0) -> Audio: ...

    def default_voice(self) -> str:
        voices = self.voices()
        if not voices:
            raise ProviderError(f"{self.name}: no voices are installed")
        return voices[0].id

    def check_voice(self, voice: str) -> None:
        """Raise VoiceNotFound with the list of voices when `voice` is not offered."""
        ids = [v.id for v in self.voices()]
        if voice not in ids:
            shown = ", ".join(ids[:12]) + (" ..." if len(ids) > 12 else "")
            raise VoiceNotFound(f"{self.name} has no voice '{voice}' (available: {shown})")


@dataclass
class Completion:
    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    finish_reason: str | None = None  # "stop", or "length" when max_tokens cut it off


class LLMProvider(_Provider):
    """A language model used by the analysis agents for structured answers.

    `complete` sends one chat request, asking the server to constrain the answer to `schema`
    where it can, always bounded by `max_tokens`; the core validates the JSON, repairs once,
    retries what is retryable and counts tokens.
    """

    @abstractmethod
    def complete(
        self,
        messages: list[dict[str, str]],
        *,
        schema: dict | None = None,
        max_tokens: int = 512,
        temperature: float = 0.0,
    ) -> Completion | str: ...

    def start_command(self) -> str:
        """How a user starts this provider's server (shown when it is down)."""
        return f"audiobook compose --llm {self.name} -o compose.yaml && docker compose up -d"

    def prepare(self, progress: Callable[[dict], None] | None = None) -> None:
        """Get ready before the first request, once per run: check that the model is there,
        or fetch it when the user allowed it (`--pull` sets an option named "pull" on the
        providers that declare one). `progress` takes dicts with "status", and "completed"
        and "total" in bytes. Raise ProviderError with the fix when it cannot be done."""


def load_compose(package: str, filename: str = "compose.yaml") -> dict:
    """Read a plugin's shipped Compose snippet (package data) as a dict."""
    import yaml

    text = resources.files(package).joinpath(filename).read_text(encoding="utf-8")
    return yaml.safe_load(text)
