"""Ollama's native API as an audiobook LLM provider."""

from __future__ import annotations

import json
from collections.abc import Callable

from audiobook.plugin import (
    Completion,
    Health,
    HTTPService,
    LLMProvider,
    Option,
    ProviderError,
    hookimpl,
    json_body,
    ndjson_lines,
)

CHARS_PER_TOKEN = 3.5  # a cautious estimate for English prompts


def estimate_tokens(messages: list[dict[str, str]]) -> int:
    return int(sum(len(m.get("content", "")) + 8 for m in messages) / CHARS_PER_TOKEN) + 16


class OllamaProvider(HTTPService, LLMProvider):
    name = "ollama"
    options = (
        Option("base_url", str, "http://127.0.0.1:11434", "Ollama server", affects_audio=False),
        Option("model", str, "qwen2.5:7b-instruct", "model name as `ollama list` shows it"),
        Option("num_ctx", int, 8192, "context window sent with every request"),
        Option("keep_alive", str, "5m", "how long the model stays loaded", affects_audio=False),
        Option("pull", bool, False, "pull a missing model instead of failing", affects_audio=False),
        Option("timeout", float, 300.0, "seconds to wait for one answer", affects_audio=False),
    )

    start_hint = "ollama serve (or: audiobook compose --llm ollama, then docker compose up -d)"

    def health(self) -> Health:
        try:
            version = json_body(self.name, self.call("GET", "/api/version", timeout=(3, 10)))
        except ProviderError as e:
            return self.unhealthy(e)
        model = self.settings["model"]
        if not self.has_model():
            return Health(False, f"model '{model}' is not pulled: run `ollama pull {model}`")
        return Health(True, f"Ollama {version.get('version', '?')}, model {model} present")

    def has_model(self) -> bool:
        tags = json_body(self.name, self.call("GET", "/api/tags", timeout=(3, 30)))
        wanted = str(self.settings["model"])
        names = {m.get("name") for m in tags.get("models", [])} | {
            m.get("model") for m in tags.get("models", [])
        }
        return wanted in names or f"{wanted}:latest" in names

    def prepare(self, progress: Callable[[dict], None] | None = None) -> None:
        """Fail with the exact pull command, or pull (showing progress) when allowed."""
        model = str(self.settings["model"])
        if self.has_model():
            return
        if not self.settings["pull"]:
            raise ProviderError(
                f"model '{model}' is not on the Ollama server at {self.base}: run "
                f"`ollama pull {model}` (or set llm.ollama.pull = true)"
            )
        body = {"model": model, "stream": True}
        response = self.call("POST", "/api/pull", json=body, stream=True, timeout=(5, 600))
        last = {}
        for line in ndjson_lines(self.name, response):
            last = line
            if progress:
                progress(line)
        if last.get("status") != "success":
            raise ProviderError(f"pulling '{model}' did not finish: {last.get('status')}")

    def complete(self, messages, *, schema=None, max_tokens=512, temperature=0.0) -> Completion:
        num_ctx = int(self.settings["num_ctx"])
        if schema is not None:
            # `format` alone can make some models emit endless whitespace: say it in words too.
            messages = [
                {
                    "role": "system",
                    "content": "Answer with JSON only, valid against this "
                    "JSON schema:\n" + json.dumps(schema),
                },
                *messages,
            ]
        estimate = estimate_tokens(messages)
        if estimate + max_tokens > num_ctx:
            raise ProviderError(
                f"prompt of about {estimate} tokens plus {max_tokens} for the answer does not fit "
                f"num_ctx {num_ctx}; raise llm.ollama.num_ctx"
            )
        body = {
            "model": self.settings["model"],
            "messages": messages,
            "stream": False,
            "options": {"temperature": temperature, "num_ctx": num_ctx, "num_predict": max_tokens},
            "keep_alive": self.settings["keep_alive"],
        }
        if schema is not None:
            body["format"] = schema
        try:
            response = self.call("POST", "/api/chat", json=body)
        except ProviderError as e:
            if e.status == 404:
                model = self.settings["model"]
                raise ProviderError(f"{e}; run `ollama pull {model}`", status=404) from None
            raise
        reply = self._reply(response)
        prompt_tokens = int(reply.get("prompt_eval_count") or 0)
        if prompt_tokens and prompt_tokens < 0.5 * estimate:
            # Ollama cuts an overlong prompt from the front and still answers 200.
            raise ProviderError(
                f"the prompt was truncated by the server ({prompt_tokens} tokens evaluated, about "
                f"{estimate} sent); raise num_ctx on the server or llm.ollama.num_ctx"
            )
        content = (reply.get("message") or {}).get("content", "")
        return Completion(
            text=content,
            prompt_tokens=prompt_tokens,
            completion_tokens=int(reply.get("eval_count") or 0),
            finish_reason=reply.get("done_reason") or ("stop" if reply.get("done") else None),
        )

    def _reply(self, response) -> dict:
        """A 200 can still carry an error, also as one NDJSON line among others."""
        text = response.text
        lines = [line for line in text.splitlines() if line.strip()]
        parsed = []
        for line in lines:
            try:
                parsed.append(json.loads(line))
            except ValueError:
                raise ProviderError(
                    f"ollama answered with something that is not JSON: {line[:80]!r}"
                ) from None
        for item in parsed:
            if isinstance(item, dict) and item.get("error"):
                raise ProviderError(f"ollama: {item['error']}")
        if not parsed or not isinstance(parsed[-1], dict):
            raise ProviderError("ollama answered with an empty body")
        if len(parsed) > 1:  # streamed despite stream: false: join the pieces
            content = "".join((p.get("message") or {}).get("content", "") for p in parsed)
            final = dict(parsed[-1])
            final["message"] = {"role": "assistant", "content": content}
            return final
        return parsed[0]


@hookimpl
def register_llm_providers(register):
    register(OllamaProvider)
