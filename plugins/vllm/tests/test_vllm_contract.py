"""Contract tests: the vLLM provider against a local server speaking vLLM's OpenAI-compatible
API (structured output through response_format, /health outside /v1, errors and timeouts)."""

from __future__ import annotations

import audiobook_vllm
import pytest

from audiobook.plugin.testing import (
    LLMFailure,
    Reply,
    StructuredLLM,
    StubServer,
    free_port,
    model_list,
)
from audiobook.plugin.testing import chat_completion as completion

SCHEMA = {
    "type": "object",
    "properties": {"speaker": {"type": "string"}},
    "required": ["speaker"],
}
MESSAGES = [{"role": "user", "content": "Who speaks?"}]
MODELS = model_list("Qwen/Qwen2.5-7B-Instruct")


def vllm(server, **settings):
    provider = audiobook_vllm.VLLMProvider(base_url=f"{server.url}/v1", **settings)
    return StructuredLLM(provider, base_delay=0.01)


def test_success_uses_response_format_json_schema_and_discovers_the_model():
    with StubServer() as server:
        server.on("GET", "/v1/models", MODELS)
        server.on("POST", "/v1/chat/completions", completion('{"speaker": "Elizabeth"}'))
        client = vllm(server, api_key="sk-test-secret")
        assert client.ask(MESSAGES, SCHEMA, max_tokens=80) == {"speaker": "Elizabeth"}
        chat = server.requests[-1]
    assert chat.body["model"] == "Qwen/Qwen2.5-7B-Instruct" and chat.body["max_tokens"] == 80
    assert chat.body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "answer", "schema": SCHEMA},
    }
    assert "guided_json" not in chat.body
    assert chat.headers.get("authorization") == "Bearer sk-test-secret"
    assert client.usage.prompt_tokens == 21 and client.usage.completion_tokens == 7


def test_health_needs_no_key_and_says_how_to_start():
    with StubServer() as server:
        server.on("GET", "/health", Reply(200, ""))
        server.on("GET", "/v1/models", MODELS)
        provider = audiobook_vllm.VLLMProvider(base_url=f"{server.url}/v1")
        assert provider.health().ok
        assert "authorization" not in server.requests[0].headers
    down = audiobook_vllm.VLLMProvider(base_url=f"http://127.0.0.1:{free_port()}/v1")
    health = down.health()
    assert not health.ok and "audiobook compose --llm vllm" in health.detail


def test_model_missing_is_404_and_not_retried():
    with StubServer() as server:
        server.on(
            "POST",
            "/v1/chat/completions",
            Reply(
                404,
                {
                    "object": "error",
                    "message": "The model `x` does not exist.",
                    "type": "NotFoundError",
                    "code": 404,
                },
            ),
        )
        client = vllm(server, model="x")
        with pytest.raises(LLMFailure, match="404: The model `x` does not exist"):
            client.ask(MESSAGES, SCHEMA)
        assert len(server.requests) == 1


def test_429_then_success_and_500_exhausts_retries():
    with StubServer() as server:
        server.on(
            "POST",
            "/v1/chat/completions",
            Reply(429, {"error": {"message": "rate limited"}}),
            completion('{"speaker": "A"}'),
        )
        client = vllm(server, model="m")
        assert client.ask(MESSAGES, SCHEMA) == {"speaker": "A"} and client.usage.retries == 1
    with StubServer() as server:
        server.on("POST", "/v1/chat/completions", Reply(500, {"error": {"message": "boom"}}))
        client = vllm(server, model="m")
        with pytest.raises(LLMFailure, match="500"):
            client.ask(MESSAGES, SCHEMA)
        assert len(server.requests) == client.attempts


def test_connection_refused_and_timeout():
    down = audiobook_vllm.VLLMProvider(base_url=f"http://127.0.0.1:{free_port()}/v1", model="m")
    with pytest.raises(LLMFailure, match="cannot connect to vllm"):
        StructuredLLM(down, attempts=2, base_delay=0.01).ask(MESSAGES, SCHEMA)
    with StubServer() as server:
        server.on("POST", "/v1/chat/completions", Reply(200, {}, delay=1.0))
        slow = audiobook_vllm.VLLMProvider(base_url=f"{server.url}/v1", model="m", timeout=0.2)
        with pytest.raises(LLMFailure, match="did not answer in time"):
            StructuredLLM(slow, attempts=2, base_delay=0.01).ask(MESSAGES, SCHEMA)


def test_non_json_body_and_schema_break():
    with StubServer() as server:
        server.on("POST", "/v1/chat/completions", Reply(200, "upstream error", "text/plain"))
        with pytest.raises(LLMFailure):
            vllm(server, model="m").ask(MESSAGES, SCHEMA)
    with StubServer() as server:
        server.on(
            "POST", "/v1/chat/completions", completion('{"who": 3}'), completion('{"who": 4}')
        )
        with pytest.raises(LLMFailure, match="no valid answer"):
            vllm(server, model="m").ask(MESSAGES, SCHEMA)
        assert len(server.requests) == 2  # one repair attempt


def test_finish_reason_length_is_a_failed_answer():
    with StubServer() as server:
        server.on("POST", "/v1/chat/completions", completion('{"speaker":      ', "length"))
        with pytest.raises(LLMFailure, match="max_tokens"):
            vllm(server, model="m").ask(MESSAGES, SCHEMA, max_tokens=16)


def test_compose_snippet():
    vllm_service = audiobook_vllm.VLLMProvider().compose()["services"]["vllm"]
    assert vllm_service["image"].startswith("vllm/vllm-openai:v") and vllm_service["ipc"] == "host"
    assert "curl" not in str(vllm_service["healthcheck"]["test"])
    assert any("gpu-memory-utilization" in c for c in vllm_service["command"])
