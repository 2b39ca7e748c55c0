from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from audiobook.selection import parse_chapters
from audiobook.text.chunk import chunk_text, is_speakable, split_sentences


def squash(text: str) -> str:
    return "".join(text.split())


@given(st.text(), st.integers(min_value=1, max_value=500))
@settings(max_examples=300)
def test_chunks_keep_every_character_in_order(text, limit):
    chunks = chunk_text(text, limit)
    assert squash("".join(chunks)) == squash(text)


@given(st.text(), st.integers(min_value=1, max_value=300))
@settings(max_examples=300)
def test_chunks_respect_the_limit_unless_one_word_is_longer(text, limit):
    for chunk in chunk_text(text, limit):
        assert len(chunk) <= limit or len(chunk.split()) == 1


@given(st.text())
def test_sentences_keep_every_character(text):
    assert squash("".join(split_sentences(text))) == squash(text)


def test_sentence_split_survives_abbreviations_initials_and_decimals():
    text = (
        "Mr. Smith met Dr. Jones at 3.5 p.m. on St. John's day. "
        'J. R. Tolkien waved. "Why?" he asked.'
    )
    assert split_sentences(text) == [
        "Mr. Smith met Dr. Jones at 3.5 p.m. on St. John's day.",
        "J. R. Tolkien waved.",
        '"Why?" he asked.',
    ]


def test_chunks_are_whole_sentences_when_they_fit():
    text = "One two three. Four five six. Seven eight nine."
    assert chunk_text(text, 30) == ["One two three. Four five six.", "Seven eight nine."]


def test_long_sentence_breaks_at_clause_punctuation_never_inside_a_word():
    text = "The rain fell on the roofs, on the gardens, and on the long grey road to the sea."
    chunks = chunk_text(text, 30)
    assert chunks[0] == "The rain fell on the roofs,"
    words = text.split()
    assert [w for c in chunks for w in c.split()] == words


def test_unspeakable_text():
    assert not is_speakable("* * * * *") and not is_speakable(" — ")
    assert is_speakable("1865") and is_speakable("Où?")


@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=6))
def test_chapter_selection_picks_what_was_named(numbers):
    spec = ",".join(str(n) for n in numbers)
    assert parse_chapters(spec, 40) == sorted({n - 1 for n in numbers})


def test_chapter_ranges():
    assert parse_chapters("1-3,5", 12) == [0, 1, 2, 4]
    assert parse_chapters("10-", 12) == [9, 10, 11]
