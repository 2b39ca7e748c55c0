"""Servers still loading their model (Kokoro-FastAPI and vLLM answer 503 for the first minute)
are waited for, with a status line, up to `wait_ready` seconds; past it, one clear line."""

from __future__ import annotations

import time

import pytest
from helpers import EXAMPLE, run_audiobook

from audiobook.plugin.testing import Reply, StubServer, speech_pcm

pytest.importorskip("audiobook_kokoro")
LOADING = Reply(503, {"detail": {"error": "loading", "message": "Model is loading"}})
VOICES = Reply(200, {"voices": [{"id": "af_bella"}, {"id": "am_adam"}]})


def _loading_for(seconds: float, ready):
    """Loading for `seconds` from the first request (not from when the stand-in started: on a
    busy machine the client may take that long to start, and would never see it loading)."""
    started: list[float] = []

    def reply(seen):
        if not started:
            started.append(time.monotonic())
        if time.monotonic() - started[0] < seconds:
            return LOADING
        return ready(seen) if callable(ready) else ready

    return reply


def _speech(seen):
    return Reply(200, speech_pcm(seen.body["input"]), "audio/pcm")


def _kokoro(loading_seconds: float) -> StubServer:
    server = StubServer()
    server.on("GET", "/v1/audio/voices", _loading_for(loading_seconds, VOICES))
    server.on("GET", "/health", Reply(200, {"status": "healthy"}))
    server.on("POST", "/v1/audio/speech", _loading_for(loading_seconds, _speech))
    return server


def _convert(tmp_path, url: str, *extra: str):
    return run_audiobook(
        "convert", str(EXAMPLE), "--tts", "kokoro", "-q", "--set", f"tts.kokoro.base_url={url}",
        *extra, "-o", str(tmp_path / "x.m4b"),
    )  # fmt: skip


@pytest.mark.slow
def test_a_server_loading_its_model_is_waited_for(tmp_path, work_dir):
    with _kokoro(2.5) as server:
        result = _convert(tmp_path, server.url)
    assert result.returncode == 0, result.stderr
    assert "waiting for the server to be ready" in result.stderr
    assert (tmp_path / "x.m4b").exists()


def test_a_server_that_stays_loading_fails_after_wait_ready_with_one_line(tmp_path, work_dir):
    with _kokoro(3600) as server:
        result = _convert(tmp_path, server.url, "--set", "tts.wait_ready=2")
    assert result.returncode != 0 and not (tmp_path / "x.m4b").exists()
    errors = [line for line in result.stderr.splitlines() if not line.startswith("waiting")]
    assert len(errors) == 1 and "Model is loading" in errors[0]
    assert "still not ready after 2 s" in errors[0] and "tts.wait_ready" in errors[0]


def _empty_answer(seen) -> Reply:
    message = {"role": "assistant", "content": '{"people": []}'}
    choice = {"index": 0, "finish_reason": "stop", "message": message}
    return Reply(200, {"id": "x", "object": "chat.completion", "created": 1, "model": "m",
                       "choices": [choice]})  # fmt: skip


def test_an_llm_server_loading_its_model_is_waited_for(tmp_path, work_dir):
    models = Reply(200, {"data": [{"id": "m", "object": "model"}]})
    with StubServer() as llm:
        llm.on("GET", "/v1/models", _loading_for(2.0, models))
        llm.on("POST", "/v1/chat/completions", _empty_answer)
        result = run_audiobook(
            "script", str(EXAMPLE), "--tts", "tone", "--llm", "openai", "--set",
            f"llm.openai.base_url={llm.url}/v1", "-o", str(tmp_path / "s.jsonl"),
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "waiting for the server to be ready" in result.stderr
