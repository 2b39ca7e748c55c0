"""A book as the rules read it: paragraphs with their quotes and the narration around them,
speeches running over paragraphs, turns within a paragraph, and the segments made from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from typing import TYPE_CHECKING

from audiobook.agents.attribution.patterns import (
    AFTER_VERB_FIRST,
    AFTER_WHO_FIRST,
    HEARD,
    LEAD_IN_SENTENCE,
    NEW_VOICE,
)
from audiobook.agents.quotes import Quote, QuoteStyle, find_quotes
from audiobook.model import Chapter, Character, Segment, Span

if TYPE_CHECKING:
    from audiobook.agents.attribution.parse import Facts

LONG_NARRATION = 600  # characters of narration that end a conversation
MAX_TURN_GAP = 1  # narration paragraphs that may sit between two turns of one conversation


@dataclass
class _Quote:
    quote: Quote
    before: str
    after: str
    speaker: Character | None = None
    how: str = ""
    tag: str | None = None  # the raw "who" of a speech tag
    addressee: str | None = None  # "said she to Charlotte"
    vocatives: list[Character] = field(default_factory=list)
    evidence: _Evidence | None = None  # for a pronoun tag: what the narration offers
    new_voice: bool = False  # the narration before it brings in another speaker
    heard: bool = False  # overheard: "Alice could only hear whispers; such as, ..."
    full_stop: bool = False  # its words end a sentence: what follows may be a new one
    confidence: float | None = None  # the speaker model's probability for `speaker`
    facts: Facts | None = None  # what the parser says of it (`parse.facts_for`)


@dataclass
class _Evidence:
    """What the text around "said she" offers, weighed against the turns of the conversation."""

    gender: str | None
    before: list[Character]  # named earlier in the same paragraph, nearest last
    lead_in: list[Character]  # named by the narration paragraph just before, last named last
    focus: Character | None  # the last sentence subject of that gender
    recent: list[Character]  # named lately, most recent first
    rule: Character | None  # the ordered rules' answer
    protagonist: Character | None = None  # the most named character of the gender
    pronoun_led: bool = False  # the narration before goes on with "she ..." naming nobody
    acting: list[Character] = field(default_factory=list)  # subjects before, nearest last


@dataclass
class _Para:
    chapter: int
    source: str
    span: Span
    quotes: list[_Quote]
    narration: str
    lead: list[Character] = field(default_factory=list)  # the subject its narration ends on
    after_narration: bool = False  # a paragraph of narration comes just before it
    # The part of the chapter it is read in: the chapter, or a stretch of one too long to be
    # one scene (`_sections`). Who speaks most "here" and where a conversation ends go by it.
    section: int = 0


def _split(chapters: list[Chapter], style: QuoteStyle) -> list[_Para]:
    paras: list[_Para] = []
    for number, chapter in enumerate(chapters, start=1):
        for paragraph in chapter.paragraphs:
            text = paragraph.source_text
            quotes = find_quotes(text, style)
            items = []
            for i, q in enumerate(quotes):
                prev_end = quotes[i - 1].end + 1 if i else 0
                next_start = quotes[i + 1].start - 1 if i + 1 < len(quotes) else len(text)
                items.append(_Quote(q, text[prev_end : max(prev_end, q.start - 1)],
                                    text[min(q.end + 1, len(text)) : next_start]))  # fmt: skip
                items[-1].new_voice = i > 0 and bool(NEW_VOICE.search(items[-1].before[-80:]))
                items[-1].heard = bool(HEARD.search(items[-1].before[-120:]))
                items[-1].full_stop = text[q.start : q.end].rstrip().endswith(".")
            narration = _narration_text(text, quotes)
            last = paras[-1] if paras else None
            if items and not items[0].before.strip() and last:
                # "... said to her--" or "Mr. Collins began." then the quote below.
                tail = last.source[last.quotes[-1].quote.end + 1 :] if last.quotes else last.source
                tail = tail.rstrip()
                tags_last = AFTER_VERB_FIRST.match(tail) or AFTER_WHO_FIRST.match(tail)
                if tail[-1:] in ",:;—–-" or (LEAD_IN_SENTENCE.search(tail) and not tags_last):
                    items[0].before = tail[-300:]
            paras.append(_Para(number, text, paragraph.span, items, narration))
            paras[-1].after_narration = last is not None and not last.quotes
    _sections(paras)
    return paras


# A chapter longer than this many words is read as parts of about equal length. No chapter of
# the 18 PDNC novels is as long (the longest, Daisy Miller's, 11.7k), so a book whose chapters
# were found reads as before; one whose chapters were not (no headings, or headings of a kind
# no reader knows) is otherwise one scene, where who speaks most "in the chapter" is who speaks
# most in the book. Measured on four of the novels with their headings blanked (Pride and
# Prejudice, Howards End, The Gambler, Oliver Twist): mean accuracy 0.788 -> 0.795, against
# 0.813 with their chapters.
SECTION_WORDS = 12000


def _sections(paras: list[_Para]) -> None:
    """Number each paragraph's section: its chapter, cut where it runs past SECTION_WORDS
    into parts of about equal length, each cut at a paragraph of narration."""
    section = 0
    for _, group in groupby(paras, key=lambda p: p.chapter):
        chapter = list(group)
        words = [len(p.source.split()) for p in chapter]
        target = sum(words) / max(1, -(-sum(words) // SECTION_WORDS))
        section += 1
        read = 0
        for k, (para, n) in enumerate(zip(chapter, words, strict=True)):
            para.section = section
            read += n
            if read >= target and not para.quotes and k + 1 < len(chapter):
                section += 1
                read = 0


def _narration_text(text: str, quotes: list[Quote]) -> str:
    pieces, pos = [], 0
    for q in quotes:
        pieces.append(text[pos : max(pos, q.start - 1)])
        pos = q.end + 1
    pieces.append(text[pos:])
    return " ".join(pieces)


def _carry_continuations(paras: list[_Para]) -> None:
    """A speech that runs over several paragraphs is one speaker's, however its first
    paragraph was decided."""
    previous: _Para | None = None
    for para in paras:
        if _opens_continuation(previous, para) and para.quotes[0].how in ("", "continued"):
            speaker = previous.quotes[-1].speaker
            first = para.quotes[0]
            first.speaker, first.how = speaker, "continued" if speaker else ""
            for item in para.quotes[1:]:
                if item.tag is None and item.how in ("", "paragraph", "turn", "context"):
                    item.speaker, item.how = speaker, "paragraph"
        previous = para


def _opens_continuation(previous: _Para | None, para: _Para) -> bool:
    if previous is None or not previous.quotes or not para.quotes:
        return False
    if not previous.quotes[-1].quote.open_at_end:
        return False
    return not para.source[: para.quotes[0].quote.start].strip(" “\"‘'«»„—")


def _continues(previous: _Para | None, para: _Para) -> Character | None:
    """A quote left open at a paragraph's end goes on in the next one, which opens a quote."""
    return previous.quotes[-1].speaker if _opens_continuation(previous, para) else None


def _turns_within(para: _Para) -> list[list[_Quote]]:
    """A paragraph's quotes, split where the narration brings in another voice, and after
    what someone overheard ("such as, '...' '...' and at last she ... 'What a number!'")."""
    turns: list[list[_Quote]] = []
    for item in para.quotes:
        overheard = bool(turns) and turns[-1][0].heard and not item.heard
        if not turns or item.new_voice or (overheard and item.before.strip()):
            turns.append([])
        turns[-1].append(item)
    return turns


def _speaker(para: _Para) -> Character | None:
    return next((q.speaker for q in para.quotes if q.speaker), None)


def segments(paras: list[_Para]) -> list[Segment]:
    segments: list[Segment] = []
    for number, para in enumerate(paras):
        first = len(segments)
        pos = 0
        base = para.span.start
        source = para.span.source
        for item in para.quotes:
            q = item.quote
            _narration(segments, para, pos, q.start, base, source)
            text = " ".join(para.source[q.start : q.end].split())
            segments.append(
                Segment(para.chapter, "quote", text, Span(source, base + q.start, base + q.end),
                        item.speaker.name if item.speaker else None, how=item.how,
                        confidence=item.confidence, tag=item.tag)
            )  # fmt: skip
            pos = q.end
        _narration(segments, para, pos, len(para.source), base, source)
        for segment in segments[first:]:
            segment.paragraph = number
    return segments


def _narration(segments, para: _Para, start: int, end: int, base: int, source: str) -> None:
    piece = para.source[start:end]
    stripped = piece.strip().strip('“”"‘’«»').strip()
    if not any(ch.isalnum() for ch in stripped):
        return
    offset = start + piece.find(stripped[0])
    segments.append(
        Segment(para.chapter, "narration", " ".join(stripped.split()),
                Span(source, base + offset, base + offset + len(stripped)))
    )  # fmt: skip
