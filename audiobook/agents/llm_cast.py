"""With an LLM: the casting director's list is checked one chapter window at a time. For the
characters a window names, the LLM says their gender as the passage shows it and whether a name
is another name of a listed character ("Lizzy" of Elizabeth), answered in a JSON schema whose
names are an enum of the listed ones.

The answers are votes. A gender the rules did not know is taken from the votes; one the rules
found in a title (Mr., Lady) is never overturned, one found from pronouns only by a clear
majority of two or more windows. Two names are merged only when no title or known gender
disagrees and the two never answer each other in a conversation. A failed window is skipped:
the rules' cast stands.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from audiobook.agents.attribution import Attribution
from audiobook.agents.casting import titled_gender
from audiobook.agents.voices import conversation_pairs
from audiobook.llm import LLMFailure, StructuredLLM
from audiobook.model import Chapter, Character

WINDOW_CHARS = 6000  # passage length per request: a few pages
MAX_CHARACTERS = 15  # listed per window, the most mentioned first
MAX_TOKENS = 600
NONE = "none"
GENDERS = ["female", "male", "unknown"]

SYSTEM = (
    "You check the character list of a novel. You are given a passage and the characters a "
    "program found in it, with the other names it believes they go by. For each listed "
    "character give their gender as the passage shows it (unknown when it does not), and, "
    "when the name is only another name of a different listed character (a nickname, a "
    "title with the surname, a first name), that character in same_as; otherwise none. "
    "Use only the passage and the list."
)


@dataclass
class CastReport:
    windows: int = 0  # requests made
    fallbacks: int = 0  # windows whose answer could not be used
    merged: list[tuple[str, str]] = field(default_factory=list)  # (name, merged into)
    genders: int = 0  # genders set or corrected


def _windows(chapters: list[Chapter]) -> list[str]:
    """Each chapter cut into passages of about WINDOW_CHARS, at paragraph ends."""
    found = []
    for chapter in chapters:
        text = ""
        for paragraph in chapter.paragraphs:
            if text and len(text) + len(paragraph.text) > WINDOW_CHARS:
                found.append(text)
                text = ""
            text += paragraph.text[:WINDOW_CHARS] + "\n\n"
        if text.strip():
            found.append(text)
    return found


def _listed(text: str, attribution: Attribution) -> list[Character]:
    cast = attribution.cast
    named: Counter[int] = Counter()
    by_id = {id(c): c for c in cast.characters}
    for character in cast.characters:
        for alias in character.aliases:
            if alias in text:
                named[id(character)] += text.count(alias)
    ranked = sorted(named, key=lambda key: (-named[key], by_id[key].name))
    return [by_id[key] for key in ranked[:MAX_CHARACTERS]]


def _schema(names: list[str]) -> dict:
    return {
        "type": "object",
        "properties": {
            "characters": {
                "type": "array",
                "maxItems": len(names),
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "enum": names},
                        "gender": {"type": "string", "enum": GENDERS},
                        "same_as": {"type": "string", "enum": names + [NONE]},
                    },
                    "required": ["name", "gender", "same_as"],
                },
            }
        },
        "required": ["characters"],
    }


def _question(text: str, listed: list[Character]) -> str:
    lines = []
    for c in listed:
        others = sorted(a for a in c.aliases if a != c.name)
        also = f"; also called {', '.join(others)}" if others else ""
        lines.append(f"- {c.name}{also}; gender by the program: {c.gender or 'unknown'}")
    return "Characters:\n" + "\n".join(lines) + f"\n\nPassage:\n{text}"


def refine_cast(
    attribution: Attribution,
    chapters: list[Chapter],
    llm: StructuredLLM,
    progress: Callable[[int, int], None] | None = None,
) -> CastReport:
    """Check the cast window by window; `progress(done, total)` after each window."""
    report = CastReport()
    requests = []
    for text in _windows(chapters):
        listed = _listed(text, attribution)
        if listed:
            requests.append((text, listed))
    if not requests:
        return report

    def ask(request):
        text, listed = request
        messages = [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": _question(text, listed)},
        ]
        try:
            return llm.ask(messages, _schema([c.name for c in listed]), max_tokens=MAX_TOKENS)
        except LLMFailure:
            return None

    answers: list = [None] * len(requests)
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {pool.submit(ask, request): i for i, request in enumerate(requests)}
        for done, future in enumerate(as_completed(futures), start=1):
            answers[futures[future]] = future.result()
            if progress is not None:
                progress(done, len(requests))
    report.windows = len(requests)
    genders: dict[str, Counter[str]] = defaultdict(Counter)
    merges: Counter[tuple[str, str]] = Counter()
    for answer in answers:
        if answer is None:
            report.fallbacks += 1
            continue
        for item in answer["characters"]:
            if item["gender"] != "unknown":
                genders[item["name"]][item["gender"]] += 1
            if item["same_as"] not in (NONE, item["name"]):
                merges[(item["name"], item["same_as"])] += 1
    _apply_genders(attribution, genders, report)
    _apply_merges(attribution, merges, report)
    return report


def _apply_genders(attribution: Attribution, votes, report: CastReport) -> None:
    for character in attribution.cast.characters:
        v = votes.get(character.name)
        if not v or titled_gender(character):
            continue
        gender, count = v.most_common(1)[0]
        if gender == character.gender:
            continue
        clear = count >= 2 and count >= 2 * (sum(v.values()) - count)
        if character.gender is None or clear:
            character.gender = gender
            report.genders += 1


def _apply_merges(attribution: Attribution, votes, report: CastReport) -> None:
    cast = attribution.cast
    # People whose lines follow each other within two paragraphs are two people.
    partners = conversation_pairs(attribution.segments, within=2)
    for (name, into), _ in votes.most_common():
        source, target = cast.by_name(name), cast.by_name(into)
        if source is None or target is None or source is target:
            continue  # already merged away
        genders = {titled_gender(source) or source.gender, titled_gender(target) or target.gender}
        if len(genders - {None}) > 1 or frozenset((name, into)) in partners:
            continue
        if target.mentions < source.mentions:
            source, target = target, source  # the name the book uses more stays
        cast.merge(source, target)
        for segment in attribution.segments:
            if segment.speaker == source.name:
                segment.speaker = target.name
        report.merged.append((source.name, target.name))
