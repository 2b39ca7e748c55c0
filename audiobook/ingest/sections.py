"""Turning titled sections into the book's chapters, leaving front and back matter out, each
with the reason `audiobook inspect` shows."""

from __future__ import annotations

import re

from audiobook.ingest.frontmatter import (
    CREDITS,
    SHORT_FRONT_WORDS,
    looks_like_chapter,
    matter_kind,
)
from audiobook.model import Chapter, LeftOut

CREDITS_MAX_WORDS = 150
LISTED_SHARE = 0.6  # a section most of whose lines name chapters is a table of contents
ENTRY_MAX_CHARS = 100


def drop_title_headings(chapter: Chapter, heading_flags: list[bool]) -> Chapter:
    """Headings that open a chapter repeat its title, which is spoken on its own: drop them."""
    keep_from = 0
    while keep_from < len(heading_flags) and heading_flags[keep_from]:
        keep_from += 1
    return Chapter(chapter.title, chapter.paragraphs[keep_from:])


def title_key(text: str) -> str:
    """A title compared loosely: case, punctuation and spacing aside."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def looks_like_contents(chapter: Chapter, titles: set[str]) -> bool:
    """Whatever its title ("FIN"), a section of short lines that name the book's chapters (or
    look like chapter headings, or end in a page number) is its table of contents."""
    lines = [p.text for p in chapter.paragraphs]
    if len(lines) < 3:
        return False
    listed = sum(
        len(line) <= ENTRY_MAX_CHARS
        and (
            title_key(line) in titles
            or looks_like_chapter(line)
            or bool(re.search(r"[\s.]\d{1,4}$", line))
        )
        for line in lines
    )
    return listed >= LISTED_SHARE * len(lines)


def looks_like_credits(chapter: Chapter) -> bool:
    """A short section that says who produced the e-book."""
    return chapter.words <= CREDITS_MAX_WORDS and any(
        CREDITS.search(p.text) for p in chapter.paragraphs
    )


def select_body(
    chapters: list[Chapter], keep_front_matter: bool
) -> tuple[list[Chapter], list[LeftOut]]:
    """Split sections into (chapters to read, what was left out and why)."""
    if keep_front_matter:
        return [c for c in chapters if c.paragraphs], []
    kept: list[Chapter] = []
    left_out: list[LeftOut] = []
    first_real = next(
        (i for i, c in enumerate(chapters) if looks_like_chapter(c.title)),
        next((i for i, c in enumerate(chapters) if c.words >= SHORT_FRONT_WORDS), 0),
    )
    titles = {title_key(c.title) for c in chapters if c.title}
    for i, chapter in enumerate(chapters):
        why = matter_kind(chapter.title)
        if why is None and looks_like_contents(chapter, titles - {title_key(chapter.title)}):
            why = "contents"
        elif why is None and looks_like_credits(chapter):
            why = "credits"
        elif why is None and i < first_real and chapter.words < SHORT_FRONT_WORDS:
            why = "front matter"
        elif why is None and not chapter.paragraphs:
            why = "empty"
        if why is None:
            kept.append(chapter)
        else:
            left_out.append(LeftOut(chapter.title or "Front matter", why))
    return kept, left_out
