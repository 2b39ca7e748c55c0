"""The cast the LLM reads, window by window, merged into one: one person per main name, other
names joining only where no window gives them to two people and no gender disagrees; the rules'
lines handed over to the person holding their names; a bad answer changes nothing."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audiobook.agents.attribution import attribute
from audiobook.agents.cast_merge import Listed, merge, plain
from audiobook.agents.llm_cast import build_cast
from audiobook.llm import StructuredLLM
from audiobook.model import Chapter, Paragraph, Span
from audiobook.plugin.testing import Reply, StubServer

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


def _build(handler, progress=None):
    import audiobook_ollama

    attribution = attribute(_chapters())
    with StubServer() as server:
        server.on("POST", "/api/chat", handler)
        provider = audiobook_ollama.OllamaProvider(base_url=server.url, timeout=2)
        llm = StructuredLLM(provider, attempts=2, base_delay=0.01)
        report = build_cast(attribution, _chapters(), llm, progress)
        sent = list(server.requests)
    return attribution, report, sent


def _person(name, others=(), gender="unknown", speaks=True) -> dict:
    return {"name": name, "other_names": list(others), "gender": gender, "speaks": speaks}


def _answers(*people: dict):
    return lambda seen: _reply(json.dumps({"people": list(people)}))


def test_the_llms_cast_replaces_the_rules_and_takes_over_their_lines():
    attribution, report, sent = _build(_answers(
        _person("Caroline Bingley", ["Miss Bingley", "Caroline"], "female"),
        _person("Charles Bingley", ["Mr. Bingley", "Charles"], "male"),
        _person("Pat", [], "female"),
        _person("Lady Grey", [], "female"),
    ))  # fmt: skip
    cast = {c.name: c for c in attribution.cast.characters}
    assert {"Caroline Bingley", "Charles Bingley", "Pat", "Lady Grey"} <= set(cast)
    assert cast["Pat"].gender == "female" and cast["Charles Bingley"].gender == "male"
    speakers = [s.speaker for s in attribution.segments if s.kind == "quote"]
    charles, caroline = "Charles Bingley", "Caroline Bingley"
    assert speakers == [charles, caroline, charles, caroline, "Pat", "Pat", caroline, "Lady Grey"]
    assert len(report.people) == 4 and report.fallbacks == 0
    prompt = sent[0].body["messages"][-1]["content"]
    assert "Known people:" in prompt and "- Miss Bingley" in prompt and "Passage:" in prompt


@pytest.mark.parametrize(
    "reply",
    [
        _reply("not JSON"),
        _reply(json.dumps({"people": [{"name": "Gandalf"}]})),  # fields missing
        _reply("I'm sorry, I can't help with that."),
        Reply(500, {"error": "model crashed"}),
        Reply(200, {}, delay=3),
    ],
    ids=["invalid-json", "incomplete", "refusal", "server-error", "timeout"],
)
def test_bad_answers_leave_the_rules_cast(reply):
    before = [(c.name, c.gender, sorted(c.aliases)) for c in attribute(_chapters()).cast.characters]
    attribution, report, _ = _build(lambda seen: reply)
    after = [(c.name, c.gender, sorted(c.aliases)) for c in attribution.cast.characters]
    assert after == before and report.fallbacks == len(report.windows) >= 1
    assert sum(report.failures.values()) == report.fallbacks


def test_progress_is_reported_per_window():
    seen: list[tuple[int, int]] = []
    _, report, _ = _build(_answers(), lambda done, total: seen.append((done, total)))
    total = len(report.windows)
    assert seen == [(n, total) for n in range(1, total + 1)]


def _entry(window, name, others=(), gender=None) -> Listed:
    item = {"name": name, "other_names": list(others), "gender": gender or "unknown"}
    entry = Listed.read(window, item)
    assert entry is not None
    return entry


def test_windows_merge_by_main_name_and_by_an_other_name_that_is_someones_main_name():
    entries = [
        _entry(0, "Elizabeth Bennet", ["Lizzy", "Miss Bennet"], "female"),
        _entry(0, "Jane Bennet", ["Jane", "Miss Bennet"], "female"),
        _entry(1, "Lizzy", ["Elizabeth Bennet"]),
        _entry(2, "Elizabeth Bennet", ["Eliza"], "female"),
        _entry(3, "Miss Bennet", [], "female"),  # which one? a name of two: stays apart
        _entry(4, "Mr. Darcy", ["Darcy"], "male"),
        _entry(5, "Georgiana", ["Mr. Darcy"], "female"),  # genders disagree: apart
    ]
    people, owner = merge(entries)
    by_name = {p.name: p for p in people}
    lizzy = by_name["Elizabeth Bennet"]
    assert owner[0] is owner[2] is owner[3] is lizzy and {"Lizzy", "Eliza"} <= lizzy.aliases
    assert owner[1] is not lizzy and owner[4] is not lizzy and owner[4] is not owner[1]
    assert owner[5] is not owner[6] and by_name["Georgiana"].gender == "female"
    assert lizzy.mentions == 3 and lizzy.gender == "female"


NAMES = st.sampled_from(["Ann", "Mr. Ward", "Mrs. Ward", "Tom", "Tom Ward", "the Captain"])


@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),
            NAMES,
            st.lists(NAMES, max_size=3),
            st.sampled_from([None, "female", "male"]),
        ),
        max_size=12,
    )
)
def test_merge_gives_every_entry_one_person_holding_its_names(raw):
    entries = [_entry(w, name, others, gender) for w, name, others, gender in raw]
    people, owner = merge(entries)
    assert len(owner) == len(entries)
    assert {id(p) for p in owner} == {id(p) for p in people}
    for entry, person in zip(entries, owner, strict=True):
        assert entry.name in person.aliases and set(entry.others) <= person.aliases
    mains: dict[str, int] = {}
    for entry, person in zip(entries, owner, strict=True):
        assert mains.setdefault(plain(entry.name), id(person)) == id(person)
    assert len({p.name for p in people}) == len(people)
