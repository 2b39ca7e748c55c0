"""With an LLM, the LLM builds the cast: for each window of a few pages it lists the people
who speak or are spoken of, with their other names and gender as the passage shows them. The
core merges the windows' lists into one cast (`cast_merge`), then hands the rules' speakers
over to it: a rules' character becomes the merged person holding its names.

The rules' cast is shown to the model as hints (the known people of the passage), not as the
list to pick from. A window whose answer cannot be had keeps nothing from it; if every window
fails the rules' cast stands.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from audiobook.agents import llm_prompts as prompts
from audiobook.agents.attribution import Attribution
from audiobook.agents.cast_merge import Listed, merge, plain
from audiobook.agents.casting import Cast
from audiobook.llm import LLMFailure, StructuredLLM
from audiobook.model import Chapter, Character

WINDOW_CHARS = 6000  # passage length per request: a few pages
MAX_KNOWN = 20  # hints per window, the most mentioned first
MAX_TOKENS = 1500


@dataclass
class Window:
    chapter: int  # 1-based
    first: int  # book-wide index of its first paragraph
    end: int  # ... and one past its last
    text: str
    people: list[Character] = field(default_factory=list)  # whom the answer lists
    speakers: list[Character] = field(default_factory=list)  # ... as saying a line in it


@dataclass
class CastReport:
    windows: list[Window] = field(default_factory=list)
    fallbacks: int = 0  # windows whose answer could not be had
    failures: Counter[str] = field(default_factory=Counter)  # cause -> windows
    people: list[Character] = field(default_factory=list)  # the persons the LLM's lists make
    kept_from_rules: int = 0  # rules' characters no window named, kept as they were

    def near(self, chapter: int, first: int, end: int) -> list[Character]:
        """The people of a chapter, those listed in windows overlapping paragraphs
        [first, end) first, then the rest of the chapter by how many windows list them."""
        close: Counter[int] = Counter()
        rest: Counter[int] = Counter()
        by_id: dict[int, Character] = {}
        for w in self.windows:
            if w.chapter != chapter:
                continue
            overlaps = w.first < end and first < w.end
            for person in w.people:
                by_id[id(person)] = person
                (close if overlaps else rest)[id(person)] += 1
        ranked = sorted(close, key=lambda k: -close[k])
        ranked += sorted((k for k in rest if k not in close), key=lambda k: -rest[k])
        return [by_id[k] for k in ranked]


def windows_of(chapters: list[Chapter]) -> list[Window]:
    """Each chapter cut into passages of about WINDOW_CHARS, at paragraph ends."""
    found: list[Window] = []
    index = 0
    for number, chapter in enumerate(chapters, start=1):
        start, text = index, ""
        for paragraph in chapter.paragraphs:
            if text and len(text) + len(paragraph.text) > WINDOW_CHARS:
                found.append(Window(number, start, index, text.rstrip()))
                start, text = index, ""
            text += paragraph.text[: 2 * WINDOW_CHARS] + "\n\n"
            index += 1
        if text.strip():
            found.append(Window(number, start, index, text.rstrip()))
    return found


def _known(text: str, cast: Cast) -> list[tuple[str, list[str]]]:
    named: Counter[int] = Counter()
    by_id = {id(c): c for c in cast.characters}
    for character in cast.characters:
        for alias in character.aliases:
            if alias in text:
                named[id(character)] += text.count(alias)
    ranked = sorted(named, key=lambda key: (-named[key], by_id[key].name))[:MAX_KNOWN]
    known = []
    for key in ranked:
        c = by_id[key]
        counts = cast.alias_counts(c)
        others = sorted((a for a in c.aliases if a != c.name), key=lambda a: -counts[a])[:4]
        known.append((c.name, others))
    return known


def build_cast(
    attribution: Attribution,
    chapters: list[Chapter],
    llm: StructuredLLM,
    progress: Callable[[int, int], None] | None = None,
) -> CastReport:
    """Replace the rules' cast by the one the LLM reads; `progress(done, total)` per window."""
    report = CastReport(windows_of(chapters))
    if not report.windows:
        return report
    rules = attribution.cast

    def ask(window: Window):
        messages = prompts.cast_messages(window.text, _known(window.text, rules))
        try:
            return llm.ask(
                messages, prompts.cast_schema(), max_tokens=MAX_TOKENS, version=prompts.VERSION
            )
        except LLMFailure as e:
            return e

    answers: list = [None] * len(report.windows)
    with ThreadPoolExecutor(max_workers=llm.concurrency) as pool:
        futures = {pool.submit(ask, w): i for i, w in enumerate(report.windows)}
        for done, future in enumerate(as_completed(futures), start=1):
            answers[futures[future]] = future.result()
            if progress is not None:
                progress(done, len(report.windows))
    listed: list[Listed] = []
    for number, answer in enumerate(answers):
        if isinstance(answer, LLMFailure):
            report.fallbacks += 1
            report.failures[answer.cause] += 1
            continue
        for item in answer["people"]:
            entry = Listed.read(number, item)
            if entry is not None:
                listed.append(entry)
    if not listed:
        return report
    people, owner = merge(listed)
    for entry, person in zip(listed, owner, strict=True):
        window = report.windows[entry.window]
        if person not in window.people:
            window.people.append(person)
        if entry.speaks and person not in window.speakers:
            window.speakers.append(person)
    _hand_over(attribution, people, report)
    return report


def _hand_over(attribution: Attribution, people: list[Character], report: CastReport) -> None:
    """The merged people become the cast; each rules' character's lines go to the person who
    holds its names, and a tagged line to the one person its tag names."""
    rules = attribution.cast
    holders: dict[str, list[Character]] = {}
    for person in people:
        for alias in person.aliases:
            holders.setdefault(plain(alias), []).append(person)
    owner: dict[str, Character] = {}
    kept: list[Character] = []
    for character in rules.characters:
        found = _holder(character, rules, holders)
        if found is not None:
            owner[character.name] = found
            found.gender = found.gender or character.gender
        elif character.quotes:
            kept.append(character)
    cast = Cast(rules.common)
    cast.characters = people + kept
    for character in cast.characters:
        for alias in character.aliases:
            cast.alias_counts(character)[alias] += 1
    if rules.narrator is not None:
        cast.narrator = owner.get(rules.narrator.name, rules.narrator)
    for segment in attribution.segments:
        if segment.kind != "quote" or not segment.speaker:
            continue
        tagged = holders.get(plain(segment.tag)) if segment.tag else None
        if tagged is not None and len(set(map(id, tagged))) == 1:
            segment.speaker = tagged[0].name
        elif segment.speaker in owner:
            segment.speaker = owner[segment.speaker].name
    attribution.cast = cast
    report.people = people
    report.kept_from_rules = len(kept)


def _holder(
    character: Character, rules: Cast, holders: dict[str, list[Character]]
) -> Character | None:
    """The merged person a rules' character stands for: the one holding its name, else the
    one holding most of its mentions."""
    own = holders.get(plain(character.name), [])
    if len({id(p) for p in own}) == 1:
        return own[0]
    votes: Counter[int] = Counter()
    by_id: dict[int, Character] = {}
    counts = rules.alias_counts(character)
    for alias in character.aliases:
        found = holders.get(plain(alias), [])
        for person in {id(p): p for p in found}.values():
            by_id[id(person)] = person
            votes[id(person)] += max(1, counts[alias]) / len(found)
    if not votes:
        return None
    (best, n), *rest = votes.most_common(2) + [(None, 0)]
    return by_id[best] if n > rest[0][1] else None
