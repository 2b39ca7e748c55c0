"""HTTP for plugins: timeouts always set, failures turned into ProviderError with `retryable`
set the way the core's retry policy expects (connection errors, timeouts, 429 and 5xx).

Only the URL a user configured is ever contacted; API keys go in headers and never into
messages or logs.
"""

from __future__ import annotations

import json
import random
import re
import threading
from collections.abc import Iterator
from typing import Any, ClassVar

import requests

from audiobook.providers import Health, ProviderError, load_compose

DEFAULT_TIMEOUT = (5.0, 120.0)  # connect, read
_local = threading.local()


def session() -> requests.Session:
    """One session per thread: connections are kept alive over the thousands of clips of a
    book instead of a new TCP (and TLS) handshake for each."""
    found = getattr(_local, "session", None)
    if found is None:
        found = _local.session = requests.Session()
    return found


def error_message(body: Any, fallback: str = "") -> str:
    """A server's own error message, from the usual JSON shapes ({"error": ...}, {"detail":
    {"message": ...}}, {"message": ...}), else `fallback` with markup and spacing removed. One
    reading for every provider, TTS and LLM alike."""
    if isinstance(body, dict):
        for key in ("error", "detail", "message"):
            value = body.get(key)
            if isinstance(value, dict):
                value = value.get("message") or value.get("error") or json.dumps(value)
            if value:
                return str(value)[:300]
        return json.dumps(body)[:200]
    if isinstance(body, list):
        return json.dumps(body)[:200]
    text = re.sub(r"<[^>]+>", " ", fallback)
    return " ".join(text.split())[:200]


def retry_delay(attempt: int, base: float, cap: float, jitter: bool = True) -> float:
    """Seconds to wait before try `attempt + 1` (attempt counts from 1): doubling from `base`,
    at most `cap`, spread by jitter so that clients that failed together do not retry together."""
    delay = min(cap, base * 2 ** (attempt - 1))
    return delay * (0.5 + random.random()) if jitter else delay


def _error_text(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return error_message(None, response.text[:400]) or response.reason or ""
    return error_message(body)


def request(
    name: str,
    method: str,
    url: str,
    *,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    stream: bool = False,
    **kwargs: Any,
) -> requests.Response:
    """Send one request; raise ProviderError naming `name` and the URL on any failure."""
    try:
        response = session().request(method, url, timeout=timeout, stream=stream, **kwargs)
    except requests.ConnectionError:
        raise ProviderError(f"cannot connect to {name} at {url}", retryable=True) from None
    except requests.Timeout:
        raise ProviderError(f"{name} at {url} did not answer in time", retryable=True) from None
    except requests.RequestException as e:
        raise ProviderError(f"{name} request to {url} failed: {e}") from None
    if response.status_code >= 400:
        status = response.status_code
        retryable = status == 429 or status >= 500
        text = _error_text(response)
        raise ProviderError(f"{name} answered {status}: {text}", retryable=retryable, status=status)
    return response


def json_body(name: str, response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        kind = response.headers.get("content-type", "unknown content type")
        raise ProviderError(
            f"{name} answered with something that is not JSON ({kind})", retryable=False
        ) from None


def ndjson_lines(name: str, response: requests.Response) -> Iterator[dict]:
    """Lines of a newline-delimited JSON stream; an {"error": ...} line raises."""
    for raw in response.iter_lines():
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except ValueError:
            raise ProviderError(f"{name} sent a line that is not JSON: {raw[:80]!r}") from None
        if isinstance(line, dict) and line.get("error"):
            raise ProviderError(f"{name}: {line['error']}", retryable=False)
        yield line


def explain(error: ProviderError, start_command: str) -> str:
    """What a failed health check means and what to do: start a server that is not there, read
    the logs of one that answers with errors."""
    if error.status is None and error.retryable:
        return f"{error}; start it with: {start_command}"
    if error.status is not None and error.status >= 500:
        return f"{error}: the server is running but failing; read its logs (docker compose logs)"
    return str(error)


class HTTPService:
    """What every provider that talks to a server shares, mixed in before its provider class
    (`class KokoroProvider(HTTPService, TTSProvider)`): the server's base URL and the answer
    timeout from its `base_url` and `timeout` settings, requests that name the server and URL
    in every error, a health check of one route that says how to start the server, and the
    plugin's shipped Compose snippet."""

    name: ClassVar[str]
    settings: dict[str, Any]
    health_path: ClassVar[str] = "/health"  # a route that answers 200 when the server is up
    start_hint: ClassVar[str] = ""  # how to start the server, said when it does not answer
    compose_file: ClassVar[str] = "compose.yaml"

    @property
    def base(self) -> str:
        return str(self.settings["base_url"]).rstrip("/")

    @property
    def timeout(self) -> tuple[float, float]:
        """(connect, read) seconds for one piece of work: a clip, an answer."""
        return (5.0, float(self.settings.get("timeout") or DEFAULT_TIMEOUT[1]))

    def call(
        self, method: str, path: str, *, timeout: float | tuple[float, float] | None = None,
        **kwargs: Any,
    ) -> requests.Response:  # fmt: skip
        """`method` `path` on this provider's server; ProviderError naming it on any failure."""
        url = f"{self.base}{path}"
        return request(self.name, method, url, timeout=timeout or self.timeout, **kwargs)

    def start_command(self) -> str:
        return self.start_hint

    def unhealthy(self, error: ProviderError) -> Health:
        return Health(False, explain(error, self.start_command()))

    def health(self) -> Health:
        try:
            self.call("GET", self.health_path, timeout=(3, 10))
        except ProviderError as e:
            return self.unhealthy(e)
        return Health(True, f"{self.name} at {self.base}")

    def compose(self) -> dict:
        return load_compose(type(self).__module__.split(".")[0], self.compose_file)
