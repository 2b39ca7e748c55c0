"""People named in a text: as subjects, objects or vocatives; relatives through family names;
the first-person narrator and how the others address them."""

from __future__ import annotations

import re
from collections import Counter

from audiobook.agents.attribution.paragraphs import _Para, _Quote, _speaker
from audiobook.agents.attribution.patterns import (
    OBJECT_OF,
    PERSON_RE,
    vocative_names,
)
from audiobook.agents.casting import LEADING_NOT_NAMES, Cast
from audiobook.agents.names import (
    RELATION_GENDER,
    core_tokens,
    title_of,
)
from audiobook.model import Character


def _vocatives(para: _Para, item: _Quote, cast: Cast) -> list[Character]:
    inner = para.source[item.quote.start : item.quote.end]
    return [c for name in vocative_names(inner) if (c := cast.resolve(name))]


def _first_person_narrator(paras: list[_Para], cast: Cast) -> Character:
    """The 'I' of the book: the name others most often call the narrator by."""
    near: Counter[int] = Counter()  # called by name in a line next to one of the narrator's
    anywhere: Counter[int] = Counter()  # called by name in any line
    by_id = {id(c): c for c in cast.characters}
    mine = [any(q.tag == "I" for q in para.quotes) for para in paras]
    for i, para in enumerate(paras):
        for item in para.quotes:
            if item.tag == "I":
                continue
            called = _vocatives(para, item, cast)
            beside = any(mine[j] for j in (i - 1, i + 1) if 0 <= j < len(paras))
            for c in called:
                anywhere[id(c)] += 1
                near[id(c)] += beside
    # The narrator's name is said by others, seldom by the narration itself ("I", not
    # "Alexis"): a servant called beside the narrator's lines is also named in the narration.
    narrated: Counter[int] = Counter(id(c) for p in paras for c in _mentions(p.narration, cast))
    votes = {
        key: n * anywhere[key] / (anywhere[key] + narrated[key]) for key, n in near.items() if n
    }
    if votes:
        return by_id[max(votes, key=lambda key: (votes[key], by_id[key].name))]
    narrator = Character("Narrator", {"Narrator"})
    cast.characters.append(narrator)
    return narrator


def _named(text: str, cast: Cast, *, objects: bool) -> list[tuple[int, Character]]:
    """(offset, character) for each name in `text`; without `objects`, only those that can be
    a sentence's subject: not "Jane's", not "to Jane"."""
    return [(m.start(), c) for m, c in _named_matches(text, cast, objects=objects)]


def _named_matches(text: str, cast: Cast, *, objects: bool) -> list[tuple[re.Match, Character]]:
    found = []
    pos = 0
    while m := PERSON_RE.search(text, pos):
        pos = m.end()
        first, *rest = m.group(0).split(maxsplit=1)
        if rest and first.lower() in LEADING_NOT_NAMES:
            pos = m.start() + len(first)  # "When Mrs. Bennet": the name starts after "When"
            continue
        if (
            not objects
            and (
                re.match(r"['’]s\b", text[m.end() :])
                or re.search(r"['’]s$", m.group(0))  # the name pattern takes "William's" whole
                or OBJECT_OF.search(text[: m.start()])
            )
        ):
            continue
        if (c := cast.resolve(m.group(0))) is not None:
            found.append((m, c))
    return found


def _subjects(text: str, cast: Cast) -> list[Character]:
    return [c for _, c in _named(text, cast, objects=False)]


ADDRESS = re.compile(
    r"\b(?:my (?:dear|good) |old |dear )(?P<noun>fellow|man|chap|boy|lad|girl|lass|lady|woman)\b"
    r"|,\s*(?P<title>sir|madam|ma['’]am)\b",
    re.IGNORECASE,
)
ADDRESS_GENDER = {
    "fellow": "male", "man": "male", "chap": "male", "boy": "male", "lad": "male",
    "sir": "male", "girl": "female", "lass": "female", "lady": "female", "woman": "female",
    "madam": "female", "ma'am": "female", "ma’am": "female",
}  # fmt: skip


def _spoken_to_as(person: Character, paras: list[_Para]) -> str | None:
    """A first-person narrator's gender from how the people they talk with address them:
    "my dear fellow", "sir", "madam" in the turns around the narrator's own."""
    votes: Counter[str] = Counter()
    for i, para in enumerate(paras):
        if _speaker(para) is not person:
            continue
        for other in (paras[i - 1] if i else None, paras[i + 1] if i + 1 < len(paras) else None):
            speaker = _speaker(other) if other is not None else None
            if speaker is None or speaker is person:
                continue
            for item in other.quotes:
                inner = other.source[item.quote.start : item.quote.end]
                for m in ADDRESS.finditer(inner):
                    votes[ADDRESS_GENDER[(m.group("noun") or m.group("title")).lower()]] += 1
    total = sum(votes.values())
    if total >= 3 and votes.most_common(1)[0][1] >= 0.75 * total:
        return votes.most_common(1)[0][0]
    return None


def _mentions(text: str, cast: Cast) -> list[Character]:
    return [c for _, c in _named(text, cast, objects=True)]


BORN_TO = {"father", "mother", "brother", "sister"}
NUCLEAR_FAMILY = {"wife", "husband", "father", "mother", "brother", "sister", "son", "daughter"}
FAMILY_TITLES = {"wife": "mrs", "mother": "mrs", "aunt": "mrs", "lady": "mrs", "husband": "mr",
                 "father": "mr", "uncle": "mr"}  # fmt: skip


def _relative(person: Character, relation: str, cast: Cast) -> list[Character]:
    """The people of `person`'s family a word like "father" or "wife" can name, by surname,
    gender and, for a wife or husband, the married title."""
    gender = RELATION_GENDER.get(relation)
    titles = {"wife": {"mrs", "lady"}, "mother": {"mrs", "lady"}, "husband": {"mr", "sir"},
              "father": {"mr", "sir"}}.get(relation)  # fmt: skip
    families = cast.family(person)
    if relation in BORN_TO:
        # Mrs. Hurst's brother is no Hurst: a married name is her husband's family, and
        # Louisa Gradgrind's father is no Bounderby when she is Mrs. Bounderby too.
        married = {
            core[-1]
            for a in person.aliases
            if title_of(a) in ("mrs", "lady") and (core := core_tokens(a))
        }
        families = families - married
        if not families:
            return []
    found = []
    for character in cast.characters:
        if character is person or character.gender != gender:
            continue
        if not families & cast.family(character):
            continue
        if titles and not any(title_of(a) in titles for a in character.aliases):
            continue
        found.append(character)
    return found
