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


def test_a_manner_the_parser_hangs_on_a_description_once_is_no_new_person():
    """ "in conclusion" is how the old gentleman spoke, not which one: told once, the longer
    description is no cast entry of its own."""
    paragraphs = [
        '"Well," said the old gentleman in conclusion.',
        '"Yes," said the old gentleman.',
        '"No," said the old gentleman.',
    ]
    chapters = [Chapter("One", [Paragraph(p, Span("t", 0, len(p))) for p in paragraphs])]
    reading = read(chapters)
    assert [q.tag for p in reading.paras for q in p.quotes] == ["the old gentleman"] * 3
    assert not any("conclusion" in c.name for c in reading.cast.characters)


def test_a_speaker_after_the_verb_whatever_the_small_parser_calls_it():
    """The small parser reads a speaker after its verb as an object ("called the croupier":
    a predicate), an adverb ("replied Oliver"), makes the verb the name's modifier ("continued
    Astley") or hangs "he" on a later verb; after a quote each is the verb's subject."""
    got = _facts(
        '"Zero!" called the croupier.',
        '"Yes, sir," replied Oliver. "I will."',
        '"Well," continued Astley. "Let us go."',
        '"Please, sir," inquired poor Oliver.',
        '"Never," said he, suddenly boiling over.',
    )
    first_of_each = [got[i] for i in (0, 1, 3, 5, 6)]  # the second quotes run on untagged
    assert [(f.tag_subject, f.speech_verb) for f in first_of_each] == [
        ("the croupier", True),
        ("Oliver", True),
        ("Astley", True),
        ("poor Oliver", True),  # the cast reads "poor Oliver" as Oliver
        ("he", True),
    ]
    assert got[0].described == "the croupier"


def test_a_quote_that_is_someones_answer_or_words_is_theirs():
    got = _facts(
        "\"Four o'clock!\" was Mr. Weston's quick amendment; and so ended the meeting.",
        '"A dangerous theory!" came from Sir Thomas\'s tight lips.',
        'The moment she was gone, this was the spontaneous burst of Emma\'s feelings: "Oh God!"',
        '"Never," was her answer.',
        '"Yes," was all that was said.',
        # the small parser makes the injunction the subject of "was"
        '"Think of me," was Mrs. Weston\'s parting injunction; spoken with some anxiety.',
        # a dash the tokenizer would keep with the quote's last word and "was"
        '"I wonder"--was all Harriet\'s answer, and spoken with some displeasure.',
    )
    assert [(f.tag_subject, f.speech_verb) for f in got] == [
        ("Mr. Weston", True),
        ("Sir Thomas", True),
        ("Emma", True),
        ("she", True),  # a possessive pronoun stands for its subject, for the gender features
        (None, False),
        ("Mrs. Weston", True),
        ("Harriet", True),
    ]


def test_the_parsers_owner_tags_a_quote_the_tag_patterns_do_not_read():
    """No list of nouns says "injunction" or "amendment" is a way of speaking: after "was",
    the owner the parser finds is the speaker, as "said Mrs. Weston" would be."""
    chapters = [
        Chapter("One", [Paragraph(p, Span("t", 0, len(p))) for p in (
            "Mrs. Weston and Mr. Weston stood at the door with Emma.",
            '"Think of me to-morrow, my dear Emma," was Mrs. Weston\'s parting injunction.',
            '"Four o\'clock!" was Mr. Weston\'s quick amendment.',
        )])
    ]  # fmt: skip
    reading = read(chapters)
    got = [(q.tag, q.speaker.name) for p in reading.paras for q in p.quotes]
    assert got == [("Mrs. Weston", "Mrs. Weston"), ("Mr. Weston", "Mr. Weston")]
