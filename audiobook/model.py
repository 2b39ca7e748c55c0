"""The book as the stages pass it on: plain dataclasses, no behaviour beyond small helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Span:
    """Where a paragraph came from: a document (the file, or an EPUB member) and offsets in it."""

    source: str
    start: int
    end: int


@dataclass
class Paragraph:
    text: str
    span: Span


@dataclass
class Chapter:
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(len(p.text.split()) for p in self.paragraphs)

    @property
    def chars(self) -> int:
        return sum(len(p.text) for p in self.paragraphs)


@dataclass
class Book:
    title: str
    author: str | None
    language: str | None
    chapters: list[Chapter]
    source: Path
    cover: bytes | None = None
    cover_type: str | None = None  # "jpeg" or "png" ...
    skipped: list[str] = field(default_factory=list)  # titles of front/back matter left out
