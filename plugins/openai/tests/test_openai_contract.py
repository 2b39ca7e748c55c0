"""Contract tests: the generic OpenAI-compatible provider and TGI against a local server
speaking the OpenAI chat API (and TGI's own shape of structured output)."""

from __future__ import annotations

import audiobook_openai
import pytest

from audiobook.plugin.testing import LLMFailure, Reply, StructuredLLM, StubServer, model_list
from audiobook.plugin.testing import chat_completion as completion

SCHEMA = {
    "type": "object",
    "properties": {"speaker": {"type": "string"}},
    "required": ["speaker"],
}
MESSAGES = [{"role": "user", "content": "Who speaks?"}]
MODELS = model_list("Qwen/Qwen2.5-7B-Instruct")


def test_generic_openai_provider_against_an_openai_server():
    with StubServer() as server:
        server.on("GET", "/v1/models", MODELS)
        server.on("POST", "/v1/chat/completions", completion('```json\n{"speaker": "Jane"}\n```'))
        provider = audiobook_openai.OpenAIProvider(base_url=f"{server.url}/v1")
        assert StructuredLLM(provider).ask(MESSAGES, SCHEMA) == {"speaker": "Jane"}
        assert server.requests[-1].body["response_format"]["type"] == "json_schema"


def test_tgi_structured_output_shape():
    def tgi(seen):
        fmt = seen.body.get("response_format") or {}
        if fmt.get("type") != "json" or "value" not in fmt:
            return Reply(
                422,
                {
                    "error": "Failed to deserialize the JSON body into the target "
                    "type: response_format: missing field `value`",
                    "error_type": "validation",
                },
            )
        return completion('{"speaker": "Holmes"}')

    with StubServer() as server:
        server.on("POST", "/v1/chat/completions", tgi)
        server.on("GET", "/health", Reply(200, ""))
        provider = audiobook_openai.TGIProvider(base_url=f"{server.url}/v1")
        assert StructuredLLM(provider).ask(MESSAGES, SCHEMA) == {"speaker": "Holmes"}
        assert server.requests[-1].body["response_format"] == {"type": "json", "value": SCHEMA}
        generic = audiobook_openai.OpenAIProvider(base_url=f"{server.url}/v1", model="tgi")
        with pytest.raises(LLMFailure, match="422: .*missing field `value`"):
            StructuredLLM(generic).ask(MESSAGES, SCHEMA)
        server.on("GET", "/v1/models", MODELS)
        assert provider.health().ok


def test_generic_provider_falls_back_to_json_object_for_llama_cpp_python():
    def llama_cpp_python(seen):
        fmt = seen.body.get("response_format") or {}
        if fmt.get("type") != "json_object":
            return Reply(
                500,
                {
                    "error": {
                        "message": "1 validation error: ('body', "
                        "'response_format', 'type') Input should "
                        "be 'text' or 'json_object'"
                    }
                },
            )
        assert fmt["schema"] == SCHEMA
        return completion('{"speaker": "Alice"}')

    with StubServer() as server:
        server.on("POST", "/v1/chat/completions", llama_cpp_python)
        provider = audiobook_openai.OpenAIProvider(base_url=f"{server.url}/v1", model="m")
        llm = StructuredLLM(provider)
        assert llm.ask(MESSAGES, SCHEMA) == {"speaker": "Alice"}
        assert llm.ask(MESSAGES + MESSAGES, SCHEMA) == {"speaker": "Alice"}
        kinds = [r.body["response_format"]["type"] for r in server.requests]
    assert kinds == ["json_schema", "json_object", "json_object"]  # learnt once, kept


def test_tgi_compose_snippet():
    tgi_service = audiobook_openai.TGIProvider().compose()["services"]["tgi"]
    assert tgi_service["shm_size"] == "1g" and tgi_service["ports"][0].endswith(":80")
    assert "tgi-data:/data" in tgi_service["volumes"]
