"""One person under a titled surname and a given name: "Mr. Oakley" and "Maurice Oakley",
"Mrs. Hamilton" and "Fannie", "Signor Carella" and "Gino".

The cast keeps such names apart unless a full name ties them only one way, as it must: "Mr.
Knightley" is not "John Knightley", "Mr. Wilcox" is not "Charles". What tells the one from
the other is in the book: how often the given name is written with the surname, whether the
two talk to each other or are named in one sentence, whether the narration names them in the
same chapters. For each character known by a titled surname alone this module lists the
characters named otherwise who may be the same one, with those features; the alias model
(`aliases.py`) weighs them with weights fitted on annotated novels.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

import numpy as np

from audiobook.agents.casting import FULL_NAME, Cast
from audiobook.agents.names import core_tokens, is_description, title_of
from audiobook.model import Character

FEATURES = (
    "bias",  # one of them rather than nobody
    "full_named",  # log(1 + times the given name is written with the surname)
    "full_share",  # ... as a share of those of all the candidates
    "has_the_surname",  # the given name's character is named with the surname ("Henry Tilney")
    "named_together",  # narration sentences naming both, over the fewer naming either
    "talk_to_each_other",  # log(1 + adjacent tagged turns of the two, or one naming the other)
    "lined_up",  # log(1 + turns where one is addressed beside the other's tagged turn), if
    # seen MIN_LINED_UP times: once is a coincidence
    "same_chapters",  # cosine of the chapters the narration names each in
    "same_company",  # cosine of whom each talks to
    "named_with_the_same",  # cosine of whom the narration names each with in a sentence
    "mention_share",  # the candidate's mentions as a share of all the candidates'
    "same_gender",  # both known and the same
)
MIN_LINED_UP = 2  # as for addressed names (`aliases.MIN_LINED_UP`)
# Titles a surname goes with: "Mr. Heaslop" may be the "Ronny" of another page; not "Lady
# Catherine" or "Sir John", which go with given names, nor "Aunt Juley".
BY_SURNAME = {
    "mr", "mrs", "miss", "ms", "master", "madame", "mme", "mademoiselle", "mlle", "monsieur",
    "m", "signor", "signora", "herr", "frau", "dr", "doctor", "professor", "captain",
    "colonel", "major", "general", "lieutenant", "sergeant", "inspector",
}  # fmt: skip


def known_by_surname(c: Character, cast: Cast) -> str | None:
    """The surname of a character named by it alone, with titles that go with surnames
    ("Mr. Heaslop", "Heaslop"), or None."""
    if c is cast.narrator or is_description(c.name):
        return None
    forms = {(core_tokens(a), title_of(a)) for a in c.aliases}
    titles = {t for _, t in forms}
    surnames = {core[0] for core, _ in forms if len(core) == 1}
    if any(len(core) != 1 for core, _ in forms) or len(surnames) != 1:
        return None
    if not titles & BY_SURNAME or titles - BY_SURNAME - {None}:
        return None
    return surnames.pop()


def candidates(cast: Cast, clash) -> dict[Character, list[Character]]:
    """Each character known by a titled surname alone, and the characters of no other family
    and no clashing gender (`clash(a, b)`) who are named otherwise: "Mr. Heaslop" and
    "Ronny", "Mr. Tilney" and "Henry Tilney", "Miss Schlegel" and "Margaret" (and "Helen"); not
    "Mr. John Knightley", named with the title to tell him from "Mr. Knightley"."""
    known = {c: s for c in cast.characters if (s := known_by_surname(c, cast))}
    return {
        titled: [
            c
            for c in cast.characters
            if c is not titled
            and c not in known
            and c is not cast.narrator
            and not is_description(c.name)
            and cast.may_speak(c)  # not "England", "Beethoven": names that take no lines
            and cast.family(c) <= {surname}
            and not clash(titled, c)
            and not _titled_otherwise(c, {title_of(a) for a in titled.aliases}, surname)
        ]
        for titled, surname in known.items()
    }


def _titled_otherwise(c: Character, titles: set[str | None], surname: str) -> bool:
    """`c` is named with a title: another one with the surname ("Miss Morland" is not "Mrs.
    Morland", as in `casting.Cast._fits`), or the same one with a given name, which the cast
    weighed already and kept apart ("Mr. John Knightley" beside "Mr. Knightley")."""
    for alias in c.aliases:
        title, core = title_of(alias), core_tokens(alias)
        if title in BY_SURNAME and (
            (title not in titles and core[-1:] == (surname,)) or (title in titles and len(core) > 1)
        ):
            return True
    return False


def full_names(texts: Iterable[str]) -> Counter[tuple[str, str]]:
    """(given name, surname), lower case, for every two capitalised words written together."""
    found: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for m in FULL_NAME.finditer(text):
            found[(m.group(1).lower(), m.group(2).lower())] += 1
    return found


def given_words(c: Character) -> set[str]:
    """The words a character's names start with that are no title: "maurice" of "Maurice
    Oakley", "juley" of "Aunt Juley"."""
    return {core[0] for a in c.aliases if (core := core_tokens(a))}


def rows(
    titled: Character,
    given: list[Character],
    evidence: dict,
    cast: Cast,
) -> np.ndarray:
    """The features of each candidate in `given` for `titled`. `evidence`: the book's counts
    (`full`, `named`, `together`, `talk`, `lined`, `chapters`), made once per book."""
    surname = known_by_surname(titled, cast)
    full = [sum(evidence["full"][(w, surname)] for w in given_words(g)) for g in given]
    mentions = [g.mentions for g in given]
    named, together, chapters = evidence["named"], evidence["together"], evidence["chapters"]
    company = _profiles(evidence["talk"])
    named_with = _profiles(together)
    x = np.zeros((len(given), len(FEATURES)))
    for i, (row, g) in enumerate(zip(x, given, strict=True)):
        pair = frozenset((titled, g))
        ga, gb = titled.gender or cast.gender_of(titled.name), g.gender or cast.gender_of(g.name)
        row[:] = (
            1.0,
            math.log1p(full[i]),
            full[i] / max(1, sum(full)),
            float(surname in cast.family(g)),
            together[pair] / max(1, min(named[titled], named[g])),
            math.log1p(evidence["talk"][pair]),
            math.log1p(
                lined
                if (lined := evidence["lined"][(titled, g)] + evidence["lined"][(g, titled)])
                >= MIN_LINED_UP
                else 0
            ),
            cosine(chapters[titled], chapters[g]),
            cosine(_without(company.get(titled), g), _without(company.get(g), titled)),
            cosine(_without(named_with.get(titled), g), _without(named_with.get(g), titled)),
            mentions[i] / max(1, sum(mentions)),
            float(bool(ga) and ga == gb),
        )
    return x


def talk(turns) -> Counter[frozenset[Character]]:
    """Pairs seen talking to each other: tagged in adjacent turns of a conversation, or one
    naming the other in a tagged turn (nobody calls himself by name)."""
    found: Counter[frozenset[Character]] = Counter()
    for t, turn in enumerate(turns):
        if turn.speaker is None:
            continue
        for who in turn.addressed - {turn.speaker}:
            found[frozenset((who, turn.speaker))] += 1
        after = turns[t + 1] if t + 1 < len(turns) else None
        if after and not after.opens and after.speaker not in (None, turn.speaker):
            found[frozenset((turn.speaker, after.speaker))] += 1
    return found


def _profiles(pairs: Counter[frozenset[Character]]) -> dict[Character, Counter[Character]]:
    """Each character's counts of the others it is paired with."""
    found: dict[Character, Counter[Character]] = {}
    for pair, n in pairs.items():
        if len(pair) == 2:
            a, b = pair
            found.setdefault(a, Counter())[b] += n
            found.setdefault(b, Counter())[a] += n
    return found


def _without(counts: Counter | None, who: Character) -> Counter:
    return Counter({k: n for k, n in (counts or Counter()).items() if k is not who})


def cosine(a: Counter, b: Counter) -> float:
    dot = sum(n * b[k] for k, n in a.items())
    norm = math.sqrt(sum(n * n for n in a.values()) * sum(n * n for n in b.values()))
    return dot / norm if norm else 0.0
