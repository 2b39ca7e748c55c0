"""The book's language, however the book gives it (or not), decides how its text is said and
whether the voices can say it at all."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from audiobook.cli import main
from audiobook.ingest import read_book
from audiobook.text.language import detect_language, language_tag
from audiobook.text.normalize import normalize

GUTENBERG = """The Project Gutenberg eBook of {title}

Title: {title}
Author: A. Writer
Language: {language}

*** START OF THE PROJECT GUTENBERG EBOOK {upper} ***

CHAPTER XLV

{body}

*** END OF THE PROJECT GUTENBERG EBOOK {upper} ***
"""
ENGLISH = (
    "On March 3, 1887 the clerk paid $3.50 and kept 20% of the rest, as Henry VIII had "
    "ordered. M. Poirot watched him, and C. S. Lewis wrote of it later."
)
FRENCH = (
    "Le 3 mars 1887, M. Dupont a payé 3,50 € au boulanger, puis il est rentré chez lui par "
    "la grande rue, content de sa journée."
)


def _book(tmp_path, language: str | None, body: str):
    path = tmp_path / "book.txt"
    if language is None:
        path.write_text(f"CHAPTER XLV\n\n{body}\n", encoding="utf-8")
    else:
        text = GUTENBERG.format(title="Test", upper="TEST", language=language, body=body)
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "declared, expected",
    [("English", "en"), ("French", "fr"), ("en-GB", "en-GB"), ("en_US", "en-US"),
     ("français", "fr"), ("English; French", "en"), ("", None), ("zz", None)],
)  # fmt: skip
def test_a_declared_language_becomes_a_tag(declared, expected):
    assert language_tag(declared) == expected


def test_a_gutenberg_language_name_turns_the_rules_on(tmp_path):
    book = read_book(_book(tmp_path, "English", ENGLISH))
    assert book.language == "en"
    said = normalize(book.chapters[0].paragraphs[0].text, book.language)
    assert not re.search(r"\d", said), said
    assert "eighteen eighty-seven" in said and "three dollars and fifty cents" in said
    assert "Henry the Eighth" in said


def test_without_a_declared_language_the_text_tells(tmp_path):
    assert read_book(_book(tmp_path, None, FRENCH)).language == "fr"
    assert read_book(_book(tmp_path, None, ENGLISH)).language == "en"
    assert detect_language("Oui.") is None  # too little to tell


def test_french_is_never_read_with_english_rules(tmp_path):
    book = read_book(_book(tmp_path, None, FRENCH))
    said = normalize(book.chapters[0].paragraphs[0].text, book.language)
    assert "Monsieur Dupont" in said and "trois euros cinquante centimes" in said
    assert "thousand" not in said and "three" not in said


@pytest.mark.parametrize(
    "text, kept",
    [("M. Poirot looked up.", "M. Poirot"), ("C. S. Lewis wrote.", "C. S. Lewis"),
     ("L. Frank Baum", "L. Frank Baum"), ("D. H. Lawrence", "D. H. Lawrence"),
     ("V. S. Naipaul", "V. S. Naipaul")],
)  # fmt: skip
def test_initials_are_letters_not_roman_numerals(text, kept):
    assert normalize(text, "en").startswith(kept)


@pytest.mark.parametrize(
    "heading, said",
    [("XLV", "forty-five"), ("XLV. The End", "forty-five. The End"), ("II", "two"),
     ("I Remember", "I Remember"), ("CHAPTER XLV", "CHAPTER forty-five")],
)  # fmt: skip
def test_a_heading_that_is_a_roman_numeral_is_a_number(heading, said):
    assert normalize(heading, "en", heading=True) == said


def test_a_list_numeral_still_reads_as_a_number():
    assert normalize("IV. The Pool of Tears", "en") == "four. The Pool of Tears"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_an_unknown_language_keeps_its_numbers_as_written(text):
    # No English (or any) rules on a language without them: every digit stays, in order.
    said = normalize(text, "zh")
    assert re.findall(r"\d", said) == re.findall(r"\d", text)


def test_a_book_no_voice_speaks_is_one_line_before_any_work(tmp_path, work_dir):
    path = _book(tmp_path, "French", FRENCH)
    result = CliRunner().invoke(main, ["script", str(path), "-o", str(tmp_path / "s.jsonl")])
    assert result.exit_code != 0
    line = result.output.strip().splitlines()[-1]
    assert "is in French (fr), and no piper voice speaks it" in line and "--voice" in line
    assert not (tmp_path / "s.jsonl").exists()
    forced = CliRunner().invoke(
        main,
        ["script", str(path), "--voice", "en_US-joe-medium", "-o", str(tmp_path / "s.jsonl")],
    )
    assert forced.exit_code == 0, forced.output


def test_inspect_says_the_language_and_the_voice_that_would_read_it(tmp_path, work_dir):
    french = _book(tmp_path, "French", FRENCH)
    shown = CliRunner().invoke(main, ["inspect", str(french)])
    assert shown.exit_code == 0, shown.output
    assert "Language: fr" in shown.output
    assert "Voice:    none (book.txt is in French (fr), and no piper voice" in shown.output
    english = CliRunner().invoke(main, ["inspect", str(_book(tmp_path, None, ENGLISH))])
    assert "Language: en" in english.output and "Voice:    piper en_US-joe-medium" in english.output
