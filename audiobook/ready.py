"""Servers that are still loading their model (Kokoro-FastAPI and vLLM answer 503 for the first
minute or so, a container that is starting refuses connections): waited for with backoff, up
to a limit, with a status line, instead of failing the run."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from audiobook.providers import Health, ProviderError

T = TypeVar("T")
FIRST_PAUSE = 1.0
LONGEST_PAUSE = 15.0


def loading(error: ProviderError) -> bool:
    """A server that is up but not ready: 503, or a message that says it is loading."""
    text = str(error).lower()
    return error.status == 503 or "loading" in text or "not ready" in text


class Readiness:
    """One deadline per run: `wait_seconds` from the first time a server is found loading."""

    def __init__(self, wait_seconds: float, say: Callable[[str], None] | None = None) -> None:
        self.wait_seconds = wait_seconds
        self.say = say or (lambda line: None)
        self.deadline: float | None = None

    def pause(self, error: ProviderError, attempt: int) -> bool:
        """Sleep before the next try and say why; False when the wait is over."""
        now = time.monotonic()
        if self.deadline is None:
            self.deadline = now + self.wait_seconds
        pause = min(LONGEST_PAUSE, FIRST_PAUSE * 2**attempt, self.deadline - now)
        if pause <= 0:
            return False
        self.say(f"waiting for the server to be ready ({error}); up to "
                 f"{self.deadline - now:.0f} s more")  # fmt: skip
        time.sleep(pause)
        return True

    def call(self, fn: Callable[[], T]) -> T:
        attempt = 0
        while True:
            try:
                found = fn()
                self.deadline = None  # ready again: a later reload gets its own wait
                return found
            except ProviderError as e:
                if not loading(e):
                    raise
                if not self.pause(e, attempt):
                    raise ProviderError(
                        f"{e}; still not ready after {self.wait_seconds:.0f} s "
                        "(raise tts.wait_ready or llm.wait_ready to wait longer)",
                        retryable=False,
                        status=e.status,
                    ) from None
                attempt += 1

    def health(self, provider) -> Health:
        """The provider's health, waited for while its server says it is loading."""

        def check() -> Health:
            health = provider.health()
            error = ProviderError(health.detail, status=503 if "503" in health.detail else None)
            if not health.ok and loading(error):
                raise error
            return health

        try:
            return self.call(check)
        except ProviderError as e:
            return Health(False, str(e))


class WaitingProvider:
    """A TTS provider whose calls wait while its server is loading (see `Readiness`);
    everything else is the provider's own."""

    def __init__(self, provider, readiness: Readiness) -> None:
        self.__dict__["_inner"] = provider
        self.__dict__["_readiness"] = readiness

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    def __setattr__(self, name: str, value) -> None:
        setattr(self._inner, name, value)

    def voices(self):
        return self._readiness.call(self._inner.voices)

    def check_voice(self, voice: str) -> None:
        self._readiness.call(lambda: self._inner.check_voice(voice))

    def default_voice(self) -> str:
        return self._readiness.call(self._inner.default_voice)

    def synthesize(self, text: str, voice: str, *, speed: float = 1.0):
        return self._readiness.call(lambda: self._inner.synthesize(text, voice, speed=speed))
