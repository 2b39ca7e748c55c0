"""Behaviour every LLM provider shares, written once: retries with backoff and jitter, a bound
on requests in flight, JSON extracted and validated against the schema, one repair attempt,
answers cached by a hash of the prompt, and token usage counted for the run summary.

Providers only speak their server's protocol (see `audiobook.providers.LLMProvider`); agents
call `StructuredLLM.ask` and fall back to their own rules on `LLMFailure`.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from audiobook.files import atomic_write
from audiobook.http import retry_delay
from audiobook.providers import Completion, LLMProvider, ProviderError

TRUNCATED, SERVER, ANSWER = "truncated", "server", "answer"
ADVICE = {
    TRUNCATED: "the server cut prompts short: raise its context window (Ollama: "
    "llm.ollama.num_ctx; vLLM: --max-model-len; llama.cpp: --ctx-size)",
    SERVER: "the server failed or did not answer: check it is up and read its log",
    ANSWER: "the model's answers did not fit the schema: use a larger or instruction-tuned "
    "model, or a server that constrains JSON output",
}
CUT_RATIO = 0.5  # a prompt the server says it read less than half of was cut


class LLMFailure(Exception):
    """The model gave no valid answer; the agent falls back to its own rules. `cause` is
    TRUNCATED, SERVER or ANSWER (see ADVICE)."""

    def __init__(self, message: str, cause: str = ANSWER) -> None:
        super().__init__(message)
        self.cause = cause


def estimate_prompt_tokens(messages: list[dict[str, str]]) -> int:
    """About four characters a token in English prose, for every tokenizer in common use."""
    return sum(len(m.get("content", "")) for m in messages) // 4 + 4 * len(messages)


def failure_line(failures, windows: int, quotes: int, what: str) -> str:
    """One line for a run summary: how many requests failed, why, and what to do."""
    cause, _ = failures.most_common(1)[0]
    n = sum(failures.values())
    return (
        f"{n} of {windows} {what} requests failed ({cause}); {quotes} quotes keep the rules' "
        f"speakers. Fix: {ADVICE[cause]}"
    )


@dataclass
class Usage:
    calls: int = 0
    cached: int = 0
    failures: int = 0
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0  # waiting for answers, summed over requests in flight
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, completion: Completion, seconds: float) -> None:
        with self._lock:
            self.calls += 1
            self.seconds += seconds
            self.prompt_tokens += completion.prompt_tokens
            self.completion_tokens += completion.completion_tokens


def extract_json(text: str) -> Any:
    """The first JSON value in a reply, also when wrapped in prose or a ``` fence."""
    text = text.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    if fenced:
        text = fenced.group(1).strip()
    decoder = json.JSONDecoder()
    for i, ch in enumerate(text):
        if ch in "{[":
            try:
                value, _ = decoder.raw_decode(text[i:])
                return value
            except json.JSONDecodeError:
                continue
    raise ValueError("no JSON value in the reply")


class StructuredLLM:
    def __init__(
        self,
        provider: LLMProvider,
        *,
        attempts: int = 4,
        max_in_flight: int = 2,
        cache_dir: Path | None = None,
        base_delay: float = 0.5,
    ) -> None:
        self.provider = provider
        self.concurrency = max_in_flight
        self.attempts = attempts
        self.base_delay = base_delay
        self.usage = Usage()
        self._slots = threading.BoundedSemaphore(max_in_flight)
        self.cache_dir = cache_dir

    def _call(self, messages, schema, max_tokens, temperature) -> Completion:
        """One completion, retried with exponential backoff and jitter when retryable."""
        for attempt in range(1, self.attempts + 1):
            try:
                with self._slots:
                    started = time.monotonic()
                    completion = self.provider.complete(
                        messages, schema=schema, max_tokens=max_tokens, temperature=temperature
                    )
                    seconds = time.monotonic() - started
                if isinstance(completion, str):
                    completion = Completion(completion)
                self.usage.add(completion, seconds)
                return completion
            except ProviderError as e:
                if not e.retryable or attempt == self.attempts:
                    raise
                self.usage.retries += 1
                time.sleep(retry_delay(attempt, self.base_delay, 30.0))
        raise AssertionError("unreachable")

    def ask(
        self,
        messages: list[dict[str, str]],
        schema: dict,
        *,
        max_tokens: int = 512,
        temperature: float = 0.0,
        version: str = "",
    ) -> Any:
        """A JSON answer valid against `schema`, or LLMFailure after one repair attempt.
        `version`: the asking agent's prompt version, part of the cache key."""
        key = self._key(messages, schema, max_tokens, temperature, version)
        cached = self._cached(key)
        if cached is not None:
            self.usage.cached += 1
            return cached
        conversation = list(messages)
        problem = ""
        for _ in range(2):
            try:
                completion = self._call(conversation, schema, max_tokens, temperature)
            except ProviderError as e:
                self.usage.failures += 1
                message = str(e)
                if self.provider.name not in message:
                    message = f"{self.provider.name}: {message}"
                cut = "truncated" in message or "num_ctx" in message
                raise LLMFailure(message, TRUNCATED if cut else SERVER) from None
            # Only a first request: a repair shares its prefix with it, which a server's
            # prompt cache may leave uncounted.
            sent = estimate_prompt_tokens(conversation)
            if not problem and 0 < completion.prompt_tokens < CUT_RATIO * sent:
                self.usage.failures += 1
                raise LLMFailure(
                    f"{self.provider.name} read {completion.prompt_tokens} prompt tokens of "
                    f"about {sent} sent: the prompt was truncated",
                    TRUNCATED,
                )
            if completion.finish_reason == "length":
                problem = "the answer was cut off at max_tokens"
            else:
                try:
                    value = extract_json(completion.text)
                    jsonschema.validate(value, schema)
                    self._store(key, value)
                    return value
                except (ValueError, jsonschema.ValidationError) as e:
                    problem = getattr(e, "message", str(e))
            conversation = list(messages) + [
                {"role": "assistant", "content": completion.text[:2000]},
                {
                    "role": "user",
                    "content": f"That answer is not valid: {problem}. Reply with "
                    "JSON only, matching the schema.",
                },
            ]
        self.usage.failures += 1
        raise LLMFailure(f"{self.provider.name}: no valid answer ({problem})", ANSWER)

    def _key(self, messages, schema, max_tokens, temperature, version) -> str:
        payload = json.dumps(
            [
                version,
                self.provider.name,
                self.provider.cache_identity(),
                messages,
                schema,
                max_tokens,
                temperature,
            ],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    def _cached(self, key: str) -> Any:
        if self.cache_dir is None:
            return None
        path = self.cache_dir / f"{key}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _store(self, key: str, value: Any) -> None:
        if self.cache_dir is not None:
            atomic_write(self.cache_dir / f"{key}.json", json.dumps(value).encode())
