"""Any OpenAI-compatible endpoint (`--llm openai`) and Hugging Face TGI (`--llm tgi`)."""

from __future__ import annotations

from audiobook.plugin import (
    Completion,
    OpenAICompatibleProvider,
    Option,
    ProviderError,
    hookimpl,
    load_compose,
    openai_options,
)

FORMATS = ("auto", "json_schema", "json_object", "none")


class OpenAIProvider(OpenAICompatibleProvider):
    """LM Studio, llama.cpp's server, a hosted API: anything with /v1/chat/completions.

    Servers differ in how they take a schema: OpenAI, LM Studio and llama.cpp's llama-server
    take `json_schema`; llama-cpp-python's server takes `{"type": "json_object", "schema": ...}`
    and rejects the other. With `response_format = "auto"` the provider tries them in that
    order and keeps the first the server accepts.
    """

    name = "openai"
    options = openai_options("http://127.0.0.1:1234/v1") + (
        Option(
            "response_format",
            str,
            "auto",
            f"how the schema is sent: {', '.join(FORMATS)}",
            affects_audio=False,
        ),
    )

    def __init__(self, **settings) -> None:
        super().__init__(**settings)
        mode = self.settings["response_format"]
        if mode not in FORMATS:
            raise ProviderError(f"response_format must be one of {', '.join(FORMATS)}")
        self._mode = "json_schema" if mode == "auto" else mode
        self._auto = mode == "auto"

    def response_format(self, schema: dict) -> dict | None:
        if self._mode == "json_object":
            return {"type": "json_object", "schema": schema}
        if self._mode == "none":
            return None
        return super().response_format(schema)

    def complete(self, messages, *, schema=None, max_tokens=512, temperature=0.0) -> Completion:
        while True:
            try:
                return super().complete(
                    messages, schema=schema, max_tokens=max_tokens, temperature=temperature
                )
            except ProviderError as e:
                rejected = e.status in (400, 422, 500) and "response_format" in str(e)
                if not (self._auto and schema is not None and rejected and self._mode != "none"):
                    raise
                self._mode = FORMATS[FORMATS.index(self._mode) + 1]

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
