"""The book as the stages pass it on: plain dataclasses, no behaviour beyond small helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

UNSURE = "unsure"  # a quote's `how` when the narrator reads it: its speaker is only a guess


@dataclass(frozen=True)
class Span:
    """Where a paragraph came from: a document (the file, or an EPUB member) and offsets in it."""

    source: str
    start: int
    end: int


@dataclass
class Paragraph:
    text: str  # whitespace collapsed, as spoken
    span: Span
    raw: str | None = None  # the source text of the span, when it differs from `text`

    @property
    def source_text(self) -> str:
        return self.raw if self.raw is not None else self.text


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


@dataclass(frozen=True)
class LeftOut:
    """A section the reader leaves out, and why ("contents", "back matter", "credits" ...)."""

    title: str
    why: str


@dataclass
class Book:
    title: str
    author: str | None
    language: str | None
    chapters: list[Chapter]
    source: Path
    cover: bytes | None = None
    cover_type: str | None = None  # "jpeg" or "png" ...
    left_out: list[LeftOut] = field(default_factory=list)  # front and back matter, contents
    year: str | None = None  # of publication, as the book's metadata gives it
    description: str | None = None  # the publisher's blurb, plain text
    notes_left_out: int = 0  # footnotes and endnotes, which are not read

    @property
    def skipped(self) -> list[str]:
        return [part.title for part in self.left_out]


def name_key(name: str) -> str:
    """A person's name as users may write it: any case, any spacing ("mrs.  alder")."""
    return " ".join(name.casefold().split())


@dataclass(eq=False)
class Character:
    """One person of the book; two characters are the same only if they are one object."""

    name: str  # the form the book uses most when it names the speaker
    aliases: set[str] = field(default_factory=set)
    gender: str | None = None  # "female", "male" or None
    quotes: int = 0  # how many quotations are attributed to them
    mentions: int = 0


@dataclass
class Segment:
    """One line of the script: narration or a quotation, with who speaks it and in which voice."""

    chapter: int  # 1-based, as the book counts its chapters
    kind: str  # "narration" or "quote"
    text: str
    span: Span
    speaker: str | None = None
    voice: str | None = None
    emotion: str | None = None
    how: str = ""  # how the speaker was found: explicit, anaphoric, turn, ..., llm, or unsure
    confidence: float | None = None  # how sure the analysis is of the speaker, 0 to 1
    paragraph: int = 0  # segments of one paragraph share the number (pauses follow it)
    speed: float | None = None  # the character's own pace, from the cast file
    tag: str | None = None  # who the quote's speech tag names, as written (not in scripts)
    say: str | None = None  # exactly what the engine is given, when a script fixes it

    @property
    def character_speaker(self) -> str | None:
        """The speaker whose voice reads this line: None for narration and for a quote the
        analysis was unsure of (the narrator reads those)."""
        return self.speaker if self.kind == "quote" and self.how != UNSURE else None
