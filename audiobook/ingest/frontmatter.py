"""Recognising front and back matter: Gutenberg boilerplate, contents, title and copyright pages."""

from __future__ import annotations

import re

GUTENBERG_START = re.compile(r"\*\*\*\s*START OF (THE|THIS) PROJECT GUTENBERG", re.I)
GUTENBERG_END = re.compile(
    r"(\*\*\*\s*END OF (THE|THIS) PROJECT GUTENBERG|^\s*End of (the )?Project Gutenberg)",
    re.I | re.M,
)
MATTER_TITLE = re.compile(
    r"^\s*(table of )?contents\.?$|^\s*title page$|^\s*copyright|^\s*index$|^\s*colophon$"
    r"|licen[cs]e|^\s*also by\b|^\s*about (this|the) (e-?book|publisher)|^\s*cover$"
    r"|^\s*(list of )?illustrations\.?$",
    re.I,
)
CHAPTER_LIKE = re.compile(
    r"^\s*(chapter|chap\.|book|part|volume|prologue|preface|introduction|foreword|letter|"
    r"epilogue|section|stave|canto|[IVXLCDM]+\.?(\s|$)|\d+\.?(\s|$))",
    re.I,
)
SHORT_FRONT_WORDS = 120


def is_matter_title(title: str) -> bool:
    return bool(MATTER_TITLE.search(title.strip()))


def looks_like_chapter(title: str) -> bool:
    return bool(CHAPTER_LIKE.match(title))
