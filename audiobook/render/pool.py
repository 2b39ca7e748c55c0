"""Several endpoints of one provider (replicas behind Compose `deploy.replicas`, or one server
per GPU) used as one. Each clip goes to the least busy endpoint in rotation; when it fails
there with a transient error it is tried at once on another endpoint, and the failing endpoint
is benched, for longer each time it fails again. Voices and health are asked of any endpoint
that answers, and every error names the endpoint it came from. A run goes on as long as one
endpoint works."""

from __future__ import annotations

import threading
import time

from audiobook.providers import Audio, Health, ProviderError, TTSProvider

BENCH_SECONDS = 5.0  # the first rest of a failing endpoint; doubled at each failure after
MAX_BENCH_SECONDS = 300.0


class EndpointPool(TTSProvider):
    def __init__(self, members: list[TTSProvider], *, bench_seconds: float = BENCH_SECONDS):
        self.members = members
        first = members[0]
        self.name = first.name
        self.options = first.options
        self.settings = dict(first.settings)
        self.max_chars = min(m.max_chars for m in members)
        self.concurrency = sum(m.concurrency for m in members)
        self.chars_per_second = first.chars_per_second
        self.features = first.features
        self.bench_seconds = bench_seconds
        self._lock = threading.Lock()
        self._busy = [0] * len(members)
        self._fails = [0] * len(members)  # failures in a row
        self._benched_until = [0.0] * len(members)
        self.served = [0] * len(members)

    def where(self, index: int) -> str:
        return str(self.members[index].settings.get("base_url") or f"endpoint {index + 1}")

    def _named(self, error: ProviderError, index: int) -> ProviderError:
        where = self.where(index)
        if where in str(error):
            return error
        return ProviderError(
            f"{error} (at {where})", retryable=error.retryable, status=error.status
        )

    def _in_order(self) -> list[int]:
        """Endpoints not benched first, then the benched ones, soonest back first."""
        now = time.monotonic()
        ready = [i for i in range(len(self.members)) if self._benched_until[i] <= now]
        benched = sorted(
            set(range(len(self.members))) - set(ready), key=self._benched_until.__getitem__
        )
        return ready + benched

    def _ask_any(self, call):
        """`call(member)` on the first endpoint that answers."""
        first: ProviderError | None = None
        for index in self._in_order():
            try:
                return call(self.members[index])
            except ProviderError as e:
                first = first or self._named(e, index)
                if not e.retryable:
                    raise first from None
        assert first is not None
        raise first

    def voices(self):
        return self._ask_any(lambda m: m.voices())

    def check_voice(self, voice: str) -> None:
        self._ask_any(lambda m: m.check_voice(voice))

    def default_voice(self) -> str:
        return self._ask_any(lambda m: m.default_voice())

    def cache_identity(self):
        return self.members[0].cache_identity()  # the endpoint does not change the sound

    def health(self) -> Health:
        results = [m.health() for m in self.members]
        bad = [f"{self.where(i)}: {h.detail}" for i, h in enumerate(results) if not h.ok]
        if len(bad) == len(results):
            return Health(False, "; ".join(bad))
        return Health(True, f"{len(results) - len(bad)} of {len(results)} endpoints up"
                      + (f"; down: {'; '.join(bad)}" if bad else ""))  # fmt: skip

    def _pick(self, tried: set[int]) -> int | None:
        with self._lock:
            now = time.monotonic()
            left = [i for i in range(len(self.members)) if i not in tried]
            ready = [i for i in left if self._benched_until[i] <= now]
            if not ready:
                return None
            load = [(self._busy[i] / max(1, self.members[i].concurrency), i) for i in ready]
            index = min(load)[1]
            self._busy[index] += 1
            return index

    def _failed(self, index: int) -> None:
        with self._lock:
            self._fails[index] += 1
            rest = self.bench_seconds * 2 ** (self._fails[index] - 1)
            self._benched_until[index] = time.monotonic() + min(MAX_BENCH_SECONDS, rest)

    def synthesize(self, text: str, voice: str, *, speed: float = 1.0) -> Audio:
        tried: set[int] = set()
        last: ProviderError | None = None
        while (index := self._pick(tried)) is not None:
            tried.add(index)
            try:
                audio = self.members[index].synthesize(text, voice, speed=speed)
            except ProviderError as e:
                if not e.retryable:
                    raise self._named(e, index) from None
                self._failed(index)
                last = self._named(e, index)
                continue  # at once on another endpoint
            finally:
                with self._lock:
                    self._busy[index] -= 1
            with self._lock:
                self._fails[index] = 0
                self.served[index] += 1
            return audio
        if last is not None:
            raise last
        back = min(self._benched_until) - time.monotonic()
        raise ProviderError(
            f"{self.name}: every endpoint failed and is resting (the first is back in "
            f"{max(0.0, back):.0f} s)",
            retryable=True,
        )
