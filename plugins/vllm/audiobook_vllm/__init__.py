"""vLLM's OpenAI-compatible server as an audiobook LLM provider."""

from __future__ import annotations

from audiobook.plugin import (
    Completion,
    OpenAICompatibleProvider,
    ProviderError,
    hookimpl,
    load_compose,
    openai_options,
)


class VLLMProvider(OpenAICompatibleProvider):
    name = "vllm"
    options = openai_options("http://127.0.0.1:8000/v1")
    default_api_key = "EMPTY"

    def health_url(self) -> str:
        # /health is outside /v1 and needs no key.
        return self.base.removesuffix("/v1") + "/health"

    def start_command(self) -> str:
        return "audiobook compose --llm vllm --gpu -o compose.yaml && docker compose up -d"

    def response_format(self, schema: dict) -> dict:
        # Structured output through response_format; the old `guided_json` field is ignored
        # since vLLM 0.12 and the reply then comes back unconstrained with a 200.
        return {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}}

    def complete(self, messages, *, schema=None, max_tokens=512, temperature=0.0) -> Completion:
        completion = super().complete(
            messages, schema=schema, max_tokens=max_tokens, temperature=temperature
        )
        if completion.finish_reason == "length" and schema is not None:
            # Schema-guided decoding can loop on whitespace until max_tokens: a failed answer.
            raise ProviderError(
                f"vllm stopped at max_tokens ({max_tokens}) before the answer was complete"
            )
        return completion

    def compose(self) -> dict:
        return load_compose("audiobook_vllm")


@hookimpl
def register_llm_providers(register):
    register(VLLMProvider)
