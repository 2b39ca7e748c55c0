"""The reader agent: a file in, a `Book` of chapters and paragraphs out."""

from __future__ import annotations

from pathlib import Path

from audiobook.errors import UserError
from audiobook.model import Book

READERS = {".epub": "epub", ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text"}


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
        from audiobook.ingest.epub import read_epub

        book = read_epub(path, keep_front_matter=keep_front_matter)
    else:
        from audiobook.ingest.text import read_text

        book = read_text(path, keep_front_matter=keep_front_matter)
    if not book.chapters or not any(c.paragraphs for c in book.chapters):
        raise UserError(f"{path.name}: no readable text found")
    return book
