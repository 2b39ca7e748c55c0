"""The people several windows list, merged into one cast.

Each window's answer lists persons by a main name with other names. Entries with the same main
name are one person; an entry one of whose other names is another entry's main name joins it,
unless that name is ambiguous (one window gives it to two people, as "Miss Bennet" among
sisters) or the two are known to differ in gender. A person's name is the main name the
windows give most often, their gender the windows' majority.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from audiobook.model import Character

ARTICLES = ("the ", "a ", "an ")


def plain(name: str) -> str:
    """A name compared loosely: case, full stops, spacing and a leading article aside."""
    name = " ".join(name.lower().replace("\u2019", "'").replace(".", " ").split())
    for article in ARTICLES:
        name = name.removeprefix(article)
    return name


@dataclass
class Listed:
    """One person as one window lists them."""

    window: int
    name: str
    others: list[str]
    gender: str | None
    speaks: bool
    keys: set[str] = field(default_factory=set)  # plain forms of all its names

    @classmethod
    def read(cls, window: int, item: dict) -> Listed | None:
        name = " ".join(str(item.get("name", "")).split())
        if not plain(name):
            return None
        others = [" ".join(str(o).split()) for o in item.get("other_names") or []]
        others = [o for o in others if plain(o) and o != name]
        gender = item.get("gender")
        entry = cls(window, name, others, gender if gender in ("female", "male") else None,
                    bool(item.get("speaks")))  # fmt: skip
        entry.keys = {plain(name)} | {plain(o) for o in others}
        return entry


class _Groups:
    """Union-find over entries, keeping each group's gender votes."""

    def __init__(self, entries: list[Listed]) -> None:
        self.parent = list(range(len(entries)))
        self.votes = [Counter({e.gender: 1}) if e.gender else Counter() for e in entries]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def gender(self, i: int) -> str | None:
        v = self.votes[self.find(i)]
        if not v:
            return None
        (top, n), *rest = v.most_common(2) + [(None, 0)]
        return top if n > rest[0][1] else None

    def join(self, a: int, b: int, *, check_gender: bool) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        ga, gb = self.gender(ra), self.gender(rb)
        if check_gender and ga and gb and ga != gb:
            return
        self.parent[rb] = ra
        self.votes[ra] += self.votes[rb]


def merge(entries: list[Listed]) -> tuple[list[Character], list[Character]]:
    """The persons, most listed first, and for each entry the person it joined."""
    groups = _Groups(entries)
    by_main: dict[str, list[int]] = {}
    for i, e in enumerate(entries):
        by_main.setdefault(plain(e.name), []).append(i)
    for members in by_main.values():
        for i in members[1:]:
            groups.join(members[0], i, check_gender=False)
    ambiguous = _ambiguous(entries)
    for i, e in enumerate(entries):
        for other in e.keys - {plain(e.name)} - ambiguous:
            if other in by_main:
                groups.join(by_main[other][0], i, check_gender=True)
    members: dict[int, list[int]] = {}
    for i in range(len(entries)):
        members.setdefault(groups.find(i), []).append(i)
    people: dict[int, Character] = {}
    for root, group in members.items():
        people[root] = _person([entries[i] for i in group], groups.gender(root))
    ordered = sorted(people.values(), key=lambda c: (-c.mentions, c.name))
    return ordered, [people[groups.find(i)] for i in range(len(entries))]


def _ambiguous(entries: list[Listed]) -> set[str]:
    """Names one window gives to two different entries."""
    seen: dict[tuple[int, str], int] = {}
    found = set()
    for i, e in enumerate(entries):
        for key in e.keys:
            j = seen.setdefault((e.window, key), i)
            if j != i and plain(entries[j].name) != plain(e.name):
                found.add(key)
    return found


def _person(group: list[Listed], gender: str | None) -> Character:
    mains = Counter(e.name for e in group)
    name = max(mains, key=lambda n: (mains[n], len(n), n))
    aliases = {name}
    for e in group:
        aliases.add(e.name)
        aliases.update(e.others)
    windows = {e.window for e in group}
    spoke = {e.window for e in group if e.speaks}
    person = Character(name, aliases, gender, mentions=len(windows))
    person.quotes = len(spoke)  # windows they speak in, until lines are counted
    return person
