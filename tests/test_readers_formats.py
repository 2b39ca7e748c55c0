"""HTML, Markdown, PDF and Calibre-converted inputs, and the `inspect` command."""

from __future__ import annotations

import os
import stat
import zipfile

import pytest
from helpers import ALICE_EPUB, needs_shared, run_audiobook
from pdfmaker import make_pdf

from audiobook.errors import UserError
from audiobook.ingest import read_book

STORY = [
    "The rain had not stopped for three days, and the river was rising faster than any",
    "of the old men in the village could remember. Nobody knew what to do, so they did",
    "what they always did: they waited, and they watched the brown water, and they talked",
    "about the great flood of their grandfathers' time, when the terrible exam-",
    "ple of the mill had taught everyone to build their houses on the hill.",
    "That was the whole of it.",
    "In the morning the ferryman came up from the landing with his hat in his hands and",
    "asked whether anyone had seen his daughter, who had gone down to the boats at dawn",
    "to bail them out before the current could take them away from their moorings.",
    "Nobody had.",
]


def _pdf_pages():
    pages = []
    for n in range(1, 7):
        lines = ["THE RIVER: A NOVEL"] if n % 2 else ["ANN WRITER"]
        if n in (1, 4):
            lines.append("CHAPTER I." if n == 1 else "CHAPTER II.")
        start = (n * 3) % len(STORY)
        lines += [STORY[(start + i) % len(STORY)] for i in range(len(STORY))]
        lines.append(str(n))
        pages.append(lines)
    return pages


def test_pdf_drops_running_heads_and_page_numbers_and_joins_hyphens(tmp_path):
    path = tmp_path / "river.pdf"
    path.write_bytes(make_pdf(_pdf_pages(), title="The River", author="Ann Writer"))
    book = read_book(path)
    assert (book.title, book.author) == ("The River", "Ann Writer")
    assert [c.title for c in book.chapters] == ["CHAPTER I.", "CHAPTER II."]
    text = " ".join(p.text for c in book.chapters for p in c.paragraphs)
    assert "THE RIVER: A NOVEL" not in text and "ANN WRITER" not in text
    assert "terrible example of the mill" in text and "exam-" not in text
    assert not any(p.text.strip().isdigit() for c in book.chapters for p in c.paragraphs)
    assert "That was the whole of it." in text
    assert any(p.text.endswith("Nobody had.") for c in book.chapters for p in c.paragraphs)


def test_corrupt_pdf_is_one_clear_error(tmp_path):
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not a pdf at all")
    with pytest.raises(UserError, match="not a readable PDF"):
        read_book(path)


def test_html_chapters_from_headings(tmp_path):
    path = tmp_path / "story.html"
    path.write_text(
        "<html lang='en'><head><title>Two Tales</title><meta name='author' content='A. Writer'>"
        "</head><body><h1>Contents</h1><p>One. Two.</p>"
        "<h1>The First Tale</h1><p>It began<sup><a epub:type='noteref' href='#n1'>1</a></sup>"
        " at dawn.</p><p>It ended at dusk.</p><script>var x = 1;</script>"
        "<h1>The Second Tale</h1><p>Another <em>day</em> came.</p></body></html>",
        encoding="utf-8",
    )
    book = read_book(path)
    assert (book.title, book.author, book.language) == ("Two Tales", "A. Writer", "en")
    assert [c.title for c in book.chapters] == ["The First Tale", "The Second Tale"]
    assert [p.text for p in book.chapters[0].paragraphs] == [
        "It began at dawn.",
        "It ended at dusk.",
    ]
    assert book.skipped == ["Contents"]


def test_markdown_headings_front_matter_and_inline_markup(tmp_path):
    path = tmp_path / "tale.md"
    path.write_text(
        "---\ntitle: A *Markdown* Tale\nauthor: Ann Writer\nlang: en\n---\n\n"
        "# Chapter One\nIt was a **dark** and _stormy_ night. See [the map](http://x/m).\n\n"
        "> A quoted line.\n\n---\n\n```\ncode\n```\n\n# Chapter Two\n\nThe end of `it`.\n",
        encoding="utf-8",
    )
    text = path.read_text(encoding="utf-8")
    book = read_book(path)
    assert (book.title, book.author, book.language) == ("A Markdown Tale", "Ann Writer", "en")
    assert [c.title for c in book.chapters] == ["Chapter One", "Chapter Two"]
    first = book.chapters[0].paragraphs
    assert [p.text for p in first] == [
        "It was a dark and stormy night. See the map.",
        "A quoted line.",
    ]
    assert text[first[0].span.start : first[0].span.end].startswith("It was a **dark**")


def test_mobi_without_calibre_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    path = tmp_path / "book.mobi"
    path.write_bytes(b"BOOKMOBI")
    with pytest.raises(UserError, match="needs Calibre's ebook-convert"):
        read_book(path)


@needs_shared(ALICE_EPUB)
def test_mobi_through_ebook_convert(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "ebook-convert"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\ncp '{ALICE_EPUB}' \"$2\"\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    path = tmp_path / "alice.azw3"
    path.write_bytes(b"not really azw3")
    book = read_book(path)
    assert len(book.chapters) == 12 and book.source == path


def test_zip_bomb_and_huge_text_are_refused_without_reading_them(tmp_path, monkeypatch):
    from audiobook.ingest import epub

    monkeypatch.setattr(epub, "MAX_UNCOMPRESSED", 1024 * 1024)
    bomb = tmp_path / "bomb.epub"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("OEBPS/big.html", b"\0" * (2 * 1024 * 1024))
    with pytest.raises(UserError, match="unpacks to over 1 MB"):
        read_book(bomb)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(500 * 1024 * 1024)  # sparse: no disk, no time
    with pytest.raises(UserError, match="too large for one book"):
        read_book(huge)


@needs_shared(ALICE_EPUB)
def test_inspect_prints_what_the_reader_found():
    result = run_audiobook("inspect", str(ALICE_EPUB))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Title:    Alice's Adventures in Wonderland" in out
    assert "Author:   Lewis Carroll" in out and "Language: en" in out
    assert "Chapters: 12" in out
    assert " 1  CHAPTER I. Down the Rabbit-Hole" in out
    assert (
        "Left out: front matter: ALICE’S ADVENTURES IN WONDERLAND, THE MILLENNIUM FULCRUM EDITION"
        " 3.0; contents: Contents" in out
    )
    assert "Quotes:   1,106 in single marks" in out


def test_inspect_says_when_no_quotes_are_found_and_in_which_marks_they_are(tmp_path):
    found = {}
    for name, text in {
        "plain": "Chapter 1\n\nNo one spoke at all.\n",
        "straight-single": "Chapter 1\n\n'I can't,' said Tom.\n\n'You can,' said Ann.\n",
        "guillemets": "Chapitre 1\n\n« Bonjour », dit Pierre.\n\n« Salut », dit Jean.\n",
    }.items():
        book = tmp_path / f"{name}.txt"
        book.write_text(text, encoding="utf-8")
        result = run_audiobook("inspect", str(book))
        assert result.returncode == 0, result.stderr
        found[name] = next(line for line in result.stdout.splitlines() if line.startswith("Quotes"))
    assert found == {
        "plain": "Quotes:   none found: the narrator reads the whole book",
        "straight-single": "Quotes:   2 in single marks (‘...’ or '...')",
        "guillemets": "Quotes:   2 in guillemets (« ... »)",
    }
