from __future__ import annotations

import zipfile

import pytest
from helpers import ALICE_EPUB, EXAMPLE, SHARED, needs_shared

from audiobook.errors import UserError
from audiobook.ingest import read_book

PDNC = SHARED / "corpus" / "pdnc"
NOVELS = ["AlicesAdventuresInWonderland", "PrideAndPrejudice", "TheSignOfTheFour"]


@needs_shared(ALICE_EPUB)
def test_alice_epub_has_its_twelve_chapters_and_no_licence():
    book = read_book(ALICE_EPUB)
    assert (book.title, book.author, book.language) == (
        "Alice's Adventures in Wonderland",
        "Lewis Carroll",
        "en",
    )
    titles = [c.title for c in book.chapters]
    assert len(titles) == 12
    assert titles[0] == "CHAPTER I. Down the Rabbit-Hole"
    assert titles[11] == "CHAPTER XII. Alice’s Evidence"
    assert book.chapters[0].paragraphs[0].text.startswith("Alice was beginning to get very tired")
    text = " ".join(p.text for c in book.chapters for p in c.paragraphs)
    assert "Gutenberg" not in text and "LICENSE" not in text
    assert "Contents" in book.skipped


@needs_shared(SHARED / "corpus" / "epub" / "Row-Your-Boat-3.0.epub")
def test_epub3_and_french_samples_read_cleanly():
    boat = read_book(SHARED / "corpus" / "epub" / "Row-Your-Boat-3.0.epub")
    assert boat.title == "Row, Row, Row Your Boat" and boat.cover_type == "jpeg"
    assert boat.chapters[0].paragraphs[0].text.startswith("Row, row, row your boat")
    lapin = read_book(SHARED / "corpus" / "epub" / "pg29052.epub")
    assert lapin.language == "fr" and lapin.cover_type == "jpeg"
    text = " ".join(p.text for c in lapin.chapters for p in c.paragraphs)
    assert "Pierre" in text and "Gutenberg" not in text and "[8]" not in text
    assert "Image plus grande" not in text and "Open quote" not in text


def test_example_story_has_metadata_and_two_chapters():
    book = read_book(EXAMPLE)
    assert (book.title, book.author) == ("The Clockmaker's Apprentice", "The audiobook project")
    assert [c.title for c in book.chapters] == [
        "Chapter 1: The Stopped Clock",
        "Chapter 2: The Note in the Clock",
    ]


@pytest.mark.parametrize("novel", NOVELS)
def test_pdnc_spans_map_back_to_the_exact_text(novel):
    path = PDNC / novel / "novel_text.txt"
    if not path.exists():
        pytest.skip("corpus not present")
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    book = read_book(path)
    assert len(book.chapters) >= 12
    for chapter in book.chapters:
        for p in chapter.paragraphs:
            assert " ".join(text[p.span.start : p.span.end].split()) == p.text


def test_text_encodings_and_gutenberg_boilerplate(tmp_path):
    body = (
        "The Project Gutenberg eBook of Test\n\nTitle: Café Stories\n\nAuthor: Zoë\n\n"
        "*** START OF THE PROJECT GUTENBERG EBOOK TEST ***\n\nCHAPTER I.\n\nThe café was "
        "open.\n\nCHAPTER II.\n\nIt closed.\n\n*** END OF THE PROJECT GUTENBERG EBOOK TEST ***"
        "\n\nSection 1. General Terms of Use and Redistributing Project Gutenberg works\n"
    )
    for encoding in ("utf-8", "utf-8-sig", "cp1252"):
        path = tmp_path / f"book-{encoding}.txt"
        path.write_bytes(body.encode(encoding))
        book = read_book(path)
        assert book.title == "Café Stories" and book.author == "Zoë"
        assert [c.title for c in book.chapters] == ["CHAPTER I.", "CHAPTER II."]
        assert book.chapters[1].paragraphs[-1].text == "It closed."


def _epub_with(tmp_path, name, members):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        for member, data in members.items():
            z.writestr(member, data)
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.epub", b"PK\x03\x04 this is not really a zip", "not a valid EPUB archive"),
        ("binary.txt", b"\x00\x01\x02\x03" * 100, "binary file"),
        ("empty.txt", b"   \n\n  ", "no readable text"),
        ("book.docx", b"whatever", "unsupported format '.docx'"),
    ],
)
def test_bad_files_are_one_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        read_book(path)


def test_drm_and_unsafe_archives_are_refused(tmp_path):
    drm = _epub_with(tmp_path, "drm.epub", {"META-INF/encryption.xml": "<encryption/>"})
    with pytest.raises(UserError, match="DRM"):
        read_book(drm)
    evil = _epub_with(tmp_path, "evil.epub", {"../../etc/passwd": "x"})
    with pytest.raises(UserError, match="unsafe member name"):
        read_book(evil)


def test_missing_file(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        read_book(tmp_path / "nothing.epub")


@needs_shared(ALICE_EPUB)
def test_truncated_epub_is_one_clear_error(tmp_path):
    data = ALICE_EPUB.read_bytes()
    path = tmp_path / "cut.epub"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UserError, match="not a valid EPUB archive"):
        read_book(path)


@needs_shared(ALICE_EPUB)
def test_keep_front_matter_keeps_contents_and_licence():
    book = read_book(ALICE_EPUB, keep_front_matter=True)
    titles = [c.title for c in book.chapters]
    assert titles[0] == "Front matter" and len(titles) == 13
    text = " ".join(p.text for c in book.chapters for p in c.paragraphs)
    assert "Project Gutenberg" in text
