"""Every word of the book is read, once, in order: over the 18 PDNC novels and the EPUBs in
../shared, the words of a chapter's script segments are the words of the chapter, none lost,
none repeated, none added (normalisation, which rewrites what is said, works on `say`)."""

from __future__ import annotations

import re

import pytest
from helpers import SHARED

from audiobook.agents.attribution import read
from audiobook.agents.attribution.paragraphs import segments
from audiobook.ingest import read_book

WORD = re.compile(r"[^\W_]+")  # letters and digits; "_" is italics markup in PDNC's texts
BOOKS = sorted((SHARED / "corpus" / "pdnc").glob("*/novel_text.txt")) + sorted(
    (SHARED / "corpus" / "epub").glob("*.epub")
)


@pytest.mark.slow
@pytest.mark.parametrize(
    "path", BOOKS, ids=lambda p: p.parent.name if p.suffix == ".txt" else p.name
)
def test_the_script_holds_every_word_of_every_chapter_once_and_in_order(path):
    book = read_book(path)
    found = segments(read(book.chapters).paras)
    first = min(s.chapter for s in found)
    for n, chapter in enumerate(book.chapters):
        want = WORD.findall(" ".join(p.text for p in chapter.paragraphs))
        got = WORD.findall(" ".join(s.text for s in found if s.chapter == first + n))
        assert got == want, f"{path.name}, chapter {n + 1} ({chapter.title})"


def test_the_corpus_is_there():
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is not present")
    assert len(BOOKS) >= 21
