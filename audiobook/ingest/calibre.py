"""Mobi and AZW3 through Calibre's ebook-convert (to EPUB), when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from audiobook.errors import UserError
from audiobook.model import Book

TIMEOUT = 600


def read_with_calibre(path: Path, *, keep_front_matter: bool = False) -> Book:
    converter = shutil.which("ebook-convert")
    if converter is None:
        raise UserError(
            f"{path.name}: reading {path.suffix} needs Calibre's ebook-convert, which is not "
            "installed (install Calibre, or convert the book to EPUB first)"
        )
    from audiobook.ingest.epub import read_epub

    with tempfile.TemporaryDirectory(prefix="audiobook-calibre-") as tmp:
        epub = Path(tmp) / (path.stem + ".epub")
        try:
            proc = subprocess.run(
                [converter, str(path), str(epub)], capture_output=True, text=True, timeout=TIMEOUT
            )
        except subprocess.TimeoutExpired:
            raise UserError(f"{path.name}: ebook-convert took over {TIMEOUT} s") from None
        if proc.returncode != 0 or not epub.is_file():
            last = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
            raise UserError(f"{path.name}: ebook-convert failed: {last[0]}")
        book = read_epub(epub, keep_front_matter=keep_front_matter)
    book.source = path
    return book
