"""Any OpenAI-compatible endpoint (`--llm openai`) and Hugging Face TGI (`--llm tgi`)."""

from __future__ import annotations

from audiobook.openai_compat import OpenAICompatibleProvider, openai_options
from audiobook.providers import hookimpl, load_compose


class OpenAIProvider(OpenAICompatibleProvider):
    """LM Studio, llama.cpp's server, a hosted API: anything with /v1/chat/completions."""

    name = "openai"
    options = openai_options("http://127.0.0.1:1234/v1")

    def start_command(self) -> str:
        return f"the OpenAI-compatible server you configured at {self.base}"


class TGIProvider(OpenAICompatibleProvider):
    """Text Generation Inference: its structured output shape differs from OpenAI's."""

    name = "tgi"
    options = openai_options("http://127.0.0.1:8080/v1", model="tgi")

    def response_format(self, schema: dict) -> dict:
        # TGI answers the OpenAI shape with 422 "missing field `value`".
        return {"type": "json", "value": schema}

    def health_url(self) -> str:
        return self.base.removesuffix("/v1") + "/health"

    def start_command(self) -> str:
        return "audiobook compose --llm tgi --gpu -o compose.yaml && docker compose up -d"

    def compose(self) -> dict:
        return load_compose("audiobook_openai", "tgi-compose.yaml")


@hookimpl
def register_llm_providers(register):
    register(OpenAIProvider)
    register(TGIProvider)
