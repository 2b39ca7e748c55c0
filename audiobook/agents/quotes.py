"""Finding quotations in a paragraph: curly and straight, double and single, nested, a quote that
runs on into the next paragraph, guillemets (« French », »German«), German low marks („so“),
and em-dash dialogue as French books write it.

Offsets are into the paragraph's source text, so spans map back to the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from audiobook.agents.names import FRENCH_SPEECH_VERBS

DASHES = "—–―"


@dataclass(frozen=True)
class Quote:
    start: int  # offset of the first character inside the quote marks
    end: int  # offset just past the last character inside
    open_at_end: bool = False  # the paragraph ended inside the quote


@dataclass(frozen=True)
class QuoteStyle:
    opener: str  # "double", "single", "dash", or one of PAIRED: "guillemets", ...


# Styles whose opening and closing marks are never the same character: the marks that open a
# quote, and those that close it.
PAIRED = {
    "guillemets": ("«", "»"),  # « Bonjour », dit-il.
    "reversed-guillemets": ("»", "«"),  # »Hallo«, sagte er.
    "low": ("„", "“”"),  # „Hallo“, sagte er. (the single ‚…‘ nest inside)
}


# How `inspect` names each style to a reader.
STYLE_NAMES = {
    "double": 'double marks (“...” or "...")',
    "single": "single marks (‘...’ or '...')",
    "dash": "dialogue dashes (— ...)",
    "guillemets": "guillemets (« ... »)",
    "reversed-guillemets": "guillemets (»...«)",
    "low": "low marks („...“)",
}


# Marks of a single quote: curly, or straight as plain-text books type them ('Yes,' said he).
SINGLE_OPENERS = "‘'"
SINGLE_CLOSERS = "’'"
CURLY_SINGLE_OPENS = re.compile(r"(?:^|[\s(\[—-])‘(?=\S)")
GUILLEMET = re.compile(r"[«»]")
# A straight mark is more often an apostrophe ("don't", "'em", "goin'"): it counts as a
# quote's only where one opens a word and one after punctuation closes a later one, with no
# mark between but inside words ("can't").
STRAIGHT_SINGLE_QUOTES = re.compile(
    r"(?:^|(?<=[\s(\[—-]))'(?=\w)(?:[^']|(?<=\w)'(?=\w))*?[.,!?;:—-]'(?!\w)"
)


def detect_style(texts: Iterable[str]) -> QuoteStyle:
    """The book's primary quotation mark, from how often each opens a quotation."""
    counts = dict.fromkeys(("double", "single", *PAIRED), 0)
    dash = 0
    for text in texts:
        # "„Hallo“": in German the mark that opens an English quote closes one
        counts["double"] += max(0, text.count("“") - text.count("„")) + text.count('"') // 2
        counts["single"] += len(CURLY_SINGLE_OPENS.findall(text)) + len(
            STRAIGHT_SINGLE_QUOTES.findall(text)
        )
        counts["low"] += text.count("„")
        if first := GUILLEMET.search(text):  # which way round the book sets them
            german = first.group(0) == "»" and not text[first.end() : first.end() + 1].isspace()
            counts["reversed-guillemets" if german else "guillemets"] += 1
        if text.lstrip()[:1] in DASHES:
            dash += 1
    most = max(counts.values())
    if dash > most // 2 and dash > 3:
        return QuoteStyle("dash")
    if most == 0:
        return QuoteStyle("double")
    return QuoteStyle(max(counts, key=counts.__getitem__))  # the first of equals: double


def _is_opening_single(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in '([—-“"') and not after.isspace()


def _is_closing_single(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalpha()


# Before a mark that closes a quote, most speech ends in punctuation: "‘Yes,’ said he". A mark
# after a letter may close one too ("‘Yes’ said he") but is as often an apostrophe: "the boys’
# hats", "for goodness’ sake", "I were patient wi’ her", "goin’ home".
ENDS_SPEECH = '.,!?;:-—–…_)”"'


def _single_close(text: str, start: int) -> int | None:
    """Where the single quote opened before `start` closes: the first closing mark after
    punctuation; else, when another quote opens or the paragraph ends first, the last mark
    after a letter before that; else None (it runs on to the paragraph's end)."""
    after_letter = None
    for j in range(start, len(text)):
        c = text[j]
        if c in SINGLE_OPENERS and after_letter is not None and _is_opening_single(text, j):
            # "‘Yes’ said he, ‘and no.’"; but in "‘and most of ‘em do.’", with no mark yet
            # that could close, the "‘" is an apostrophe set the wrong way round.
            return after_letter
        if c in SINGLE_CLOSERS and _is_closing_single(text, j):
            if text[j - 1] in ENDS_SPEECH:
                return j
            after_letter = j
    return after_letter


def find_quotes(text: str, style: QuoteStyle) -> list[Quote]:
    if style.opener in ("dash", "guillemets"):
        # French books mix the two: « Bonjour, dit Pierre. / — Bonjour, répondit Jean. »
        return _dash_quotes(text)
    if style.opener in PAIRED:
        return _paired_quotes(text, *PAIRED[style.opener])
    quotes: list[Quote] = []
    i, n = 0, len(text)
    single = style.opener == "single"
    while i < n:
        ch = text[i]
        opens = (ch in SINGLE_OPENERS and _is_opening_single(text, i)) if single else ch in '“"'
        if not opens:
            i += 1
            continue
        start = i + 1
        if single:
            close, j = _single_close(text, start), n
        else:
            close, j = _double_close(text, start, ch)
        if close is None:
            quotes.append(Quote(start, j, open_at_end=j >= n))
            i = j
            continue
        if close > start:
            quotes.append(Quote(start, close))
        i = close + 1
    return [q for q in quotes if text[q.start : q.end].strip()]


def _double_close(text: str, start: int, opener: str) -> tuple[int | None, int]:
    """Where the double quote `opener` opened before `start` closes, as (close, close); or
    (None, where it stops): the paragraph's end, or a new “ before any close mark."""
    for j in range(start, len(text)):
        c = text[j]
        if c == "”" or (c == '"' and opener == '"'):
            return j, j
        if c == "“" and opener == "“":
            return None, j  # a new opening before any close: the quote ran on unclosed
    return None, len(text)


def _paired_quotes(text: str, openers: str, closers: str) -> list[Quote]:
    """Quotes between marks that differ: each closes at the first closing mark, or runs on
    unclosed where another opens first. French sets » at the head of each paragraph a quote
    runs on into ("« Je ne sais pas.", "» Peut-être demain. »"): that » opens."""
    quotes: list[Quote] = []
    n = len(text)
    head = len(text) - len(text.lstrip())
    runs_on = openers == "«" and text[head : head + 1] == "»"
    i = head if runs_on else 0
    while i < n:
        if text[i] not in openers and not (runs_on and i == head):
            i += 1
            continue
        start = j = i + 1
        while j < n and text[j] not in closers and text[j] not in openers:
            j += 1
        closed = j < n and text[j] in closers
        quotes.append(Quote(start, j, open_at_end=j >= n))
        i = j + 1 if closed else j
    return [q for q in quotes if text[q.start : q.end].strip()]


def _dash_quotes(text: str) -> list[Quote]:
    """French dialogue. — Bonjour, dit-il. — A dash opens a line; the paragraph is the line, less
    the words that say who speaks it ("dit Pierre", "répondit-elle en souriant"), which are
    the narrator's (`_less_incises`): "— Bonjour, dit-il, comment vas-tu ?" is two quotes."""
    stripped = text.lstrip()
    if not stripped or stripped[0] not in DASHES:
        # Dialogue also sits in guillemets, the dashes only changing speaker inside them:
        # "« Bonjour, dit Pierre.", "— Bonjour, répondit Jean. »"
        return [part for q in _paired_quotes(text, "«", "»") for part in _less_incises(text, q)]
    start = len(text) - len(stripped) + 1
    while start < len(text) and text[start].isspace():
        start += 1
    end = len(text.rstrip())
    if text[:end].endswith("»"):
        end = len(text[: end - 1].rstrip())
    return _less_incises(text, Quote(start, end))


def _less_incises(text: str, quote: Quote) -> list[Quote]:
    """The quote in parts around the words inside it that say who speaks it."""
    parts: list[Quote] = []
    start, end = quote.start, quote.end
    for incise in INCISE.finditer(text, start, end):
        if incise.start() > start:
            parts.append(Quote(start, incise.start()))
        start = incise.end()
        while start < end and (text[start].isspace() or text[start] == ","):
            start += 1
    if not parts and start == quote.start:
        return [quote]  # no incise
    if any(ch.isalnum() for ch in text[start:end]):
        parts.append(Quote(start, end, quote.open_at_end))
    return parts


# "…, dit Pierre, …", "… ? demanda-t-elle.", "…, répondit le vieil homme en souriant." after
# the words it follows, up to the comma or stop that ends it.
INCISE = re.compile(
    rf"(?<=[,!?…])\s+(?:{FRENCH_SPEECH_VERBS})"
    r"(?:-t-|-)?(?:(?<=-)(?:il|elle|on|ils|elles)\b|\s+[^\s,.!?;…][^,.!?;…]*)"
    r"[^,.!?;…]*(?:[,.!?;…]|$)"
)
