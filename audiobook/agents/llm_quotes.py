"""With an LLM, the LLM decides who speaks every quote that no speech tag plainly names.

Quotes go in windows of a few, each with pages of the passage around it (turn-taking runs over
pages), the candidates being the people the LLM's cast places in the chapter, the ones near the
window first, and the rules' guess shown as a hint. A quote whose tag names one person of the
cast ("said Archer", Archer being one entry) keeps that person unless `ask_tagged` is set. An
"unknown" answer, or a window whose answer cannot be had, keeps the rules' speakers.

A delivery cue ("whisper") is taken from the answer only when the quote's own paragraph says
so in words the director knows; nothing is invented.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from audiobook.agents import llm_prompts as prompts
from audiobook.agents.cast_merge import plain
from audiobook.agents.director import CUES, tag_clause
from audiobook.agents.llm_cast import CastReport
from audiobook.llm import LLMFailure, StructuredLLM
from audiobook.model import Character, Segment

WINDOW_QUOTES = 8  # quotes asked about in one request
WINDOW_SPAN = 2500  # characters between a window's first and last quote, at most
BEFORE = 1500  # characters of the passage shown before a window's first quote
AFTER = 600  # ... and after its last
MAX_CANDIDATES = 30
CUE_NAMES = [name for _, name, _ in CUES]


@dataclass
class QuoteReport:
    asked: int = 0  # quotes sent to the LLM
    changed: int = 0  # quotes whose speaker it changed
    plainly_tagged: int = 0  # quotes a tag names one person of: not asked
    windows: int = 0  # requests (windows) made
    fallbacks: int = 0  # windows whose answer could not be had
    fallback_quotes: int = 0  # quotes left to the rules by them
    failures: Counter[str] = field(default_factory=Counter)  # cause -> windows
    cues: int = 0  # delivery cues taken from answers
    offered: list[tuple[Segment, list[str]]] = field(default_factory=list)

    def add(self, other: QuoteReport) -> None:
        for key in ("asked", "changed", "plainly_tagged", "windows", "fallbacks",
                    "fallback_quotes", "cues"):  # fmt: skip
            setattr(self, key, getattr(self, key) + getattr(other, key))
        self.failures.update(other.failures)
        self.offered += other.offered


def _holders(cast: list[Character]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for person in cast:
        for alias in person.aliases:
            found.setdefault(plain(alias), set()).add(id(person))
    return found


def plainly_tagged(segment: Segment, holders: dict[str, set[int]]) -> bool:
    """A tag names one person of the cast: "said Archer", not "said she" or "said Miss Bennet"
    among sisters."""
    if segment.how != "explicit" or not segment.tag:
        return False
    return len(holders.get(plain(segment.tag), ())) == 1


def _windows(segments: list[Segment], asked: list[int]) -> list[list[int]]:
    windows: list[list[int]] = []
    for i in asked:
        current = windows[-1] if windows else None
        if (
            current is None
            or len(current) >= WINDOW_QUOTES
            or segments[current[0]].chapter != segments[i].chapter
            or _chars(segments, current[0], i) > WINDOW_SPAN
        ):
            windows.append([i])
        else:
            current.append(i)
    return windows


def _chars(segments: list[Segment], start: int, end: int) -> int:
    return sum(len(s.text) for s in segments[start:end])


def _bounds(segments: list[Segment], window: list[int]) -> tuple[int, int]:
    """Whole paragraphs around the window: about BEFORE characters before, AFTER after."""
    chapter = segments[window[0]].chapter
    start = window[0]
    while (
        start > 0
        and segments[start - 1].chapter == chapter
        and (
            segments[start - 1].paragraph == segments[window[0]].paragraph
            or _chars(segments, start - 1, window[0]) <= BEFORE
        )
    ):
        start -= 1
    end = window[-1] + 1
    while (
        end < len(segments)
        and segments[end].chapter == chapter
        and (
            segments[end].paragraph == segments[window[-1]].paragraph
            or _chars(segments, window[-1] + 1, end + 1) <= AFTER
        )
    ):
        end += 1
    return start, end


def _passage(segments: list[Segment], start: int, end: int, marks: dict[int, int]) -> str:
    lines: list[str] = []
    paragraph = None
    for i in range(start, end):
        s = segments[i]
        if s.kind == "quote":
            piece = f"\u201c{s.text}\u201d"
            if i in marks:
                piece = f"[Q{marks[i]}] {piece}" + (f" [{s.speaker}]" if s.speaker else "")
        else:
            piece = s.text
        if s.paragraph != paragraph:
            lines.append(piece)
            paragraph = s.paragraph
        else:
            lines[-1] += " " + piece
    return "\n".join(lines)


def _candidates(
    segments: list[Segment],
    window: list[int],
    start: int,
    end: int,
    cast: CastReport,
    spoken: dict[int, Counter[str]],
) -> list[str]:
    """`spoken`: per chapter, how many of its quotes each speaker has so far."""
    chapter = segments[window[0]].chapter
    names = [p.name for p in cast.near(chapter, segments[start].paragraph,
                                       segments[end - 1].paragraph + 1)]  # fmt: skip
    names += [n for n, _ in spoken[chapter].most_common() if n not in names]
    hints = [segments[i].speaker for i in window if segments[i].speaker]
    chosen = names[:MAX_CANDIDATES]
    chosen += [h for h in dict.fromkeys(hints) if h not in chosen]
    return chosen


def _cue(segments: list[Segment], index: int, cue: str) -> bool:
    """The cue is in the quote's own speech tag."""
    pattern = next((p for p, name, _ in CUES if name == cue), None)
    clause = tag_clause(segments, index)
    return pattern is not None and bool(re.search(rf"\b(?:{pattern})\b", clause, re.I))


def attribute_quotes(
    segments: list[Segment],
    people: list[Character],
    cast: CastReport,
    llm: StructuredLLM,
    *,
    ask_tagged: bool = False,
) -> QuoteReport:
    """Ask the LLM about the quotes of `segments` (whole chapters, in reading order);
    `people`: the LLM's cast, whose names decide which tags are plain."""
    report = QuoteReport()
    holders = _holders(people)
    asked = []
    for i, s in enumerate(segments):
        if s.kind != "quote":
            continue
        if not ask_tagged and plainly_tagged(s, holders):
            report.plainly_tagged += 1
        else:
            asked.append(i)
    spoken: dict[int, Counter[str]] = defaultdict(Counter)
    for s in segments:
        if s.kind == "quote" and s.speaker:
            spoken[s.chapter][s.speaker] += 1
    requests = []
    for window in _windows(segments, asked):
        start, end = _bounds(segments, window)
        candidates = _candidates(segments, window, start, end, cast, spoken)
        if not candidates:
            continue
        marks = {index: n for n, index in enumerate(window, start=1)}
        passage = _passage(segments, start, end, marks)
        requests.append((window, candidates, passage))
        report.asked += len(window)
        report.offered += [(segments[i], candidates) for i in window]

    def ask(request):
        window, candidates, passage = request
        messages = prompts.quotes_messages(candidates, passage, len(window))
        schema = prompts.quotes_schema(candidates, len(window), CUE_NAMES)
        try:
            return llm.ask(messages, schema, max_tokens=40 + 30 * len(window),
                           version=prompts.VERSION)  # fmt: skip
        except LLMFailure as e:
            return e

    with ThreadPoolExecutor(max_workers=llm.concurrency) as pool:
        answers = list(pool.map(ask, requests))
    report.windows = len(requests)
    for (window, _, _), answer in zip(requests, answers, strict=True):
        if isinstance(answer, LLMFailure):
            report.fallbacks += 1
            report.fallback_quotes += len(window)
            report.failures[answer.cause] += 1
            continue
        for item in answer["answers"]:
            index = window[item["quote"] - 1]
            segment = segments[index]
            cue = item.get("cue", prompts.NO_CUE)
            if cue != prompts.NO_CUE and _cue(segments, index, cue):
                segment.emotion = cue
                report.cues += 1
            speaker = item["speaker"]
            if speaker == prompts.UNKNOWN:
                continue
            if segment.speaker != speaker:
                report.changed += 1
            segment.speaker, segment.how, segment.confidence = speaker, "llm", None
    return report
