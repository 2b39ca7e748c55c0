"""PDF through pypdf: running headers, footers and page numbers removed, hyphenated line breaks
joined, paragraphs rebuilt from lines, then chapters found as in plain text.

Spans are offsets into the rebuilt text (paragraphs joined by blank lines), named "FILE#text".
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from pathlib import Path

from audiobook.errors import UserError
from audiobook.ingest.sections import select_body
from audiobook.ingest.text import HEADING, split_sections
from audiobook.model import Book

MAX_PAGES = 5000
EDGE_LINES = 2  # how many lines at the top and bottom of a page may be running heads
MAX_HEAD_CHARS = 70  # running heads are short; a repeated long line is text
PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?[-–—(]?\s*(\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)]?\s*$", re.I)
SENTENCE_END = re.compile(r"[.!?:\"”’)]\s*$")


def read_pdf(path: Path, *, keep_front_matter: bool = False) -> Book:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UserError(f"{path.name}: the PDF is encrypted; it cannot be read")
        if len(reader.pages) > MAX_PAGES:
            raise UserError(f"{path.name}: over {MAX_PAGES} pages, too large for one book")
        pages = [(page.extract_text() or "").splitlines() for page in reader.pages]
        info = reader.metadata or {}
    except UserError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as e:
        raise UserError(f"{path.name}: not a readable PDF ({type(e).__name__}: {e})") from None
    lines = remove_running_heads(pages)
    text = "\n\n".join(rebuild_paragraphs(lines))
    sections = split_sections(text, 0, len(text), False, f"{path.name}#text")
    chapters, left_out = select_body(sections, keep_front_matter)
    title = _meta(info, "/Title") or path.stem
    for chapter in chapters:
        chapter.title = chapter.title or title
    return Book(title, _meta(info, "/Author"), None, chapters, path, left_out=left_out)


def _meta(info, key: str) -> str | None:
    value = info.get(key) if hasattr(info, "get") else None
    return " ".join(str(value).split()) or None if value else None


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def remove_running_heads(pages: list[list[str]]) -> list[str]:
    """Drop page numbers and lines repeated at the top or bottom of most pages."""
    pages = [[ln for ln in page if ln.strip()] for page in pages]
    edges: Counter[str] = Counter()
    for page in pages:
        seen = {_shape(ln) for ln in page[:EDGE_LINES] + page[-EDGE_LINES:]}
        edges.update(seen)
    threshold = max(3, len(pages) // 2)
    running = {s for s, n in edges.items() if n >= threshold and len(s) <= MAX_HEAD_CHARS}
    kept: list[str] = []
    for page in pages:
        for i, line in enumerate(page):
            at_edge = i < EDGE_LINES or i >= len(page) - EDGE_LINES
            if at_edge and (_shape(line) in running or PAGE_NUMBER.match(line)):
                continue
            kept.append(line.strip())
    return kept


def rebuild_paragraphs(lines: list[str]) -> list[str]:
    """Join lines into paragraphs: a short line ending a sentence, or a heading, ends one."""
    if not lines:
        return []
    typical = statistics.median(len(ln) for ln in lines)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if HEADING.match(line):
            if current:
                paragraphs.append(current)
            paragraphs.append(line)
            current = ""
            continue
        if (
            current.endswith("-")
            and len(current) > 1
            and current[-2].isalpha()
            and line[:1].islower()
        ):
            current = current[:-1] + line  # "exam-" + "ple": a word broken at the line end
        else:
            current = f"{current} {line}" if current else line
        if SENTENCE_END.search(line) and len(line) < 0.8 * typical:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs
