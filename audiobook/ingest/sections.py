"""Turning titled sections into the book's chapters, leaving front and back matter out."""

from __future__ import annotations

from audiobook.ingest.frontmatter import SHORT_FRONT_WORDS, is_matter_title, looks_like_chapter
from audiobook.model import Chapter


def drop_title_headings(chapter: Chapter, heading_flags: list[bool]) -> Chapter:
    """Headings that open a chapter repeat its title, which is spoken on its own: drop them."""
    keep_from = 0
    while keep_from < len(heading_flags) and heading_flags[keep_from]:
        keep_from += 1
    return Chapter(chapter.title, chapter.paragraphs[keep_from:])


def select_body(
    chapters: list[Chapter], keep_front_matter: bool
) -> tuple[list[Chapter], list[str]]:
    """Split sections into (chapters to read, titles of skipped matter)."""
    if keep_front_matter:
        return [c for c in chapters if c.paragraphs], []
    kept: list[Chapter] = []
    skipped: list[str] = []
    first_real = next(
        (i for i, c in enumerate(chapters) if looks_like_chapter(c.title)),
        next((i for i, c in enumerate(chapters) if c.words >= SHORT_FRONT_WORDS), 0),
    )
    for i, chapter in enumerate(chapters):
        front_and_short = i < first_real and chapter.words < SHORT_FRONT_WORDS
        if is_matter_title(chapter.title) or front_and_short or not chapter.paragraphs:
            skipped.append(chapter.title or "Front matter")
        else:
            kept.append(chapter)
    return kept, skipped
