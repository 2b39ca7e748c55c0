"""Recognising front and back matter: Gutenberg boilerplate, contents, title and copyright pages."""

from __future__ import annotations

import re

from audiobook.ingest.headings import is_chapter_heading

GUTENBERG_START = re.compile(r"\*\*\*\s*START OF (THE|THIS) PROJECT GUTENBERG", re.I)
GUTENBERG_END = re.compile(
    r"(\*\*\*\s*END OF (THE|THIS) PROJECT GUTENBERG|^\s*End of (the )?Project Gutenberg)",
    re.I | re.M,
)
# What a section's title says it is, when it is not the story
MATTER_KINDS = [
    ("contents", r"^\s*(table of )?contents\.?$|^\s*table des mati[eè]res\.?$|^\s*table\.?$"
                 r"|^\s*sommaire\.?$|^\s*index\.?$|^\s*(list of )?illustrations\.?$"),
    ("licence", r"licen[cs]e|^\s*copyright"),
    ("notes", r"^\s*(foot|end)?notes\s*[.:]?$|^\s*notes? (du traducteur|de l'auteur)"),
    ("front matter", r"^\s*title page$|^\s*cover$|^\s*half[- ]title$"),
    ("back matter", r"^\s*acknowledge?ments?\.?$|^\s*about the authors?\b|^\s*also by\b"
                    r"|^\s*about (this|the) (e-?book|publisher)|^\s*colophon$|^\s*corrections?\.?$"
                    r"|^\s*errata\.?$|^\s*au lecteur\.?$|^\s*du m[eê]me auteur"
                    r"|^\s*achev[ée] d.imprimer"
                    r"|^\s*transcriber.?s? notes?\.?$|^\s*bibliograph(y|ie)\.?$|^\s*credits\.?$"
                    r"|^\s*remerciements\.?$|^\s*[àa] propos de l.auteur"),
]  # fmt: skip
MATTER_PATTERNS = [(kind, re.compile(pattern, re.I)) for kind, pattern in MATTER_KINDS]
# Who made the e-book: Gutenberg's producers, scanning projects, French digital libraries
CREDITS = re.compile(
    r"\b(produced by|prepared by|transcribed by|e-?text (was )?(prepared|produced)"
    r"|distributed proofread|proofreading team|this (e-?book|file) (was|is) (produced|made)"
    r"|num[ée]ris[ée] par|mis en ligne par|biblioth[eè]que num[ée]rique|ebooks libres)",
    re.I,
)
CHAPTER_LIKE = re.compile(
    r"^\s*(chapter|chap\.|book|part|volume|prologue|preface|introduction|foreword|letter|"
    r"epilogue|section|stave|canto|[IVXLCDM]+\.?(\s|$)|\d+\.?(\s|$))",
    re.I,
)
SHORT_FRONT_WORDS = 120


def matter_kind(title: str) -> str | None:
    """ "contents", "licence", "notes", "front matter" or "back matter" by a section's title."""
    return next((kind for kind, p in MATTER_PATTERNS if p.search(title.strip())), None)


def is_matter_title(title: str) -> bool:
    return matter_kind(title) is not None


def looks_like_chapter(title: str) -> bool:
    return bool(CHAPTER_LIKE.match(title)) or is_chapter_heading(title)
