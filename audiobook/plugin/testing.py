"""What a plugin's tests need, and only what the plugin API promises (plugins import this and
`audiobook.plugin`, nothing else of the core):

- `StubServer` and `Reply`: a scriptable HTTP server on loopback that speaks a service's
  documented API, errors and slow answers included; `free_port` for refused connections;
  `speech_wav`/`speech_pcm`/`encode` for stand-in audio.
- `registered(module)`: the providers a plugin module registers, through a fresh plugin
  manager and the core's hook specifications.
- The core's own checks, so a contract test judges a provider as a run does: `StructuredLLM`
  and `LLMFailure` (the client that asks an LLM provider for JSON, with its retries and
  errors), `decode_audio` and `clip_problem` (what happens to a clip), `speakable` (the text a
  TTS provider is given, emotion tags included), `probe` (streams and chapters of an output).
- pytest fixtures, loaded by pytest whenever the core is installed (entry point `pytest11`):
  `stub_server` (a started `StubServer`) and `plugin_providers` (`registered`).

    with StubServer() as server:
        server.on("GET", "/api/version", Reply(200, {"version": "0.12.6"}))
        server.on("POST", "/api/chat", Reply(429, {"error": "busy"}), Reply(200, {...}))
        provider = OllamaProvider(base_url=server.url)

Replies for a route are used in order; the last one repeats. A reply may be a callable that
takes the request (method, path, headers, JSON body) and returns a Reply.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from audiobook.llm import LLMFailure, StructuredLLM

__all__ = [
    "LLMFailure",
    "Reply",
    "SAMPLE_BOOK",
    "Seen",
    "StructuredLLM",
    "StubServer",
    "chat_completion",
    "clip_problem",
    "decode_audio",
    "encode",
    "free_port",
    "model_list",
    "probe",
    "registered",
    "running_server",
    "run_cli",
    "speakable",
    "speech_pcm",
    "speech_wav",
    "start_http_server",
]


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list -> JSON; str/bytes sent as they are
    content_type: str | None = None
    delay: float = 0.0  # seconds before answering (for timeouts)
    lines: list[Any] | None = None  # NDJSON: one JSON value per line, streamed


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class StubServer:
    routes: dict[tuple[str, str], list] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)

    def on(self, method: str, path: str, *replies: Reply | Callable[[Seen], Reply]) -> StubServer:
        self.routes[(method, path)] = list(replies)
        return self

    def _next(self, seen: Seen) -> Reply:
        queue = self.routes.get((seen.method, seen.path.split("?")[0]))
        if not queue:
            return Reply(404, {"error": f"no route {seen.method} {seen.path}"})
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        return reply(seen) if callable(reply) else reply

    def __enter__(self) -> StubServer:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                seen = Seen(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
                stub.requests.append(seen)
                reply = stub._next(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.lines is not None:
                    payload = b"".join(json.dumps(x).encode() + b"\n" for x in reply.lines)
                    kind = reply.content_type or "application/x-ndjson"
                elif isinstance(reply.body, (dict, list)):
                    payload, kind = json.dumps(reply.body).encode(), "application/json"
                elif isinstance(reply.body, str):
                    payload, kind = reply.body.encode(), "text/plain"
                else:
                    payload, kind = reply.body or b"", "application/octet-stream"
                self.send_response(reply.status)
                self.send_header("content-type", reply.content_type or kind)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"


def free_port() -> int:
    """A loopback port nothing listens on (for connection-refused tests)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def speech_pcm(text: str, rate: int = 24000, chars_per_second: float = 15.0) -> bytes:
    """Stand-in speech: a voiced tone as long as the text takes to read, 16-bit mono PCM."""
    import math
    import struct

    n = int(max(0.3, len(text) / chars_per_second) * rate)
    samples = (int(8000 * math.sin(2 * math.pi * 180 * i / rate)) for i in range(n))
    return struct.pack(f"<{n}h", *samples)


def speech_wav(text: str, rate: int = 24000, chars_per_second: float = 15.0) -> bytes:
    from audiobook.providers import Audio

    return Audio(pcm=speech_pcm(text, rate, chars_per_second), sample_rate=rate).to_wav()


def encode(wav: bytes, fmt: str) -> bytes:
    """WAV bytes re-encoded by the bundled ffmpeg (flac, mp3, ogg)."""
    import subprocess

    from audiobook.render.ffmpeg import ffmpeg_exe

    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", "pipe:0", "-f", fmt, "pipe:1"],
        input=wav,
        capture_output=True,
        check=True,
    )
    return proc.stdout


def start_http_server(cmd: list[str], ready_url: str, timeout: float = 120.0):
    """Start a real server as a subprocess and wait until `ready_url` answers 200.

    Returns the process; the caller terminates it. Raises RuntimeError if it exits or does
    not answer in time."""
    import subprocess

    import requests

    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{cmd[2] if len(cmd) > 2 else cmd[0]} exited before it was ready")
        try:
            if requests.get(ready_url, timeout=2).ok:
                return proc
        except requests.RequestException:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{ready_url} did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def running_server(cmd: list[str], ready_url: str, timeout: float = 120.0, stop_timeout=30.0):
    """A real server for the length of a `with` block: started and waited for as
    `start_http_server` does, terminated on the way out."""
    proc = start_http_server(cmd, ready_url, timeout)
    try:
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=stop_timeout)


def chat_completion(content: str, finish_reason: str = "stop") -> Reply:
    """An OpenAI chat-completions answer (vLLM, TGI, llama.cpp and OpenAI all send this)."""
    return Reply(200, {
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 21, "completion_tokens": 7, "total_tokens": 28},
    })  # fmt: skip


def model_list(*ids: str, owned_by: str = "vllm") -> Reply:
    """An OpenAI `/v1/models` answer listing `ids`."""
    data = [{"id": i, "object": "model", "owned_by": owned_by} for i in ids]
    return Reply(200, {"object": "list", "data": data})


SAMPLE_BOOK = Path(__file__).with_name("sample-book.txt")  # two short chapters, three speakers


def run_cli(*args: str, env: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    """`audiobook ARGS` as a user runs it, in this process through click's CliRunner: exit
    code, stdout and stderr; an uncaught exception comes back as its traceback on stderr, as
    it would show on a terminal."""
    import os
    import traceback

    from click.testing import CliRunner

    from audiobook.cli import main

    here = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(main, list(args), env=env, prog_name="audiobook")
    finally:
        os.chdir(here)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "Traceback (most recent call last):\n" + "".join(
            traceback.format_exception(result.exception)
        )
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, stderr)


def registered(module) -> dict[str, list[type]]:
    """The TTS and LLM provider classes `module` registers: {"tts": [...], "llm": [...]}."""
    import pluggy

    from audiobook import hookspecs

    manager = pluggy.PluginManager("audiobook")
    manager.add_hookspecs(hookspecs)
    manager.register(module)
    found: dict[str, list[type]] = {"tts": [], "llm": []}
    manager.hook.register_tts_providers(register=found["tts"].append)
    manager.hook.register_llm_providers(register=found["llm"].append)
    return found


def decode_audio(audio):
    """A provider's Audio as the core decodes it before checking and mastering."""
    from audiobook.render.decode import decode_audio as decode

    return decode(audio)


def clip_problem(audio, text: str, chars_per_second: float, speed: float = 1.0) -> str | None:
    """Why the core would remake this clip of `text` (empty, silent, the wrong length), or None."""
    from audiobook.render.qa import clip_problem as problem

    return problem(audio, text, chars_per_second, speed)


def speakable(text: str, provider, emotion: str | None = None) -> str:
    """The text the core gives `provider` for a line with this director's emotion."""
    from audiobook.render.narrator import speakable as spoken

    return spoken(text, provider, emotion)


def probe(path):
    """Streams and chapters of an audio file the core wrote (ffmpeg's reading)."""
    from audiobook.render.ffmpeg import probe as read

    return read(path)


try:
    import pytest
except ImportError:  # the core runs without pytest; the fixtures are for test sessions
    pytest = None

if pytest is not None:

    @pytest.fixture
    def stub_server():
        """A started StubServer; routes are added with `.on(method, path, *replies)`."""
        with StubServer() as server:
            yield server

    @pytest.fixture
    def plugin_providers():
        """`registered`: the providers a plugin module registers with the core."""
        return registered
