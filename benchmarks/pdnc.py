"""The Project Dialogism Novel Corpus, read for measuring and fitting speaker attribution.

A PDNC folder holds novel_text.txt, quotation_info.csv (each quotation's character spans,
speaker and quoteType) and character_info.csv (main name, aliases, gender, category).

A cast entry of ours stands for the annotated character whose names it holds: its name first,
else the character most of its mentions name. A quote is right when its entry stands for the
annotated speaker; an entry that mixes two people stands for one of them and is wrong for the
other's lines.
"""

from __future__ import annotations

import ast
import bisect
import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from audiobook.agents.attribution import (
    aliases,
    choose_from,
    features,
    leaders,
    read,
    unnamed_speaker,
)
from audiobook.agents.attribution.model import Quotes, SpeakerModel, fit_quotes
from audiobook.agents.attribution.paragraphs import segments
from audiobook.agents.attribution.rules import Reading, first_reading
from audiobook.agents.names import one_letter_apart, title_of
from audiobook.ingest import read_book
from audiobook.model import Chapter, Segment

GENDERS = {"M": "male", "F": "female"}
KINDS = ("Explicit", "Anaphoric", "Implicit")


def plain(name: str) -> str:
    name = " ".join(name.lower().replace("’", "'").split())
    for article in ("the ", "a ", "an "):
        name = name.removeprefix(article)
    return name.replace(".", "")


def names_of(row: dict) -> set[str]:
    raw = row["Aliases"]
    try:
        aliases = set(ast.literal_eval(raw)) if raw else set()
    except (ValueError, SyntaxError):
        aliases = {raw}
    return {plain(n) for n in aliases | {row["Main Name"]}}


def one_slip(a: str, b: str) -> bool:
    """`a` and `b` differ by one letter changed, added or dropped, or two letters exchanged
    ("bahadur", "badahur")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and a[i] == b[j] and a[j] == b[i]
    return one_letter_apart(a, b)


class Characters:
    """The annotated characters of a novel, and who a name or a cast entry stands for."""

    def __init__(self, folder: Path) -> None:
        with (folder / "character_info.csv").open(encoding="utf-8") as f:
            self.rows = list(csv.DictReader(f))
        self.mains = {plain(r["Main Name"]): r["Main Name"] for r in self.rows}
        self.owners: dict[str, set[str]] = {}
        for r in self.rows:
            for n in names_of(r):
                self.owners.setdefault(n, set()).add(r["Main Name"])

    def gold(self, speaker: str) -> str:
        """The character a speaker column names (by main name, else by an alias only one
        character has: PDNC writes "Dorian Gray" for its "Prince Charming")."""
        key = plain(speaker)
        if key in self.mains:
            return self.mains[key]
        holders = self.owners.get(key, set())
        return next(iter(holders)) if len(holders) == 1 else speaker

    def holders(self, name: str) -> set[str]:
        """The annotated characters a name of ours can stand for: by the name as written, else
        without its title ("Mr. Beachfield Davis" for PDNC's "Beachfield Davis"), else by one
        near spelling (PDNC's "Nawab Badahur" for the book's "Nawab Bahadur")."""
        key = plain(name)
        if key in self.owners:
            return self.owners[key]
        words = key.split()
        if len(words) > 2 and title_of(name):
            untitled = " ".join(words[1:])
            if untitled in self.owners:
                return self.owners[untitled]
        close = [
            c
            for c in self.owners
            if one_slip(key, c) and title_of(c) == title_of(key)  # "Mr. Oakley" is no "Mrs."
        ]
        # Near spellings of one character only ("the nawab badahur", "nawab badahur").
        found = set().union(*(self.owners[c] for c in close))
        return found if len(found) == 1 and len(key) >= 8 else set()

    def entry_map(self, cast) -> dict[str, str]:
        """Our cast entry name -> the annotated main name it stands for."""
        found = {}
        for c in cast.characters:
            own = self.holders(c.name)
            if plain(c.name) in self.mains or len(own) == 1:
                found[c.name] = self.mains.get(plain(c.name)) or next(iter(own))
                continue
            votes: Counter[str] = Counter()
            counts = cast.alias_counts(c)
            for alias in c.aliases:
                holders = self.holders(alias)
                for holder in holders:
                    votes[holder] += max(1, counts[alias]) / len(holders)
            if own:
                votes = Counter({k: v for k, v in votes.items() if k in own}) or votes
            if votes:
                found[c.name] = votes.most_common(1)[0][0]
        return found


WORD = re.compile(r"[^\W_]+")  # letters and digits; "_" is italics markup in PDNC's texts


def unread_chapters(chapters: list[Chapter], found: list[Segment]) -> list[str]:
    """The chapters whose script segments do not hold every word of the chapter once and in
    order (none lost, none repeated, none added)."""
    first = min((s.chapter for s in found), default=0)
    wrong = []
    for n, chapter in enumerate(chapters):
        want = WORD.findall(" ".join(p.text for p in chapter.paragraphs))
        got = WORD.findall(" ".join(s.text for s in found if s.chapter == first + n))
        if got != want:
            wrong.append(f"chapter {n + 1} ({chapter.title})")
    return wrong


@dataclass
class CastFigure:
    total: int = 0  # major and intermediate characters
    one: int = 0  # ... found as one entry with the right gender
    major_total: int = 0
    major_one: int = 0
    mixed: int = 0  # entries holding the names of two of them


def cast_figure(cast, people: Characters, mapping: dict[str, str]) -> CastFigure:
    figure = CastFigure()
    entries: dict[str, list] = {}
    for c in cast.characters:
        if c.name in mapping and (c.mentions >= 2 or c.quotes):
            entries.setdefault(mapping[c.name], []).append(c)
    important = {r["Main Name"] for r in people.rows if r["Category"] in ("major", "intermediate")}
    for row in people.rows:
        if row["Main Name"] not in important:
            continue
        mine = entries.get(row["Main Name"], [])
        gender = GENDERS.get(row["Gender"])
        ok = len(mine) == 1 and (gender is None or mine[0].gender == gender)
        figure.total += 1
        figure.one += ok
        if row["Category"] == "major":
            figure.major_total += 1
            figure.major_one += ok
    for c in cast.characters:
        held = set()
        for alias in c.aliases:
            holders = people.owners.get(plain(alias), set())
            if len(holders) == 1:
                held |= holders & important
        figure.mixed += len(held) > 1
    return figure


@dataclass
class Quotation:
    kind: str
    speaker: str  # the annotated character's main name
    items: list[int]  # our quotes covering its sub-quotations (indices into Novel.starts)
    spans: int


@dataclass
class Novel:
    """A novel read by the rules, with features, labels and the annotations to score by."""

    name: str
    groups: list[np.ndarray]  # per quote of ours: candidates x features
    follow: list[int | None]  # per quote of ours: the quote whose speaker it shares
    around: list[list[int | None]]  # per quote of ours: the quotes of the turns around it
    candidates: list[list[str]]  # per quote of ours: candidate entry names
    labels: list[list[int]]  # per quote of ours: the right candidates (one person, two entries)
    mapping: dict[str, str]  # entry -> annotated character
    quotations: list[Quotation] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)  # per quote of ours: it and its tag
    unread: list[str] = field(default_factory=list)  # chapters whose script lost/added words
    unnamed: list[bool] = field(default_factory=list)  # per quote of ours: "said another"
    entries: list[dict] = field(default_factory=list)  # our cast: names, gender, counts
    cast: CastFigure = field(default_factory=CastFigure)
    _quotes: Quotes | None = field(default=None, repr=False, compare=False)

    def quotes(self) -> Quotes:
        """The quotes as one array, labelled, made once (every fold of a leave-one-out fit
        joins them)."""
        if self._quotes is None:
            self._quotes = Quotes.of(self.groups, self.candidates, self.around, self.labels)
        return self._quotes

    def probabilities(self, model: SpeakerModel) -> list[np.ndarray]:
        return self.quotes().split(model.flat_probabilities(self.quotes()))


@dataclass
class AliasChoices:
    """A novel's addressed names and the speakers lined up with each (`aliases.choices`),
    with the rows the annotations say are the same person; names the annotations do not
    know are left out."""

    name: str
    xs: list[np.ndarray] = field(default_factory=list)
    right: list[list[int]] = field(default_factory=list)
    names: list[tuple[str, list[str]]] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # "addressed" or "surname" (`aliases.Choice`)
    # The novel's chapters and first reading, which `load` reads on from instead of reading
    # the book again (taken by the first `load` that uses it: reading on changes it).
    first: tuple[list[Chapter], Reading] | None = None

    def take_first(self) -> tuple[list[Chapter], Reading] | None:
        first, self.first = self.first, None
        return first


def alias_choices(folder: Path, cache: Path | None = None) -> AliasChoices:
    """`cache`: a folder that keeps the parse (it depends on the text only)."""
    book = read_book(folder / "novel_text.txt", keep_front_matter=True)
    reading = first_reading(book.chapters, cache=cache)
    mapping = Characters(folder).entry_map(reading.cast)
    found = AliasChoices(folder.name, first=(book.chapters, reading))
    for choice in aliases.choices(reading.paras, reading.cast):
        person = mapping.get(choice.addressed.name)
        # A titled surname's candidates all compete in the book, the ones the annotations do
        # not know as well (as someone else); an addressed name's are the annotated speakers.
        every = choice.kind == "surname"
        rows = [i for i, s in enumerate(choice.speakers) if every or s.name in mapping]
        if person is None or not rows:
            continue
        found.xs.append(choice.x[rows])
        kept = [choice.speakers[i] for i in rows]
        found.right.append([i for i, s in enumerate(kept) if mapping.get(s.name) == person])
        found.names.append((choice.addressed.name, [s.name for s in kept]))
        found.kinds.append(choice.kind)
    return found


def fit_aliases(novels: list[AliasChoices], choose: bool = True) -> aliases.AliasModel:
    """The alias model fitted on `novels`; its surname threshold chosen on them leave one
    novel out (`choose`), so that it too is fitted on the novels the model sees."""
    model = aliases.fit(
        [x for n in novels for x in n.xs],
        [r for n in novels for r in n.right],
        [k for n in novels for k in n.kinds],
    )
    if choose and len(novels) > 2 and model.surname_weights is not None:
        scored = []
        for novel in novels:
            inner = fit_aliases([o for o in novels if o is not novel], choose=False)
            for x, rows, kind in zip(novel.xs, novel.right, novel.kinds, strict=True):
                if kind == "surname":
                    p = inner.probabilities(x, kind)
                    scored += [(float(q), i in rows) for i, q in enumerate(p)]
        model.surname_threshold = aliases.choose_threshold(scored)
    return model


def load(
    folder: Path,
    alias_model: aliases.AliasModel | None = None,
    cache: Path | None = None,
    first: tuple[list[Chapter], Reading | None] | None = None,
) -> Novel:
    """`alias_model`: which names are one person (default: the shipped model); `cache`: a
    folder that keeps the parse (it depends on the text only, not on the model); `first`:
    the chapters and first reading `alias_choices` made (the reading is changed)."""
    if first is None:
        first = (read_book(folder / "novel_text.txt", keep_front_matter=True).chapters, None)
    chapters = first[0]
    reading = read(chapters, aliases=alias_model, first=first[1], cache=cache)
    table = features.build(reading.paras, reading.cast)
    spans, contexts = [], []
    for item, para in zip(table.items, table.paras, strict=True):
        spans.append((para.span.start + item.quote.start, para.span.start + item.quote.end))
        around = para.source[max(0, item.quote.start - 80) : item.quote.end + 80]
        contexts.append(" ".join(around.split()))
    order = sorted(range(len(spans)), key=lambda i: spans[i][0])
    starts = [spans[i][0] for i in order]
    people = Characters(folder)
    mapping = people.entry_map(reading.cast)
    novel = Novel(
        folder.name,
        table.features,
        leaders(table),
        table.around,
        [[c.name for c in cs] for cs in table.candidates],
        [[] for _ in table.items],
        mapping,
        contexts=contexts,
        unnamed=[unnamed_speaker(item) for item in table.items],
    )

    def covering(start: int, end: int) -> int | None:
        i = bisect.bisect_right(starts, start) - 1
        for j in order[max(0, i - 1) : i + 2]:
            s, e = spans[j]
            overlap = min(end, e) - max(start, s)
            if overlap > 0 and overlap >= 0.5 * (end - start):
                return j
        return None

    with (folder / "quotation_info.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            sub = ast.literal_eval(row["quoteByteSpans"])
            hits = [h for s, e in sub if (h := covering(s, e)) is not None]
            speaker = people.gold(row["speaker"])
            novel.quotations.append(Quotation(row["quoteType"], speaker, hits, len(sub)))
            for h in hits:
                names = novel.candidates[h]
                novel.labels[h] = [i for i, n in enumerate(names) if mapping.get(n) == speaker]
    # The cast figure counts entries that speak or are named more than once.
    for character in reading.cast.characters:
        character.quotes = sum(1 for item in table.items if item.speaker is character)
    novel.cast = cast_figure(reading.cast, people, mapping)
    novel.unread = unread_chapters(chapters, segments(reading.paras))
    novel.entries = [
        {"name": c.name, "aliases": sorted(c.aliases), "gender": c.gender,
         "mentions": c.mentions, "quotes": c.quotes, "stands_for": mapping.get(c.name)}
        for c in reading.cast.characters
    ]  # fmt: skip
    return novel


def fit_on(novels: list[Novel], start: SpeakerModel | None = None) -> SpeakerModel:
    return fit_quotes(Quotes.join([n.quotes() for n in novels]), start)


@dataclass
class Scores:
    name: str
    quotes: Counter = field(default_factory=Counter)  # quoteType -> total
    right: Counter = field(default_factory=Counter)  # quoteType -> right
    voiced: int = 0
    voiced_right: int = 0
    spans: int = 0
    found: int = 0
    cast: CastFigure = field(default_factory=CastFigure)
    asked_in_candidates: int = 0  # quotes whose speaker is among the candidates

    def accuracy(self, kind: str | None = None) -> float:
        total = sum(self.quotes.values()) if kind is None else self.quotes[kind]
        right = sum(self.right.values()) if kind is None else self.right[kind]
        return right / total if total else float("nan")

    @property
    def recall(self) -> float:
        return self.found / max(1, self.spans)

    @property
    def share_voiced(self) -> float:
        return self.voiced / max(1, sum(self.quotes.values()))

    @property
    def precision(self) -> float:
        return self.voiced_right / self.voiced if self.voiced else float("nan")


def score(novel: Novel, model: SpeakerModel, threshold: float | None = None) -> Scores:
    threshold = model.threshold if threshold is None else threshold
    chosen = [
        (novel.candidates[source][best], p)
        for source, best, p in choose_from(novel.probabilities(model), novel.follow, novel.unnamed)
    ]
    s = Scores(novel.name, cast=novel.cast)
    for q in novel.quotations:
        s.spans += q.spans
        s.found += len(q.items)
        s.quotes[q.kind] += 1
        if not q.items:
            continue
        name, p = chosen[q.items[0]]
        right = novel.mapping.get(name) == q.speaker
        s.right[q.kind] += right
        s.asked_in_candidates += bool(novel.labels[q.items[0]])
        if p >= threshold:
            s.voiced += 1
            s.voiced_right += right
    return s
