"""Analysis: read the book, find who speaks each line, direct and cast it, and write the
script; the same for `script`, `cast` and `convert`."""

from __future__ import annotations

import sys
from dataclasses import dataclass, fields
from pathlib import Path

from audiobook.agents.attribution import Attribution, attribute
from audiobook.agents.attribution.parse import release_parser
from audiobook.agents.director import direct
from audiobook.agents.voices import Casting, cast_voices, load_cast_file
from audiobook.config import Settings
from audiobook.ingest import read_book
from audiobook.llm_analysis import LLMReading
from audiobook.model import Book
from audiobook.pipeline.backends import narrator_voice, provider_voices
from audiobook.providers import TTSProvider
from audiobook.render.job import book_id
from audiobook.report import say
from audiobook.script import Script
from audiobook.selection import parse_chapters


@dataclass(frozen=True)
class BookOptions:
    """What the user asks of one book, the same for `script`, `cast` and `convert`."""

    chapters: str | None = None  # "1-3,5", 1-based, as the book counts them
    keep_front_matter: bool = False
    title: str | None = None
    author: str | None = None
    cast_file: Path | None = None
    single_voice: bool = False

    @classmethod
    def of(cls, values: dict) -> BookOptions:
        """From the command line's options, by name; others are ignored."""
        return cls(**{f.name: values[f.name] for f in fields(cls) if values.get(f.name)})


@dataclass
class Analysis:
    book: Book
    script: Script
    casting: Casting
    attribution: Attribution
    llm: LLMReading | None = None
    provider: TTSProvider | None = None


def analyze(
    input_path: Path,
    settings: Settings,
    provider: TTSProvider,
    options: BookOptions = BookOptions(),
    *,
    llm: LLMReading | None = None,
    refine_quotes: bool = True,
    show_progress: bool = False,
) -> Analysis:
    """Read, attribute and cast. With an LLM the LLM reads the cast before voices are chosen
    (a voice must not change mid-book) and, unless `refine_quotes` is off because the caller
    asks chapter by chapter while it synthesises, decides every quote no tag plainly names."""
    book = read_book(input_path, keep_front_matter=options.keep_front_matter)
    narrator = narrator_voice(book, provider, settings.get("tts.voice"))
    book.title = options.title or book.title
    book.author = options.author or book.author
    numbers = list(range(1, len(book.chapters) + 1))
    if options.chapters:
        numbers = [i + 1 for i in parse_chapters(options.chapters, len(book.chapters))]
    # Characters and speakers come from the whole book, whatever chapters are rendered.
    attribution = attribute(book.chapters, cache=settings.work_dir / book_id(input_path))
    release_parser()
    chosen = set(numbers)
    segments = [s for s in attribution.segments if s.chapter in chosen]
    weights = None
    if llm is not None:
        llm.read_cast(attribution, book.chapters, _cast_progress if show_progress else None)
        weights = llm.voice_weights()
        if refine_quotes:
            llm.read_quotes(segments, attribution)
    direct(attribution.segments)
    voices = provider_voices(provider)
    casting = cast_voices(
        attribution.cast.characters, attribution.segments, voices, narrator, weights
    )
    if options.cast_file:
        casting = load_cast_file(
            options.cast_file, casting, {v.id for v in voices}, attribution.cast.characters, say
        )
    if options.single_voice:
        casting = Casting(casting.narrator)
    casting.apply(segments)
    script = Script(
        book.title,
        book.author,
        book.language,
        str(book.source),
        {n: book.chapters[n - 1].title for n in numbers},
        segments,
        casting.narrator,
        {s.speaker: casting.voice_for(s.speaker) for s in segments if s.speaker} | casting.voices,
        dict(casting.speeds),
    )
    voiced = script.voices
    script.genders = {c.name: c.gender for c in attribution.cast.characters
                      if c.gender and c.name in voiced}  # fmt: skip
    return Analysis(book, script, casting, attribution, llm, provider)


def _cast_progress(done: int, total: int) -> None:
    """The LLM's cast check runs before synthesis: say how far it has got."""
    line = f"Checking the cast with the LLM: {done}/{total} windows"
    if sys.stderr.isatty():
        say("\r" + line, newline=done == total)
    elif done == total or done % max(1, total // 10) == 0:
        say(line)
