"""The analysis with an LLM as its reader, against local servers speaking the OpenAI and Ollama
APIs: the LLM's cast replaces the rules', every quote no tag plainly names is asked about, and
every failure (invalid JSON, speakers not in the list, timeouts, cut prompts) falls back to the
rules visibly, or is an error with `llm.required`."""

from __future__ import annotations

import json
import re

import pytest
from helpers import EXAMPLE, run_audiobook

from audiobook.agents.attribution import attribute
from audiobook.errors import UserError
from audiobook.ingest import read_book
from audiobook.llm import StructuredLLM
from audiobook.llm_analysis import LLMReading
from audiobook.plugin.testing import Reply, StubServer, free_port
from audiobook.providers import LLMProvider


def _openai_reply(content: str, prompt_tokens: int = 0) -> Reply:
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
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": 10},
        },
    )


def _ollama_reply(content: str) -> Reply:
    return Reply(
        200,
        {
            "message": {"role": "assistant", "content": content},
            "done": True,
            "done_reason": "stop",
            "eval_count": 10,
        },
    )


def _known(prompt: str) -> list[dict]:
    """The cast answer of a model that takes the hints as they are."""
    people = []
    for line in prompt.split("\n\nPassage:")[0].splitlines()[1:]:
        m = re.match(r"- (.+?)(?: \(also (.+)\))?$", line)
        if m:
            others = m.group(2).split(", ") if m.group(2) else []
            people.append({"name": m.group(1), "other_names": others, "gender": "unknown",
                           "speaks": True})  # fmt: skip
    return people


def _answer(schema: dict, prompt: str) -> str:
    """A model that keeps the hinted cast and gives every quote the first candidate."""
    if "people" in schema["properties"]:
        return json.dumps({"people": _known(prompt)})
    items = schema["properties"]["answers"]
    candidates = items["items"]["properties"]["speaker"]["enum"]
    return json.dumps(
        {"answers": [{"quote": n + 1, "speaker": candidates[0]} for n in range(items["maxItems"])]}
    )


def _provider(server, kind: str) -> LLMProvider:
    if kind == "openai":
        import audiobook_openai

        return audiobook_openai.OpenAIProvider(base_url=f"{server.url}/v1", model="m", timeout=1)
    import audiobook_ollama

    return audiobook_ollama.OllamaProvider(base_url=server.url, timeout=1)


ROUTES = {
    "openai": ("/v1/chat/completions", _openai_reply, "response_format"),
    "ollama": ("/api/chat", _ollama_reply, "format"),
}


def _schema(kind: str, seen) -> dict:
    fmt = seen.body[ROUTES[kind][2]]
    return fmt["json_schema"]["schema"] if kind == "openai" else fmt


@pytest.fixture(scope="module")
def rules():
    book = read_book(EXAMPLE)
    return [(s.text, s.speaker) for s in attribute(book.chapters).segments if s.kind == "quote"]


def _run(kind, handler, attempts=2, required=False):
    path = ROUTES[kind][0]
    book = read_book(EXAMPLE)
    attribution = attribute(book.chapters)
    with StubServer() as server:
        server.on("POST", path, handler)
        llm = StructuredLLM(_provider(server, kind), attempts=attempts, base_delay=0.01)
        reading = LLMReading(llm, required=required)
        try:
            reading.read_cast(attribution, book.chapters)
            reading.read_quotes(attribution.segments, attribution)
        finally:
            sent = list(server.requests)
    return attribution, reading, sent


@pytest.mark.parametrize("kind", ["openai", "ollama"])
def test_the_llm_reads_the_cast_and_every_quote_no_tag_plainly_names(kind, rules):
    def handler(seen):
        return ROUTES[kind][1](_answer(_schema(kind, seen), seen.body["messages"][-1]["content"]))

    attribution, reading, sent = _run(kind, handler)
    quotes = [s for s in attribution.segments if s.kind == "quote"]
    q = reading.quotes
    assert q.asked + q.plainly_tagged == len(quotes) and q.asked > 0 and q.plainly_tagged > 0
    assert sum(1 for s in quotes if s.how == "llm") == q.asked
    assert reading.llm.usage.calls == len(sent) == len(reading.cast.windows) + q.windows
    cast_prompt = sent[0].body["messages"][-1]["content"]
    assert "Known people:" in cast_prompt and "Passage:" in cast_prompt
    quote_prompt = next(r for r in sent if "[Q1]" in r.body["messages"][-1]["content"])
    assert "Candidates:" in quote_prompt.body["messages"][-1]["content"]
    names = {c.name for c in attribution.cast.characters}
    assert {s.speaker for s in quotes if s.speaker} <= names
    # A plainly tagged quote keeps the person its tag names.
    tagged = [s for s in quotes if s.how == "explicit"]
    assert tagged and all(s.tag and s.speaker for s in tagged)


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
def test_bad_answers_fall_back_to_the_rules_and_say_so(kind, bad, rules):
    attribution, reading, sent = _run(kind, lambda seen: ROUTES[kind][1](bad))
    assert [(s.text, s.speaker) for s in attribution.segments if s.kind == "quote"] == rules
    q = reading.quotes
    assert q.fallbacks == q.windows >= 1 and q.fallback_quotes == q.asked and q.changed == 0
    assert len(sent) == 2 * (q.windows + len(reading.cast.windows))  # one repair attempt each
    problems = reading.problems()
    assert any("quotes keep the rules' speakers" in p and "schema" in p for p in problems)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["openai", "ollama"])
def test_timeouts_fall_back_to_the_rules(kind, rules):
    attribution, reading, _ = _run(kind, lambda seen: Reply(200, {}, delay=1.5))
    assert [(s.text, s.speaker) for s in attribution.segments if s.kind == "quote"] == rules
    assert reading.quotes.fallbacks >= 1 and reading.llm.usage.retries >= 1
    assert any("check it is up" in p for p in reading.problems())


def test_a_server_that_cuts_prompts_gets_the_context_window_warning(rules):
    """An OpenAI-compatible server (llama.cpp, vLLM behind a proxy) that reads a fraction of
    each prompt: its usage says so, and the warning names the fix."""

    def handler(seen):
        content = _answer(_schema("openai", seen), seen.body["messages"][-1]["content"])
        return _openai_reply(content, prompt_tokens=60)

    attribution, reading, _ = _run("openai", handler)
    assert [(s.text, s.speaker) for s in attribution.segments if s.kind == "quote"] == rules
    assert reading.quotes.failures["truncated"] == reading.quotes.windows >= 1
    assert any("context window" in p and "num_ctx" in p for p in reading.problems())


def test_ollama_cutting_prompts_is_an_error_when_the_llm_is_required():
    def handler(seen):
        reply = _ollama_reply(_answer(seen.body["format"], seen.body["messages"][-1]["content"]))
        reply.body["prompt_eval_count"] = 30
        return reply

    with pytest.raises(UserError, match="required.*cut prompts short.*num_ctx"):
        _run("ollama", handler, required=True)


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


def _models() -> Reply:
    return Reply(200, {"data": [{"id": "m", "object": "model"}]})


def test_convert_with_an_llm_decides_quotes_while_it_synthesises(tmp_path, work_dir):
    def handler(seen):
        return _openai_reply(_answer(_schema("openai", seen), seen.body["messages"][-1]["content"]))

    with StubServer() as server:
        server.on("GET", "/v1/models", _models())
        server.on("POST", "/v1/chat/completions", handler)
        result = run_audiobook(
            "convert", str(EXAMPLE), "--tts", "tone", "--llm", "openai", "-q",
            "--set", f"llm.openai.base_url={server.url}/v1", "-o", str(tmp_path / "x.m4b"),
        )  # fmt: skip
        calls = sum(1 for r in server.requests if r.path == "/v1/chat/completions")
    assert result.returncode == 0, result.stderr
    assert f"LLM openai: {calls} requests" in result.stdout and calls >= 2
    assert "per 100k words" in result.stdout and "asked" in result.stdout
    assert (tmp_path / "x.m4b").exists()


def _cutting(seen) -> Reply:
    """A server that reads only the end of every prompt (Ollama over num_ctx does this)."""
    return _openai_reply(_answer(_schema("openai", seen), seen.body["messages"][-1]["content"]), 40)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("behaviour", "fix"),
    [
        (lambda seen: Reply(500, {"error": "model crashed"}), "check it is up"),
        (_cutting, "raise its context window"),
    ],
    ids=["server-errors", "cut-prompts"],
)
def test_script_says_how_many_quotes_fell_back_and_required_makes_it_an_error(
    behaviour, fix, tmp_path, work_dir
):
    with StubServer() as server:
        server.on("GET", "/v1/models", _models())
        server.on("POST", "/v1/chat/completions", behaviour)
        url = f"llm.openai.base_url={server.url}/v1"
        args = ["script", str(EXAMPLE), "--tts", "tone", "--llm", "openai", "--set", url]
        fell_back = run_audiobook(*args, "-o", str(tmp_path / "a.jsonl"))
        required = run_audiobook(*args, "--llm-required", "-o", str(tmp_path / "b.jsonl"))
    assert fell_back.returncode == 0, fell_back.stderr
    assert re.search(r"[1-9]\d* left to the rules", fell_back.stdout)
    warnings = [line for line in fell_back.stderr.splitlines() if line.startswith("warning: LLM")]
    assert warnings and all(fix in w for w in warnings)
    assert required.returncode != 0 and not (tmp_path / "b.jsonl").exists()
    lines = required.stderr.strip().splitlines()
    assert len(lines) == 1 and "required" in lines[0] and fix in lines[0]


def test_a_cue_the_model_proposes_is_kept_only_where_the_tag_says_it():
    from audiobook.model import Chapter, Paragraph, Span

    texts = ['"Come here," whispered Anna to Boris.', '"Why?" said Boris.', '"Now," said Anna.']
    chapter = Chapter("One", [Paragraph(t, Span("t", 0, len(t))) for t in texts])
    attribution = attribute([chapter])

    def handler(seen):
        schema = _schema("openai", seen)
        if "people" in schema["properties"]:
            return _openai_reply(json.dumps({"people": []}))
        count = schema["properties"]["answers"]["maxItems"]
        answers = [{"quote": n + 1, "speaker": "unknown", "cue": "whisper"} for n in range(count)]
        return _openai_reply(json.dumps({"answers": answers}))

    with StubServer() as server:
        server.on("POST", "/v1/chat/completions", handler)
        reading = LLMReading(StructuredLLM(_provider(server, "openai"), attempts=1))
        reading.read_cast(attribution, [chapter])
        reading.read_quotes(attribution.segments, attribution)
    cues = [(s.text, s.emotion) for s in attribution.segments if s.kind == "quote"]
    assert cues == [("Come here,", "whisper"), ("Why?", None), ("Now,", None)]
    assert reading.quotes.cues == 1
