"""With an LLM: the quotes the rules were unsure of go to it, in small numbered windows with the
candidate speakers, answered in a JSON schema. An invalid or out-of-candidates answer is
repaired once (by the core) and otherwise the rules' guess stands.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from audiobook.llm import LLMFailure, StructuredLLM
from audiobook.model import Segment

SURE = {"explicit", "anaphoric", "paragraph", "continued"}
WINDOW_QUOTES = 6  # quotes asked about in one request
CONTEXT_SEGMENTS = 4  # segments shown before the first quote of a window
NEIGHBOURHOOD = 40  # segments around a window whose speakers are candidates
MAX_TOKENS = 300
UNKNOWN = "unknown"

SYSTEM = (
    "You attribute quotations in a novel to their speakers. You are given a numbered passage; "
    "quotations to attribute are marked [Q1], [Q2] ... For each, choose the speaker from the "
    'candidate list, or "unknown" when the passage does not tell. Use only the passage.'
)


@dataclass
class RefineReport:
    asked: int = 0  # quotes sent to the LLM
    changed: int = 0  # quotes whose speaker the LLM changed
    fallbacks: int = 0  # windows where the rules' guesses were kept


def uncertain(segment: Segment) -> bool:
    return segment.kind == "quote" and (segment.speaker is None or segment.how not in SURE)


def _schema(candidates: list[str], count: int) -> dict:
    return {
        "type": "object",
        "properties": {
            "answers": {
                "type": "array",
                "minItems": count,
                "maxItems": count,
                "items": {
                    "type": "object",
                    "properties": {
                        "quote": {"type": "integer", "minimum": 1, "maximum": count},
                        "speaker": {"type": "string", "enum": candidates + [UNKNOWN]},
                    },
                    "required": ["quote", "speaker"],
                },
            }
        },
        "required": ["answers"],
    }


def _windows(segments: list[Segment]) -> list[list[int]]:
    """Indices of uncertain quotes, grouped by chapter into windows of a few quotes."""
    windows: list[list[int]] = []
    current: list[int] = []
    for i, segment in enumerate(segments):
        if not uncertain(segment):
            continue
        if current and (
            len(current) >= WINDOW_QUOTES
            or segments[current[0]].chapter != segment.chapter
            or i - current[-1] > 12
        ):
            windows.append(current)
            current = []
        current.append(i)
    if current:
        windows.append(current)
    return windows


def _prompt(segments: list[Segment], window: list[int]) -> tuple[str, list[str]]:
    start = max(0, window[0] - CONTEXT_SEGMENTS)
    end = min(len(segments), window[-1] + 3)
    marks = {index: n for n, index in enumerate(window, start=1)}
    lines = []
    for i in range(start, end):
        s = segments[i]
        if i in marks:
            lines.append(f"[Q{marks[i]}] \u201c{s.text}\u201d")
        elif s.kind == "quote":
            lines.append(f"\u201c{s.text}\u201d ({s.speaker or 'unknown speaker'})")
        else:
            lines.append(s.text)
    lo, hi = max(0, window[0] - NEIGHBOURHOOD), min(len(segments), window[-1] + NEIGHBOURHOOD)
    speakers = Counter(s.speaker for s in segments[lo:hi] if s.kind == "quote" and s.speaker)
    candidates = sorted(speakers, key=lambda n: (-speakers[n], n))[:12]
    passage = "\n".join(lines)
    question = (
        f"Candidates: {', '.join(candidates) or 'none'}.\n\nPassage:\n{passage}\n\n"
        f"Give the speaker of each of Q1 to Q{len(window)}."
    )
    return question, candidates


def refine(segments: list[Segment], llm: StructuredLLM) -> RefineReport:
    report = RefineReport()
    for window in _windows(segments):
        question, candidates = _prompt(segments, window)
        if not candidates:
            continue
        report.asked += len(window)
        messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}]
        try:
            answer = llm.ask(messages, _schema(candidates, len(window)), max_tokens=MAX_TOKENS)
        except LLMFailure:
            report.fallbacks += 1
            continue
        for item in answer["answers"]:
            speaker = item["speaker"]
            index = window[item["quote"] - 1]
            if speaker == UNKNOWN:
                continue
            segment = segments[index]
            if segment.speaker != speaker:
                report.changed += 1
            segment.speaker, segment.how = speaker, "llm"
    return report
