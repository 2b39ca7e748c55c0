"""A base for LLM providers that speak the OpenAI chat API (vLLM, LM Studio, llama.cpp's server,
TGI, hosted APIs), through the `openai` client. Plugins subclass it and say how their server
takes a JSON schema.
"""

from __future__ import annotations

from typing import Any

from audiobook.http import error_message, explain, request
from audiobook.providers import Completion, Health, LLMProvider, Option, ProviderError


def openai_options(base_url: str, model: str = "") -> tuple[Option, ...]:
    return (
        Option("base_url", str, base_url, "server URL ending in /v1", affects_audio=False),
        Option("model", str, model, "model id (empty: the first of /v1/models)"),
        Option(
            "api_key",
            str,
            "",
            "API key; never logged (env: AUDIOBOOK_LLM_<NAME>_API_KEY)",
            secret=True,
            affects_audio=False,
        ),
        Option("timeout", float, 300.0, "seconds to wait for one answer", affects_audio=False),
    )


class OpenAICompatibleProvider(LLMProvider):
    """Chat completions through the `openai` client; retries are the core's, not the client's."""

    default_api_key = "not-needed"

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self._client = None
        self._model: str | None = self.settings.get("model") or None

    @property
    def base(self) -> str:
        return str(self.settings["base_url"]).rstrip("/")

    def client(self):
        if self._client is None:
            from openai import OpenAI

            self._client = OpenAI(
                base_url=self.base,
                api_key=self.settings.get("api_key") or self.default_api_key,
                timeout=float(self.settings["timeout"]),
                max_retries=0,
            )
        return self._client

    def model(self) -> str:
        if self._model is None:
            models = self._wrap(lambda: self.client().models.list())
            ids = [m.id for m in models.data]
            if not ids:
                raise ProviderError(f"{self.name} at {self.base} serves no model")
            self._model = ids[0]
        return self._model

    def cache_identity(self) -> dict[str, Any]:
        identity = super().cache_identity()
        identity["model"] = self._model or identity.get("model")
        return identity

    def response_format(self, schema: dict) -> dict | None:
        return {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}}

    def health_url(self) -> str:
        return f"{self.base}/models"

    def health(self) -> Health:
        try:
            request(self.name, "GET", self.health_url(), timeout=(3, 10), headers=self._auth())
            model = self.model()
        except ProviderError as e:
            return Health(False, explain(e, self.start_command()))
        return Health(True, f"{self.name} at {self.base}, model {model}")

    def _auth(self) -> dict[str, str]:
        key = self.settings.get("api_key")
        return {"Authorization": f"Bearer {key}"} if key else {}

    def _wrap(self, call):
        """Run an `openai` call, turning its errors into ProviderError with `retryable` set."""
        import openai

        try:
            return call()
        except openai.APIStatusError as e:
            status = e.status_code
            detail = _detail(e)
            raise ProviderError(
                f"{self.name} answered {status}: {detail}",
                retryable=status == 429 or status >= 500,
                status=status,
            ) from None
        except openai.APITimeoutError:
            raise ProviderError(
                f"{self.name} at {self.base} did not answer in time", retryable=True
            ) from None
        except openai.APIConnectionError:
            raise ProviderError(
                f"cannot connect to {self.name} at {self.base}", retryable=True
            ) from None
        except openai.OpenAIError as e:
            raise ProviderError(f"{self.name}: {type(e).__name__}: {e}") from None

    def complete(self, messages, *, schema=None, max_tokens=512, temperature=0.0) -> Completion:
        kwargs: dict[str, Any] = {
            "model": self.model(),
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": temperature,
        }
        if schema is not None and (fmt := self.response_format(schema)) is not None:
            kwargs["response_format"] = fmt
        reply = self._wrap(lambda: self.client().chat.completions.create(**kwargs))
        if not getattr(reply, "choices", None):
            raise ProviderError(f"{self.name} answered without choices")
        choice = reply.choices[0]
        usage = getattr(reply, "usage", None)
        return Completion(
            text=(choice.message.content or "") if choice.message else "",
            prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
            completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
            finish_reason=choice.finish_reason,
        )


def _detail(error) -> str:
    body = getattr(error, "body", None)
    if isinstance(body, str) and body:
        return body[:300]
    return error_message(body, str(getattr(error, "message", error)))
