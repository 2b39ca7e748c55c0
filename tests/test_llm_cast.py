"""The cast checked by an LLM, window by window: genders and other names are votes the rules'
cast takes only where nothing in the text disagrees, and a bad answer changes nothing."""

from __future__ import annotations

import json

import pytest

from audiobook.agents.attribution import attribute
from audiobook.agents.llm_cast import refine_cast
from audiobook.llm import StructuredLLM
from audiobook.model import Chapter, Paragraph, Span
from audiobook.testing import Reply, StubServer

PARAGRAPHS = [
    '"Good morning, Caroline," said Mr. Bingley.',
    '"Good morning, Charles," said Miss Bingley. Miss Bingley smiled.',
    '"Shall we walk?" said Mr. Bingley.',
    '"Not today," said Caroline.',
    '"Then I shall go alone," said Pat. Pat took a hat and went out.',
    '"Goodbye," said Pat.',
    '"Where is Lady Grey?" said Miss Bingley.',
    '"Upstairs," said Lady Grey.',
]


def _chapters() -> list[Chapter]:
    return [Chapter("One", [Paragraph(p, Span("t", 0, len(p))) for p in PARAGRAPHS])]


def _reply(content: str) -> Reply:
    message = {"role": "assistant", "content": content}
    return Reply(200, {"message": message, "done": True, "done_reason": "stop"})


def _refine(handler, progress=None):
    import audiobook_ollama

    attribution = attribute(_chapters())
    with StubServer() as server:
        server.on("POST", "/api/chat", handler)
        provider = audiobook_ollama.OllamaProvider(base_url=server.url, timeout=2)
        llm = StructuredLLM(provider, attempts=2, base_delay=0.01)
        report = refine_cast(attribution, _chapters(), llm, progress)
        sent = list(server.requests)
    return attribution, report, sent


def _answers(*items: dict):
    def handler(seen):
        names = seen.body["format"]["properties"]["characters"]["items"]["properties"]["name"]
        listed = set(names["enum"])
        return _reply(json.dumps({"characters": [i for i in items if i["name"] in listed]}))

    return handler


def test_other_names_merge_and_unknown_genders_are_set():
    attribution, report, sent = _refine(_answers(
        {"name": "Caroline", "gender": "female", "same_as": "Miss Bingley"},
        {"name": "Pat", "gender": "female", "same_as": "none"},
    ))  # fmt: skip
    cast = {c.name: c for c in attribution.cast.characters}
    assert "Caroline" not in cast and "Caroline" in cast["Miss Bingley"].aliases
    assert cast["Pat"].gender == "female"
    assert ("Caroline", "Miss Bingley") in report.merged and report.genders >= 1
    speakers = {s.speaker for s in attribution.segments if s.kind == "quote"}
    assert "Caroline" not in speakers
    prompt = sent[0].body["messages"][-1]["content"]
    assert "Passage:" in prompt and "Miss Bingley" in prompt


def test_people_who_talk_to_each_other_and_titles_are_not_overruled():
    attribution, report, _ = _refine(_answers(
        {"name": "Mr. Bingley", "gender": "female", "same_as": "Miss Bingley"},
        {"name": "Lady Grey", "gender": "male", "same_as": "none"},
    ))  # fmt: skip
    cast = {c.name: c for c in attribution.cast.characters}
    assert cast["Mr. Bingley"].gender == "male" and cast["Lady Grey"].gender == "female"
    assert "Mr. Bingley" in cast and "Miss Bingley" in cast and report.merged == []


@pytest.mark.parametrize(
    "reply",
    [
        _reply("not JSON"),
        _reply(
            json.dumps({"characters": [{"name": "Gandalf", "gender": "male", "same_as": "none"}]})
        ),  # fmt: skip
        _reply("I'm sorry, I can't help with that."),
        Reply(500, {"error": "model crashed"}),
        Reply(200, {}, delay=3),
    ],
    ids=["invalid-json", "unknown-name", "refusal", "server-error", "timeout"],
)
def test_bad_answers_leave_the_rules_cast(reply):
    before = [(c.name, c.gender, sorted(c.aliases)) for c in attribute(_chapters()).cast.characters]
    attribution, report, _ = _refine(lambda seen: reply)
    after = [(c.name, c.gender, sorted(c.aliases)) for c in attribution.cast.characters]
    assert after == before and report.fallbacks == report.windows >= 1


def test_progress_is_reported_per_window():
    seen: list[tuple[int, int]] = []
    _, report, _ = _refine(_answers(), lambda done, total: seen.append((done, total)))
    assert seen == [(n, report.windows) for n in range(1, report.windows + 1)]
