"""The attributor with an LLM: only uncertain quotes are asked about, and every failure of the
server (invalid JSON, speakers not in the list, timeouts, refusals) falls back to the rules."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLE, run_audiobook

from audiobook.agents.attribution import attribute
from audiobook.agents.llm_refine import refine, uncertain
from audiobook.ingest import read_book
from audiobook.llm import StructuredLLM
from audiobook.providers import LLMProvider
from audiobook.testing import Reply, StubServer, free_port


def _openai_reply(content: str) -> Reply:
    return Reply(
        200,
        {
            "id": "x",
            "object": "chat.completion",
            "created": 1,
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": content},
                }
            ],
            "usage": {"prompt_tokens": 50, "completion_tokens": 10},
        },
    )


def _ollama_reply(content: str) -> Reply:
    return Reply(
        200,
        {
            "message": {"role": "assistant", "content": content},
            "done": True,
            "done_reason": "stop",
            "prompt_eval_count": 400,
            "eval_count": 10,
        },
    )


def _answer_first_candidate(schema: dict) -> str:
    if "characters" in schema["properties"]:  # the cast check: change nothing
        return json.dumps({"characters": []})
    items = schema["properties"]["answers"]
    candidates = items["items"]["properties"]["speaker"]["enum"]
    return json.dumps(
        {"answers": [{"quote": n + 1, "speaker": candidates[0]} for n in range(items["maxItems"])]}
    )


def _providers(server, kind: str) -> LLMProvider:
    if kind == "openai":
        import audiobook_openai

        return audiobook_openai.OpenAIProvider(base_url=f"{server.url}/v1", model="m", timeout=2)
    import audiobook_ollama

    return audiobook_ollama.OllamaProvider(base_url=server.url, timeout=2)


ROUTES = {
    "openai": ("/v1/chat/completions", _openai_reply, "response_format"),
    "ollama": ("/api/chat", _ollama_reply, "format"),
}


@pytest.fixture(scope="module")
def rules():
    book = read_book(EXAMPLE)
    segments = attribute(book.chapters).segments
    assert any(uncertain(s) for s in segments), "the example must have an uncertain quote"
    return book, [(s.text, s.speaker) for s in segments if s.kind == "quote"]


def _run(kind, handler, attempts=2):
    path, _, _ = ROUTES[kind]
    book = read_book(EXAMPLE)
    segments = attribute(book.chapters).segments
    with StubServer() as server:
        server.on("POST", path, handler)
        llm = StructuredLLM(_providers(server, kind), attempts=attempts, base_delay=0.01)
        report = refine(segments, llm)
        sent = list(server.requests)
    return segments, report, llm, sent


@pytest.mark.parametrize("kind", ["openai", "ollama"])
def test_only_uncertain_quotes_are_asked_and_answers_are_applied(kind, rules):
    _, reply, field = ROUTES[kind]

    def handler(seen):
        fmt = seen.body[field]
        schema = fmt["json_schema"]["schema"] if kind == "openai" else fmt
        return reply(_answer_first_candidate(schema))

    segments, report, llm, sent = _run(kind, handler)
    asked = [s for s in segments if s.how == "llm"]
    assert report.asked == len(asked) > 0 and llm.usage.calls == len(sent) >= 1
    prompt = sent[0].body["messages"][-1]["content"]
    assert "[Q1]" in prompt and "Candidates:" in prompt
    sure = [(s.text, s.speaker) for s in segments if s.kind == "quote" and s.how != "llm"]
    assert set(sure) <= set(rules[1])  # what the rules were sure of is untouched


@pytest.mark.parametrize("kind", ["openai", "ollama"])
@pytest.mark.parametrize(
    "bad",
    [
        "this is not JSON at all",
        json.dumps({"answers": [{"quote": 1, "speaker": "Gandalf"}]}),
        "I'm sorry, but I can't help with identifying speakers in this text.",
    ],
    ids=["invalid-json", "wrong-speaker", "refusal"],
)
def test_bad_answers_fall_back_to_the_rules(kind, bad, rules):
    _, reply, _ = ROUTES[kind]
    segments, report, llm, sent = _run(kind, lambda seen: reply(bad))
    assert [(s.text, s.speaker) for s in segments if s.kind == "quote"] == rules[1]
    assert report.fallbacks >= 1 and report.changed == 0
    assert len(sent) == 2 * report.fallbacks  # one repair attempt per window, then the rules


@pytest.mark.parametrize("kind", ["openai", "ollama"])
def test_timeouts_fall_back_to_the_rules(kind, rules):
    _, reply, _ = ROUTES[kind]
    segments, report, llm, _ = _run(kind, lambda seen: Reply(200, {}, delay=3))
    assert [(s.text, s.speaker) for s in segments if s.kind == "quote"] == rules[1]
    assert report.fallbacks >= 1 and llm.usage.retries >= 1


def test_convert_with_a_down_ollama_is_one_line_with_the_start_command(tmp_path, work_dir):
    url = f"http://127.0.0.1:{free_port()}"
    result = run_audiobook(
        "convert",
        str(EXAMPLE),
        "--llm",
        "ollama",
        "--set",
        f"llm.ollama.base_url={url}",
        "-o",
        str(tmp_path / "x.m4b"),
    )
    assert result.returncode != 0 and not (tmp_path / "x.m4b").exists()
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot connect to ollama at {url}" in lines[0]
    assert "start it with: ollama serve" in lines[0]


def test_convert_with_an_llm_refines_while_it_synthesises(tmp_path, work_dir):
    def handler(seen):
        fmt = seen.body["response_format"]["json_schema"]["schema"]
        return _openai_reply(_answer_first_candidate(fmt))

    with StubServer() as server:
        server.on("GET", "/v1/models", Reply(200, {"data": [{"id": "m", "object": "model"}]}))
        server.on("POST", "/v1/chat/completions", handler)
        result = run_audiobook(
            "convert",
            str(EXAMPLE),
            "--tts",
            "tone",
            "--llm",
            "openai",
            "-q",
            "--set",
            f"llm.openai.base_url={server.url}/v1",
            "-o",
            str(tmp_path / "x.m4b"),
        )
        calls = sum(1 for r in server.requests if r.path == "/v1/chat/completions")
    assert result.returncode == 0, result.stderr
    assert f"LLM openai: {calls} calls" in result.stdout and calls >= 1
    assert "cast checked in" in result.stdout
    assert (tmp_path / "x.m4b").exists()
