"""The reader agent: a file in, a `Book` of chapters and paragraphs out."""

from __future__ import annotations

from pathlib import Path

from audiobook.errors import UserError
from audiobook.model import Book
from audiobook.text.language import book_language

READERS = {
    ".epub": "epub",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".mobi": "calibre",
    ".azw": "calibre",
    ".azw3": "calibre",
}


def read_book(path: str | Path, *, keep_front_matter: bool = False) -> Book:
    path = Path(path)
    if not path.exists():
        raise UserError(f"no such file: {path}")
    if not path.is_file():
        raise UserError(f"not a file: {path}")
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(READERS))
        raise UserError(f"{path.name}: unsupported format '{path.suffix or 'none'}' ({known})")
    if kind == "epub":
        from audiobook.ingest.epub import read_epub as reader
    elif kind == "html":
        from audiobook.ingest.html import read_html as reader
    elif kind == "pdf":
        from audiobook.ingest.pdf import read_pdf as reader
    elif kind == "calibre":
        from audiobook.ingest.calibre import read_with_calibre as reader
    else:
        from audiobook.ingest.text import read_text as reader
    book = reader(path, keep_front_matter=keep_front_matter)
    if not book.chapters or not any(c.paragraphs for c in book.chapters):
        raise UserError(f"{path.name}: no readable text found")
    sample = "\n".join(p.text for c in book.chapters[:5] for p in c.paragraphs[:200])
    book.language = book_language(book.language, sample)
    if len(book.chapters) == 1 and not keep_front_matter:
        book.chapters[0].title = book.title  # a book in one part is named by its title
    return book
