"""Several endpoints of one provider (replicas behind Compose `deploy.replicas`, or one server
per GPU) used as one: each clip goes to the least busy endpoint in rotation, and an endpoint
that fails several times in a row is taken out of rotation for a while."""

from __future__ import annotations

import threading
import time

from audiobook.providers import Audio, Health, ProviderError, TTSProvider

FAILS_BEFORE_REST = 3
REST_SECONDS = 30.0


class EndpointPool(TTSProvider):
    def __init__(self, members: list[TTSProvider], *, rest_seconds: float = REST_SECONDS):
        self.members = members
        first = members[0]
        self.name = first.name
        self.options = first.options
        self.settings = dict(first.settings)
        self.max_chars = min(m.max_chars for m in members)
        self.concurrency = sum(m.concurrency for m in members)
        self.chars_per_second = first.chars_per_second
        self.features = first.features
        self.rest_seconds = rest_seconds
        self._lock = threading.Lock()
        self._busy = [0] * len(members)
        self._fails = [0] * len(members)
        self._rested_until = [0.0] * len(members)
        self.served = [0] * len(members)

    def voices(self):
        return self.members[0].voices()

    def check_voice(self, voice: str) -> None:
        self.members[0].check_voice(voice)

    def default_voice(self) -> str:
        return self.members[0].default_voice()

    def cache_identity(self):
        return self.members[0].cache_identity()  # the endpoint does not change the sound

    def health(self) -> Health:
        results = [m.health() for m in self.members]
        bad = [h.detail for h in results if not h.ok]
        if len(bad) == len(results):
            return Health(False, bad[0])
        return Health(True, f"{len(results) - len(bad)} of {len(results)} endpoints up"
                      + (f"; down: {bad[0]}" if bad else ""))  # fmt: skip

    def _pick(self) -> int:
        with self._lock:
            now = time.monotonic()
            ready = [i for i in range(len(self.members)) if self._rested_until[i] <= now]
            if not ready:
                raise ProviderError(
                    f"{self.name}: every endpoint failed repeatedly and is resting", retryable=True
                )
            load = [(self._busy[i] / max(1, self.members[i].concurrency), i) for i in ready]
            index = min(load)[1]
            self._busy[index] += 1
            return index

    def synthesize(self, text: str, voice: str, *, speed: float = 1.0) -> Audio:
        index = self._pick()
        try:
            audio = self.members[index].synthesize(text, voice, speed=speed)
        except ProviderError as e:
            with self._lock:
                self._fails[index] += 1
                if e.retryable and self._fails[index] >= FAILS_BEFORE_REST:
                    self._rested_until[index] = time.monotonic() + self.rest_seconds
                    self._fails[index] = 0
            raise
        finally:
            with self._lock:
                self._busy[index] -= 1
        with self._lock:
            self._fails[index] = 0
            self.served[index] += 1
        return audio
