"""Contract tests: the Ollama provider against a local server speaking Ollama's native API."""

from __future__ import annotations

import json

import audiobook_ollama
import pytest

from audiobook.plugin.testing import LLMFailure, Reply, StructuredLLM, StubServer, free_port

SCHEMA = {
    "type": "object",
    "properties": {"speaker": {"type": "string"}},
    "required": ["speaker"],
}
MESSAGES = [{"role": "user", "content": "Who says 'Hello'? Answer with a speaker."}]
TAGS = {"models": [{"name": "qwen2.5:7b-instruct", "model": "qwen2.5:7b-instruct"}]}


def chat(content, *, done_reason="stop", prompt_eval_count=60, eval_count=9):
    return Reply(
        200,
        {
            "model": "qwen2.5:7b-instruct",
            "created_at": "2026-11-25T12:00:00Z",
            "message": {"role": "assistant", "content": content},
            "done": True,
            "done_reason": done_reason,
            "prompt_eval_count": prompt_eval_count,
            "eval_count": eval_count,
        },
    )


def llm(server, **settings):
    provider = audiobook_ollama.OllamaProvider(base_url=server.url, **settings)
    return StructuredLLM(provider, base_delay=0.01)


def test_registers_into_a_fresh_manager(plugin_providers):
    assert plugin_providers(audiobook_ollama) == {
        "tts": [],
        "llm": [audiobook_ollama.OllamaProvider],
    }


def test_success_sends_the_documented_request():
    with StubServer() as server:
        server.on("POST", "/api/chat", chat('{"speaker": "Alice"}'))
        client = llm(server, num_ctx=4096, keep_alive="10m")
        assert client.ask(MESSAGES, SCHEMA, max_tokens=64) == {"speaker": "Alice"}
        body = server.requests[0].body
    assert body["stream"] is False and body["format"] == SCHEMA
    assert body["options"] == {"temperature": 0.0, "num_ctx": 4096, "num_predict": 64}
    assert body["keep_alive"] == "10m"
    assert json.dumps(SCHEMA) in body["messages"][0]["content"]  # schema repeated in words
    assert client.usage.prompt_tokens == 60 and client.usage.completion_tokens == 9


def test_health_and_missing_model():
    with StubServer() as server:
        server.on("GET", "/api/version", Reply(200, {"version": "0.12.6"}))
        server.on("GET", "/api/tags", Reply(200, {"models": []}))
        provider = audiobook_ollama.OllamaProvider(base_url=server.url)
        health = provider.health()
        assert not health.ok and "ollama pull qwen2.5:7b-instruct" in health.detail
        with pytest.raises(Exception, match=r"run `ollama pull qwen2.5:7b-instruct`"):
            provider.prepare()
        server.on("GET", "/api/tags", Reply(200, TAGS))
        assert provider.health().ok


def test_model_not_found_on_chat_says_how_to_pull():
    with StubServer() as server:
        server.on(
            "POST", "/api/chat", Reply(404, {"error": "model 'qwen2.5:7b-instruct' not found"})
        )
        with pytest.raises(LLMFailure, match="not found; run `ollama pull qwen2.5:7b-instruct`"):
            llm(server).ask(MESSAGES, SCHEMA)


def test_pull_streams_progress():
    progress = []
    lines = [
        {"status": "pulling manifest"},
        {"status": "downloading", "digest": "sha256:ab", "total": 100, "completed": 40},
        {"status": "downloading", "digest": "sha256:ab", "total": 100, "completed": 100},
        {"status": "verifying sha256 digest"},
        {"status": "success"},
    ]
    with StubServer() as server:
        server.on("GET", "/api/tags", Reply(200, {"models": []}))
        server.on("POST", "/api/pull", Reply(200, lines=lines))
        provider = audiobook_ollama.OllamaProvider(base_url=server.url, pull=True)
        provider.prepare(progress.append)
        assert server.requests[-1].body == {"model": "qwen2.5:7b-instruct", "stream": True}
    assert [p.get("completed") for p in progress if "completed" in p] == [40, 100]


def test_error_line_inside_a_pull_stream_fails():
    with StubServer() as server:
        server.on("GET", "/api/tags", Reply(200, {"models": []}))
        server.on(
            "POST",
            "/api/pull",
            Reply(
                200,
                lines=[
                    {"status": "pulling manifest"},
                    {"error": "pull model manifest: file does not exist"},
                ],
            ),
        )
        provider = audiobook_ollama.OllamaProvider(base_url=server.url, pull=True)
        with pytest.raises(Exception, match="file does not exist"):
            provider.prepare()


def test_429_then_success_is_retried():
    with StubServer() as server:
        server.on(
            "POST", "/api/chat", Reply(429, {"error": "server busy"}), chat('{"speaker": "Bo"}')
        )
        client = llm(server)
        assert client.ask(MESSAGES, SCHEMA) == {"speaker": "Bo"}
    assert client.usage.retries == 1


def test_500_gives_up_after_retries():
    with StubServer() as server:
        server.on("POST", "/api/chat", Reply(500, {"error": "llama runner process has terminated"}))
        client = llm(server)
        with pytest.raises(LLMFailure, match="500: llama runner process has terminated"):
            client.ask(MESSAGES, SCHEMA)
        assert len(server.requests) == client.attempts


def test_400_is_not_retried():
    with StubServer() as server:
        server.on("POST", "/api/chat", Reply(400, {"error": "invalid format"}))
        with pytest.raises(LLMFailure, match="400: invalid format"):
            llm(server).ask(MESSAGES, SCHEMA)
        assert len(server.requests) == 1


def test_error_line_inside_a_200_stream():
    body = (
        '{"message": {"role": "assistant", "content": "{"}, "done": false}\n'
        '{"error": "out of memory"}\n'
    )
    with StubServer() as server:
        server.on("POST", "/api/chat", Reply(200, body, "application/x-ndjson"))
        with pytest.raises(LLMFailure, match="out of memory"):
            llm(server).ask(MESSAGES, SCHEMA)


def test_connection_refused_names_the_server_and_how_to_start_it():
    provider = audiobook_ollama.OllamaProvider(base_url=f"http://127.0.0.1:{free_port()}")
    health = provider.health()
    assert not health.ok and "cannot connect" in health.detail and "ollama serve" in health.detail
    with pytest.raises(LLMFailure, match="cannot connect to ollama"):
        StructuredLLM(provider, base_delay=0.01).ask(MESSAGES, SCHEMA)


def test_timeout_is_retried_then_fails():
    with StubServer() as server:
        server.on("POST", "/api/chat", Reply(200, {"done": True}, delay=1.0))
        client = StructuredLLM(
            audiobook_ollama.OllamaProvider(base_url=server.url, timeout=0.2),
            attempts=2,
            base_delay=0.01,
        )
        with pytest.raises(LLMFailure, match="did not answer in time"):
            client.ask(MESSAGES, SCHEMA)
        assert client.usage.retries == 1


def test_non_json_body():
    with StubServer() as server:
        server.on("POST", "/api/chat", Reply(200, "<html>502 Bad Gateway</html>", "text/html"))
        with pytest.raises(LLMFailure, match="not JSON"):
            llm(server).ask(MESSAGES, SCHEMA)


def test_schema_break_is_repaired_once_then_falls_back():
    with StubServer() as server:
        server.on("POST", "/api/chat", chat('{"name": "Alice"}'), chat('{"speaker": "Alice"}'))
        client = llm(server)
        assert client.ask(MESSAGES, SCHEMA) == {"speaker": "Alice"}
        repair = server.requests[1].body["messages"]
        assert "not valid" in repair[-1]["content"]
    with StubServer() as server:
        server.on("POST", "/api/chat", chat("Alice, I think."))
        with pytest.raises(LLMFailure, match="no valid answer"):
            llm(server).ask(MESSAGES, SCHEMA)
        assert len(server.requests) == 2


def test_length_cut_answer_is_a_failure():
    with StubServer() as server:
        server.on("POST", "/api/chat", chat('{"speaker": "Al', done_reason="length"))
        with pytest.raises(LLMFailure, match="cut off at max_tokens"):
            llm(server).ask(MESSAGES, SCHEMA)


def test_silently_truncated_prompt_is_detected():
    long = [{"role": "user", "content": "word " * 2000}]
    with StubServer() as server:
        server.on("POST", "/api/chat", chat('{"speaker": "Alice"}', prompt_eval_count=300))
        with pytest.raises(LLMFailure, match="prompt was truncated"):
            llm(server, num_ctx=8192).ask(long, SCHEMA)


def test_prompt_too_long_for_num_ctx_is_refused_before_sending():
    long = [{"role": "user", "content": "word " * 4000}]
    with StubServer() as server:
        with pytest.raises(LLMFailure, match="does not fit num_ctx 2048"):
            llm(server, num_ctx=2048).ask(long, SCHEMA)
        assert server.requests == []


def test_answers_are_cached_by_prompt(tmp_path):
    with StubServer() as server:
        server.on("POST", "/api/chat", chat('{"speaker": "Alice"}'))
        provider = audiobook_ollama.OllamaProvider(base_url=server.url)
        first = StructuredLLM(provider, cache_dir=tmp_path)
        assert first.ask(MESSAGES, SCHEMA) == {"speaker": "Alice"}
        again = StructuredLLM(provider, cache_dir=tmp_path)
        assert again.ask(MESSAGES, SCHEMA) == {"speaker": "Alice"}
        assert len(server.requests) == 1 and again.usage.cached == 1


def test_compose_snippet():
    data = audiobook_ollama.OllamaProvider().compose()
    service = data["services"]["ollama"]
    assert service["image"].startswith("ollama/ollama:")
    assert service["healthcheck"]["test"] == ["CMD", "ollama", "list"]
    assert service["ports"] == ["127.0.0.1:${OLLAMA_PORT:-11434}:11434"]
    assert "ollama-models:/root/.ollama" in service["volumes"]
