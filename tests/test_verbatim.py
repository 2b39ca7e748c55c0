"""Every word of the book is read, once, in order: over the EPUBs in ../shared, the words of
a chapter's script segments are the words of the chapter, none lost, none repeated, none
added (normalisation, which rewrites what is said, works on `say`). The 18 PDNC novels are
checked the same way on the readings the speaker model's floors are measured on
(`test_speaker_model.py`: reading each novel once serves both)."""

from __future__ import annotations

import sys

import pytest
from helpers import ROOT, SHARED

from audiobook.agents.attribution import read
from audiobook.agents.attribution.paragraphs import segments
from audiobook.ingest import read_book

sys.path.insert(0, str(ROOT / "benchmarks"))
from pdnc import unread_chapters  # noqa: E402

BOOKS = sorted((SHARED / "corpus" / "epub").glob("*.epub"))


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: p.name)
def test_the_script_holds_every_word_of_every_chapter_once_and_in_order(path):
    book = read_book(path)
    assert unread_chapters(book.chapters, segments(read(book.chapters).paras)) == []


def test_the_corpus_is_there():
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is not present")
    assert len(BOOKS) >= 3


def test_a_word_lost_repeated_or_out_of_order_is_caught():
    from audiobook.model import Chapter, Paragraph, Segment, Span

    text = '"Come here," said Anna. Boris came.'
    chapters = [Chapter("One", [Paragraph(text, Span("t", 0, len(text)))])]
    right = segments(read(chapters).paras)
    assert unread_chapters(chapters, right) == []

    def script(*texts: str) -> list[Segment]:
        return [Segment(1, "narration", t, Span("t", 0, 1)) for t in texts]

    for wrong in (
        script("Come here, said Anna."),
        script("Come here, said Anna. Boris came came."),
        script("Boris came. Come here, said Anna."),
    ):
        assert unread_chapters(chapters, wrong) == ["chapter 1 (One)"]
