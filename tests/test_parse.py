"""The parser's reading of speech tags (spaCy), and its cache."""

from __future__ import annotations

import pytest

from audiobook.agents.attribution import parse, read
from audiobook.model import Chapter, Paragraph, Span


def _facts(*paragraphs: str, cache=None) -> list[parse.Facts]:
    chapters = [Chapter("One", [Paragraph(p, Span("t", 0, len(p))) for p in paragraphs])]
    reading = read(chapters, cache=cache)
    return [q.facts for p in reading.paras for q in p.quotes]


def test_the_subject_of_the_verb_a_quote_hangs_on_wherever_it_stands():
    got = _facts(
        "Elizabeth, who had been listening with some impatience to Mr. Darcy, now said, "
        '"That is not true."',
        '"It is," said the old man who had come in with Darcy.',
        'Mr. Collins took his station by the fire, and said, "Indeed."',
        '"Perhaps," she answered.',
    )
    assert [(f.tag_subject, f.speech_verb) for f in got] == [
        ("Elizabeth", True),
        ("the old man", True),
        ("Mr. Collins", True),
        ("she", True),
    ]


def test_the_last_subject_before_an_untagged_quote_and_an_action_beat():
    got = _facts(
        "Jane looked at her sister for a long time.",
        '"You are right."',
        'Mr. Bingley smiled. "So are you."',
    )
    assert got[0].tag_subject is None and got[0].last_subject == "Jane"
    assert got[1].last_subject == "Mr. Bingley"


def test_a_second_run_reads_the_parse_from_the_cache(tmp_path, monkeypatch):
    first = _facts('"Yes," said Anna.', '"No," said Boris.', cache=tmp_path)
    assert len(list(tmp_path.glob("parse-*.json"))) == 1

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(parse.parser(), "pipe", no_parsing)
    assert _facts('"Yes," said Anna.', '"No," said Boris.', cache=tmp_path) == first
    with pytest.raises(AssertionError, match="parsed again"):
        _facts('"Yes," said Anna.', '"No," replied Boris.', cache=tmp_path)


def test_the_analysis_gives_the_parser_back_before_synthesis(tmp_path, work_dir, monkeypatch):
    """The suite keeps the pipeline loaded (conftest); a user's run frees it for the engine."""
    from helpers import EXAMPLE, run_audiobook

    from audiobook.pipeline import analysis

    released = []
    monkeypatch.setattr(analysis, "release_parser", lambda: released.append(parse._nlp))
    result = run_audiobook("script", str(EXAMPLE), "--tts", "tone", "-o", str(tmp_path / "s"))
    assert result.returncode == 0, result.stderr
    assert len(released) == 1 and released[0] is not None  # loaded for the analysis, then freed
    parse.release_parser()
    assert parse._nlp is None


def test_a_speaker_the_text_does_not_name_and_a_description_told_apart():
    got = _facts(
        '"Order!" said the gentleman in the white waistcoat, who was very red.',
        '"Not yet," said another.',
        '"Poveretta!" cried the landlady and the cabman.',
        '"Silence!" cried the audience, who were tired.',
        '"This way," said one of the men.',
        '"Me," replied the voice of the Dodger.',
        '"Off with you," said the ex-convict.',
        '"Dreams," said the girl of Robert\'s dreams.',
    )
    assert [(f.described, f.unnamed) for f in got] == [
        ("the gentleman in the white waistcoat", False),
        (None, True),  # the small parser reads "another" as the verb's object: still the speaker
        (None, True),
        (None, True),
        (None, True),
        (None, False),  # "the voice of" someone the tag names
        ("the ex-convict", False),  # the whole word the tokenizer split
        ("the girl", False),  # "of Robert's dreams" names someone else
    ]
    assert got[1].tag_subject == "another" and got[1].speech_verb


def test_the_parser_tells_apart_descriptions_the_expressions_cut_short():
    paragraphs = [
        '"Hang him," said the gentleman in the white waistcoat.',
        '"Mercy," said the gentleman in the high chair.',
        '"Hang him," said the gentleman in the white waistcoat.',
        '"Mercy," said the gentleman in the high chair.',
    ]
    chapters = [Chapter("One", [Paragraph(p, Span("t", 0, len(p))) for p in paragraphs])]
    reading = read(chapters)
    tags = [q.tag for p in reading.paras for q in p.quotes]
    waistcoat, chair = "the gentleman in the white waistcoat", "the gentleman in the high chair"
    assert tags == [waistcoat, chair, waistcoat, chair]
    speakers = [q.speaker.name for p in reading.paras for q in p.quotes]
    assert speakers[0] != speakers[1] and speakers[0] == speakers[2]
