"""The casting director: who is in the book, under which names, and of which gender.

Names come from where books name speakers ("said Mr. Darcy"), from vocatives ("Lizzy, come
here"), and from names the narration repeats. Names are merged when one is a fuller form of
another with a compatible title (Darcy, Mr. Darcy, Fitzwilliam Darcy; Lizzy, Eliza, Elizabeth)
and kept apart when titles disagree (Mr. Bennet, Mrs. Bennet, Miss Bennet).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from audiobook.agents.names import (
    FEMALE_NAMES,
    FEMALE_WORDS,
    MALE_NAMES,
    MALE_WORDS,
    MODIFIER_PREPS,
    NICKNAMES,
    NOT_AFTER_TITLE,
    NOT_NAMES,
    PERSON,
    TITLE_RE,
    TITLES,
    core_tokens,
    gender_of_title,
    is_plausible_name,
    one_letter_apart,
    sentences,
    title_of,
)
from audiobook.model import Character

PLAIN_TITLES = {None, "miss", "mr", "master"}
MARRIED_TITLES = {"mrs", "madame", "mme", "lady"}
UNMARRIED_TITLES = {"miss", "mademoiselle", "mlle"}
PLACE_WORDS = re.compile(
    r"\b(?:in|at|to|from|near|into|towards|of|through|round|leave|leaving|reach|for|down|up|"
    r"across|along|past|beyond)\s+$"
)
# "an Englishwoman", "no Italian", "every Hindu": a word for a kind of person, not a name.
INDEFINITE = re.compile(r"\b(?:a|an|no|any|every|each|another)\s+$", re.IGNORECASE)
MID_SENTENCE_NAME = re.compile(rf"(?<=[a-z,;] )({PERSON})")
FULL_NAME = re.compile(r"(?=\b([A-Z][a-z]+) ([A-Z][a-z]+)\b)")  # overlapping: Miss Jane Bennet


def _is_pet_name(surface: str) -> bool:
    words = surface.lower().split()
    return len(words) == 1 and words[0] in NICKNAMES


LEADING_NOT_NAMES = NOT_NAMES - {"the", "mr", "mrs", "miss", "sir", "madam", "lord", "madame",
                                 "monsieur", "sister", "brother", "mother", "father"}  # fmt: skip


def clean_surface(surface: str, common: frozenset[str] = frozenset()) -> str:
    """The name in a capitalised run of words: "When Jane" is Jane, and so is "Presently Jane"
    when the book writes "presently" in lower case elsewhere (`common`)."""
    surface = " ".join(surface.split())
    surface = re.sub(r"['’]s$", "", surface)
    words = surface.split()
    while (
        len(words) > 1
        and (
            words[0].lower() in LEADING_NOT_NAMES
            or (
                words[0].lower() in common
                and words[0].lower() not in ("the", "a", "an")
                and title_of(words[0]) is None  # "Lady Mellanby", however often "lady"
            )
        )
        and words[1][:1].isupper()
    ):
        words = words[1:]
    surface = " ".join(words)
    # "the wary Jones", "the gentle Mrs. Thorpe": an epithet before a name is not part of it.
    return re.sub(rf"^[Tt]he\s+[a-z]+\s+(?=[A-Z][\w’'-]*$|(?:{TITLE_RE})\.?\s+[A-Z])", "", surface)


def _key(surface: str) -> tuple[tuple[str, ...], str | None]:
    core = core_tokens(surface)
    if not core:  # "the King": the title is the name
        core = tuple(w.lower().strip(".") for w in surface.split() if w.lower() != "the")
    return core, _title(surface)


def _title_only(surface: str) -> bool:
    core, title = _key(surface)
    return title is not None and core == (title,)


def _title(surface: str) -> str | None:
    """The title a name is written with, "the King" as "King"."""
    return title_of(surface.removeprefix("the ").removeprefix("The "))


class Cast:
    def __init__(
        self,
        common: frozenset[str] = frozenset(),
        genders: dict[str, str | None] | None = None,
        unmarried_families: frozenset[str] = frozenset(),
    ) -> None:
        self.characters: list[Character] = []
        self.common = common  # words the book writes in lower case: not names
        self.surface_genders = genders or {}  # a name as written -> the gender it shows
        self.unmarried_families = unmarried_families  # surnames a "Miss" goes with
        self._counts: dict[str, int] = {}  # how often each name is used, while discovering
        # (titled surname, given name) named together in sentences: two people, as in
        # "Charles looked at Mr. Wilcox".
        self.apart: set[tuple[str, str]] = set()
        self.sisters: set[str] = set()  # surnames with two women named by given name
        self._keys: dict[Character, list[tuple[tuple[str, ...], str | None]]] = defaultdict(list)
        self._cache: dict[str, Character | None] = {}
        self._alias_counts: dict[Character, Counter[str]] = defaultdict(Counter)
        self.narrator: Character | None = None
        self.speaking: set[Character] = set()  # characters a speech tag or vocative names
        self.tagged: set[Character] = set()  # characters a speech tag names: known speakers
        self.shared_surnames: set[str] = set()  # surnames several first names go with
        self.surnames: dict[Character, set[str]] = defaultdict(set)  # family names, lower case
        # "Miss Bennet" when several Bennet sisters are named: resolved to one of them by
        # `salience`, the characters named lately (last named last), which the reader updates.
        self.ambiguous: dict[Character, list[Character]] = {}
        self.salience: list[Character] = []

    def family(self, character: Character) -> set[str]:
        return self.surnames.get(character, set())

    def speaks(self, character: Character) -> bool:
        return character in self.speaking or character is self.narrator

    def may_speak(self, character: Character) -> bool:
        """Named in a speech tag or called by name, or a person by title (Captain Tilney):
        not a word the narration names that no line shows to be anyone ("Islam", "the
        College"), which would take the lines of whoever "he" is."""
        return self.speaks(character) or any(title_of(a) is not None for a in character.aliases)

    def _compatible(self, key, other) -> bool:
        (core, title), (ocore, otitle) = key, other
        if not set(core) <= set(ocore):
            return False
        if title and otitle and title != otitle:
            return False
        g, og = gender_of_title(title), gender_of_title(otitle)
        return not (g and og and g != og)

    def gender_of(self, surface: str) -> str | None:
        return self.surface_genders.get(surface) or gender_of_title(_title(surface))

    def _fits(self, key, character: Character, surface: str = "") -> bool:
        keys = self._keys[character]
        if not any(self._compatible(key, k) for k in keys):
            return False
        gender = self.gender_of(surface) if surface else None
        if gender and any(
            (other := self.gender_of(a)) and other != gender for a in character.aliases
        ):
            return False  # Edna Pontellier is not Mr. Pontellier, Robert not Madame Lebrun
        title = key[1]
        if (
            title in MARRIED_TITLES
            and len(key[0]) == 1
            and key[0][0] in self.unmarried_families
            and any(len(core) > 1 and t is None for core, t in keys)
        ):
            return False  # a family with a "Miss": "Mrs. Hilbery" is Katharine's mother
        if (
            len(key[0]) == 1
            and (gender_of_title(title) == "male" or key[0][0] in self.sisters)
            and any(
                t is None and len(core) > 1 and (surface, core[0]) in self.apart for core, t in keys
            )
        ):
            # "Mr. Wilcox" is not Charles Wilcox when "Charles" talks to him: sons share their
            # father's "Mr.", daughters their mother's name; but where one woman of a family
            # is named, "Edna ... Mrs. Pontellier" are hers.
            return False
        if (
            title
            and len(key[0]) == 1
            and any(t == title and len(core) > 1 and core[-1] == key[0][0] for core, t in keys)
            and self._counts.get(surface, 0) >= 2 * self._titled_full(character, title)
        ):
            return False  # "Mr. John Knightley" is named so to tell him from Mr. Knightley
        if title and any(t and t != title for _, t in keys):
            return False  # Miss Darcy is not Mr. Darcy
        if (
            len(key[0]) == 1
            and key[0][0] in self.shared_surnames
            and any(len(core) > 1 for core, _ in keys)
            and not (title and self._only_one_titled(key[0][0], title, character))
        ):
            return False  # "Miss Bennet" is not Miss Elizabeth Bennet when there are five
        if _is_pet_name(surface):
            # A pet name joins only someone called by the full first name, untitled, and not
            # a grandee addressed as Lady, Sir or Duke: Kitty is not Lady Catherine.
            if any(t not in PLAIN_TITLES for _, t in keys):
                return False
            return any(core == key[0] and t is None for core, t in keys)
        return True

    def _titled_full(self, character: Character, title: str) -> int:
        counted = self._alias_counts[character]
        return sum(n for alias, n in counted.items()
                   if title_of(alias) == title and len(core_tokens(alias)) > 1)  # fmt: skip

    def _only_one_titled(self, surname: str, title: str, character: Character) -> bool:
        """ "Mr. Sholto" is Mr. Thaddeus Sholto when no other Sholto is a "Mr." by name."""
        titled = [
            c
            for c in self.characters
            if any(t == title and len(k) > 1 and k[-1] == surname for k, t in self._keys[c])
        ]
        return titled == [character]

    def _by_title_alone(self, surface: str) -> Character | None:
        """ "the Colonel" (or "Mademoiselle" alone) is Colonel Brandon (Mademoiselle Reisz)
        when he is the only colonel the book names."""
        words = surface.split()
        if words and words[0].lower() == "the":
            words = words[1:]
        if len(words) != 1 or (title := title_of(words[0])) is None:
            return None
        holders = [
            c
            for c in self.characters
            if any(t == title and core and core != (title,) for core, t in self._keys[c])
        ]
        return holders[0] if len(holders) == 1 else None

    def _match(self, surface: str) -> Character | None:
        holders = [c for c in self.characters if surface in c.aliases]
        if len(holders) == 1:
            return holders[0]  # a name the cast gave one entry, "Miss Tilney" merged late
        key = _key(surface)
        found = [c for c in self.characters if self._fits(key, c, surface)]
        if not found:
            return self._by_title_alone(surface)
        exact = [c for c in found if surface in c.aliases]
        if exact:
            return exact[0]
        if key[1] and len(found) > 1:
            # "Sir John" is Sir John Middleton before John Dashwood: a title goes with a title.
            found = [c for c in found if any(t == key[1] for _, t in self._keys[c])] or found
        if key[1] is None and len(key[0]) == 1 and len(found) > 1:
            # A bare given name is the one who goes by it untitled ("John" is John Dashwood):
            # the narration writes "Sir John" whole.
            word = key[0][0]
            found = [
                c
                for c in found
                if any(t is None and len(core) > 1 and core[0] == word for core, t in self._keys[c])
            ] or found
        if key[1] is None and len(found) > 1:
            # A bare surname shared by a man and women of the family is, in prose, the man's.
            men = [c for c in found if any(gender_of_title(t) == "male" for _, t in self._keys[c])]
            if men:
                found = men
        return sorted(found, key=lambda c: -c.mentions)[0]

    def add(self, surface: str, weight: int = 1) -> Character:
        surface = clean_surface(surface, self.common)
        character = self._match(surface)
        if character is None:
            character = Character(surface, {surface})
            self.characters.append(character)
        character.aliases.add(surface)
        character.mentions += weight
        self._alias_counts[character][surface] += weight
        self._keys[character].append(_key(surface))
        self._cache.clear()
        return character

    def merge(self, source: Character, target: Character) -> None:
        """`source` is another name of `target`: one character with both names."""
        target.aliases |= source.aliases
        target.mentions += source.mentions
        target.quotes += source.quotes
        target.gender = target.gender or source.gender
        self._keys[target] += self._keys.pop(source, [])
        self._alias_counts[target].update(self._alias_counts.pop(source, Counter()))
        self.surnames[target] |= self.surnames.pop(source, set())
        for ids in (self.speaking, self.tagged):
            if source in ids:
                ids.discard(source)
                ids.add(target)
        if self.narrator is source:
            self.narrator = target
        self.characters.remove(source)
        self._cache.clear()

    def alias_counts(self, character: Character) -> Counter[str]:
        return self._alias_counts[character]

    def resolve(self, surface: str) -> Character | None:
        surface = clean_surface(surface, self.common)
        if surface not in self._cache:
            self._cache[surface] = self._match(surface) if is_plausible_name(surface) else None
        found = self._cache[surface]
        if found is not None and found in self.ambiguous:
            return self._in_context(self.ambiguous[found])
        return found

    def resolve_tag(self, surface: str, avoid: Collection[Character] = ()) -> Character | None:
        """Whom a speech tag names: as `resolve`, and a title alone ("said Mademoiselle") is
        the one character with that title. Not for vocatives: "Yes, sir" names nobody. A name
        several people bear is not one in `avoid` (those the quote calls by name)."""
        found = self.resolve(surface)
        name = clean_surface(surface, self.common)
        if found is None and not is_plausible_name(name):
            found = self._by_title_alone(name)
        if found is not None and (bearers := self._bearers(name, found)):
            return self._in_context([c for c in bearers if c not in avoid] or bearers)
        return found

    def _bearers(self, name: str, found: Character) -> list[Character]:
        """ "said Fitzwilliam" with Fitzwilliam Darcy and Colonel Fitzwilliam in the cast: a
        bare name that is one man's given name and the family name of others of his gender
        may be any of them (decided where it is read, as "Miss Bennet" is). Empty when the
        name is one person's, or the family name of the one it found ("said Morland" is Mr.
        Morland's, whose son is James Morland: the surname model decides whether they are
        one man). `name`: as `clean_surface` gives it."""
        family = name.lower()
        if (
            len(name.split()) != 1
            or title_of(name)
            or found.gender is None
            or family in self.family(found)
        ):
            return []
        others = [
            c
            for c in self.characters
            if c is not found and c.gender == found.gender and family in self.family(c)
        ]
        return [found, *others] if others else []

    def _in_context(self, members: list[Character]) -> Character:
        """ "Miss Bennet" in a family of sisters: the one the story has named last."""
        for character in reversed(self.salience):
            if character in members:
                return character
        return max(members, key=lambda c: c.mentions)

    def by_name(self, name: str) -> Character | None:
        return next((c for c in self.characters if c.name == name), None)


def discover(
    tag_names: Counter[str],
    vocatives: Counter[str],
    narration: list[str],
    full_text: list[str] | None = None,
    titles: Collection[str] = (),
) -> Cast:
    """Build the cast from speech-tag names, vocatives and names repeated in the narration.
    `titles`: the chapter titles, narration too ("Chapter VI: ... Miss Lucy Honeychurch Drive
    Out"), the one place a book may name someone in full."""
    cased = casing(full_text or narration)
    common = cased.common
    narration = [*narration, *(_as_prose(t, common) for t in titles)]

    def clean(surface: str) -> str:
        return clean_surface(surface, common)

    counts: Counter[str] = Counter()
    for surface, n in tag_names.items():
        counts[surface] += 3 * n
    narrated: Counter[str] = Counter()
    placed: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for text in narration:
        for m in MID_SENTENCE_NAME.finditer(text):
            surface = clean(m.group(1))
            narrated[surface] += 1
            possessive = re.search(r"['’]s$", m.group(1))  # "in Mrs. Alder's shop"
            before = text[max(0, m.start() - 12) : m.start()]
            if PLACE_WORDS.search(before) and not possessive:
                placed[surface] += 1
            if INDEFINITE.search(before):
                kinds[surface] += 1
    counts = _merge_clean(counts, common)
    for surface, n in _merge_clean(vocatives, common).items():
        if (
            surface in counts
            or narrated[surface]
            or n >= 3
            or (n >= 2 and " " not in surface and is_given_name(surface))
        ):
            # A vocative counts when the name is used elsewhere too, or is a given name:
            # "Psha!" and "Ugh!" open quotes as "Jane!" does.
            counts[surface] += n
    # Surnames of people named with Miss, Mr., Dr. ...: one "Adela Quested" ties Adela to
    # Miss Quested. Not Mrs.: "Lilia Theobald" is Mrs. Theobald's daughter before marriage.
    surnames = {
        _key(x)[0][0]
        for x in counts
        if _key(x)[1] not in (None, *MARRIED_TITLES) and len(_key(x)[0]) == 1
    }
    singles = {_key(x)[0][0] for x in counts if len(_key(x)[0]) == 1}
    full: dict[str, set[str]] = defaultdict(set)  # given name -> surnames it is seen with
    for text in narration:
        for m in FULL_NAME.finditer(text):
            full[m.group(1)].add(m.group(2))
    for first, lasts in full.items():
        if len(lasts) == 1 and first.lower() in singles:
            (last,) = lasts
            if last.lower() in surnames:
                narrated[f"{first} {last}"] += 0  # named in full, if only once
    singles = {f for f in singles if len(full.get(f.capitalize(), ())) <= 1}
    for surface, n in narrated.items():
        if placed[surface] > n / 2:
            continue  # mostly after "in", "at", "to": a place
        core, title = _key(surface)
        links = title is None and len(core) == 2 and core[1] in surnames and core[0] in singles
        if n >= 3 or surface in counts or links:
            counts[surface] += max(n, 1)

    def seen(where: Counter[str], surface: str) -> tuple[int, int]:
        """How often the narration names the surface (with or without "the") after the words
        `where` counts, and how often it names it mid-sentence at all."""
        bare = surface[4:] if surface.lower().startswith("the ") else surface
        forms = {surface, bare}
        return sum(where[f] for f in forms), sum(narrated[f] for f in forms)

    def place(surface: str) -> bool:
        """ "in Kent", "into the Thames": mostly named where places are; "the Netherfield
        ball": a place used as an adjective, not "the Caterpillar"."""
        if surface in tag_names or title_of(surface) is not None:
            return False  # "Mrs. Alder" is a person wherever she is named
        found, named = seen(placed, surface)
        return found > named / 2

    def kind(surface: str) -> bool:
        """ "an Englishwoman", "every Italian": mostly written with an indefinite article, a
        word for a kind of person; a name takes one only as a figure ("a Bounderby")."""
        if title_of(surface) is not None:
            return False
        found, named = seen(kinds, surface)
        return found >= 2 and found > named / 2

    surfaces = [
        s
        for s in counts
        if is_plausible_name(s) and not place(s) and not kind(s) and s.lower() not in cased.openers
    ]
    surfaces = [s for s in surfaces if not _is_group(s, surfaces)]
    firsts: dict[str, set[str]] = defaultdict(set)
    for surface in surfaces:
        core = _key(surface)[0]
        if len(core) == 2 and not surface.lower().startswith("the "):
            firsts[core[1]].add(core[0])
    tagged = {clean(s) for s in tag_names}
    speaking = tagged | {clean(s) for s in vocatives}
    unmarried = frozenset(
        core[0]
        for s in surfaces
        for core, title in [_key(s)]
        if title in UNMARRIED_TITLES and len(core) == 1
    )
    cast = Cast(common, surface_genders(surfaces, narration, common), unmarried)
    cast.apart = _apart(surfaces, full_text or narration, common)
    women: dict[str, set[str]] = defaultdict(set)
    for surface in surfaces:
        core, title = _key(surface)
        if title is None and len(core) == 2 and cast.surface_genders.get(surface) == "female":
            women[core[1]].add(core[0])
    cast.sisters = {surname for surname, names in women.items() if len(names) >= 2}
    cast.shared_surnames = {surname for surname, names in firsts.items() if len(names) >= 2}
    cast._counts = dict(counts)
    # Fuller names first, titled before bare, so shorter forms join them, not the reverse.
    # A title alone ("the Major") last of all: it joins the one Major the book names.
    order = sorted(
        surfaces,
        key=lambda s: (_title_only(s), -len(_key(s)[0]), _key(s)[1] is None, -counts[s]),
    )
    for surface in order:
        character = cast.add(surface, counts[surface])
        if surface in speaking:
            cast.speaking.add(character)
        if surface in tagged:
            cast.tagged.add(character)
    _join_spellings(cast)
    _join_bare_surname(cast)
    for character in cast.characters:
        # The fullest form the book uses more than once names the character (Jonathan Small,
        # Mr. Sherlock Holmes); shorter forms stay aliases.
        counted = cast.alias_counts(character)
        pool = [a for a in character.aliases if counted[a] >= 2] or list(character.aliases)
        character.name = max(
            pool,
            key=lambda a: (
                len(a.split()),
                not a.lower().startswith("the "),
                len(core_tokens(a)),
                counted[a],
            ),
        )  # a name before a description as long (Colonel Brandon, not the Colonel), a given
        # name before a title (John Thorpe, not Mr. Thorpe)
    _genders(cast, narration)
    _families(cast, full_text or narration)
    _family_titles(cast, _after_miss(full_text or narration))
    cast.characters.sort(key=lambda c: -c.mentions)
    return cast


RARE_SPELLING = 20  # a variant spelling is this many times rarer than the name it varies


def _join_spellings(cast: Cast) -> None:
    """An entry whose every name is a far commoner name, one letter apart, with the same
    title and a long enough word to be sure of, is that name misprinted."""
    for rare in sorted(cast.characters, key=lambda c: c.mentions):
        keys = cast._keys[rare]
        if not keys or rare not in cast.characters:
            continue
        for common in sorted(cast.characters, key=lambda c: -c.mentions):
            if common is rare or common.mentions < RARE_SPELLING * rare.mentions:
                continue
            theirs = cast._keys[common]
            if all(any(_misprint_of(key, other) for other in theirs) for key in keys):
                cast.merge(rare, common)
                break


def _misprint_of(key, other) -> bool:
    """The same title and words but one, that one a letter short of the other's (6 letters
    at least: "Browlow" for "Brownlow", never "Mary" for "Marty")."""
    (core, title), (other_core, other_title) = key, other
    if title != other_title or len(core) != len(other_core):
        return False
    differing = [(a, b) for a, b in zip(core, other_core, strict=True) if a != b]
    return (
        len(differing) == 1 and min(map(len, differing[0])) >= 6 and one_letter_apart(*differing[0])
    )


def _join_bare_surname(cast: Cast) -> None:
    """ "Mr. Sikes" is kept apart from "Mr. William Sikes" as Mr. Knightley is from Mr. John
    Knightley; but where the book's bare "Sikes" went to the man with the given name (he is
    named so more than "Mr. Sikes" is), the titled surname is that man too."""
    for titled in list(cast.characters):
        keys = cast._keys[titled]
        forms = {(core, t) for core, t in keys}
        if len(forms) != 1:
            continue
        ((core, title),) = forms
        if title is None or len(core) != 1 or title in MARRIED_TITLES | UNMARRIED_TITLES:
            continue
        holders = [
            c for c in cast.characters
            if c is not titled and (core, None) in cast._keys[c]
            and any(len(k) > 1 and k[-1] == core[0] for k, _ in cast._keys[c])
        ]  # fmt: skip
        if len(holders) != 1:
            continue
        (man,) = holders
        bare = sum(n for a, n in cast.alias_counts(man).items() if _key(a) == (core, None))
        gender = gender_of_title(title)
        others = [g for a in man.aliases if (g := cast.gender_of(a))]
        if bare >= titled.mentions and all(g == gender for g in others):
            cast.merge(titled, man)


APART = 2  # sentences naming both that make a titled surname and a given name two people


def _apart(surfaces: list[str], texts: list[str], common: frozenset[str]) -> set[tuple[str, str]]:
    titled = {s for s in surfaces if _key(s)[1] and len(_key(s)[0]) == 1}
    given = {_key(s)[0][0] for s in surfaces if _key(s)[1] is None and len(_key(s)[0]) == 2}
    together: Counter[tuple[str, str]] = Counter()
    for _, found in _names_by_sentence(texts, common):
        words = {w.lower() for f in found for w in f.split()[:1]} & given
        for surface in found & titled:
            for word in words:
                together[(surface, word)] += 1
    return {pair for pair, n in together.items() if n >= APART}


def _names_by_sentence(texts: list[str], common: frozenset[str]):
    """(sentence, the names written in it, cleaned) for every sentence of `texts`."""
    for text in texts:
        for sentence in sentences(text):
            yield (
                sentence,
                {clean_surface(m.group(0), common) for m in re.finditer(PERSON, sentence)},
            )


def _is_group(surface: str, surfaces: list[str]) -> bool:
    """ "the Lucases", "Gardiners", "the Miss Bennets": a family, not a speaker."""
    words = surface.split()
    last = words[-1]
    if not last.endswith("s") or len(words) > 3:
        return False
    stems = {last[:-1], last[:-2]} if last.endswith("es") else {last[:-1]}
    names = {w for other in surfaces if other != surface for w in other.split()[-1:]}
    return bool(stems & names)


WORD = re.compile(r"[A-Za-z][a-z’']+")
# What comes before a word that opens a sentence, with the space between: a stop, a dash or a
# new line, closing quote marks after it ('... we go.” Nevertheless'), or a quote mark opening
# ("“Nevertheless, ..."); not the stop of "Mr." before "Darcy".
OPENS_SENTENCE = re.compile(NOT_AFTER_TITLE + r"(?:[.!?:;—\n-][”\"’')]*|(?:^|\s)[“\"‘'])\s?$")


@dataclass(frozen=True)
class Casing:
    """How a book writes its words: which are common words, not names."""

    # Written in lower case far more often than capitalised inside a sentence: "Presently",
    # "Meanwhile" opening a sentence are no part of a name; "Rose" and "Frank", capitalised
    # wherever they stand, are names.
    common: frozenset[str]
    # Written in lower case, and capitalised only where a sentence opens, never inside one:
    # "Nevertheless", "Anyhow", "Zero" are no name even alone. A name the book only ever
    # writes opening a line ("Cyril, you are late") is still a name: it is never lower case.
    openers: frozenset[str]


def _as_prose(title: str, common: Collection[str]) -> str:
    """A title as prose writes it: capitals kept for names and titles only. Title case would
    make names of "Lucy As a Work of Art" ("Lucy As") and tie Lucy to a surname "As"."""

    def said(m: re.Match[str]) -> str:
        word = m.group(0).lower()
        return word if word in common and word not in TITLES else m.group(0)

    return TITLE_CASED_WORD.sub(said, title)


TITLE_CASED_WORD = re.compile(r"\b[A-Z][a-z]+\b")


def casing(texts: list[str]) -> Casing:
    lower: Counter[str] = Counter()
    capital: Counter[str] = Counter()  # capitalised inside a sentence
    opening: Counter[str] = Counter()  # capitalised where a sentence opens
    for text in texts:
        for m in WORD.finditer(text):
            word = m.group(0)
            if word[0].islower():
                lower[word] += 1
            elif m.start() >= 2 and not OPENS_SENTENCE.search(text, m.start() - 4, m.start()):
                capital[word.lower()] += 1
            else:
                opening[word.lower()] += 1
    words = lower.keys() | opening.keys()
    never_inside = {w for w in words if not capital[w]}
    return Casing(
        frozenset(
            w
            for w in words
            if (lower[w] >= 3 and capital[w] <= lower[w] / 10)
            or (w in never_inside and (lower[w] or opening[w] >= 2))
        ),
        frozenset(w for w in never_inside if lower[w]),
    )


HEAD_GENDER = {
    "man": "male", "gentleman": "male", "boy": "male", "lad": "male", "fellow": "male",
    "woman": "female", "lady": "female", "girl": "female", "maid": "female",
}  # fmt: skip
_GUESSER = None


def description_head(surface: str) -> str:
    """The noun a description is about: "the gentleman in the white waistcoat" -> gentleman."""
    words = surface.lower().split()
    for i, w in enumerate(words[1:], 1):
        if w in MODIFIER_PREPS:
            return words[i - 1]
    return words[-1]


def _guess_gender(word: str) -> str:
    """gender-guesser's answer for a given name (some 40,000 of them), its dictionary loaded
    once: "male", "mostly_female", "andy", ... or "unknown" for a word it does not know."""
    global _GUESSER
    if _GUESSER is None:
        import gender_guesser.detector

        _GUESSER = gender_guesser.detector.Detector(case_sensitive=False)
    return _GUESSER.get_gender(word)


def given_name_gender(word: str) -> str | None:
    """The usual gender of a given name."""
    return {"male": "male", "mostly_male": "male", "female": "female",
            "mostly_female": "female"}.get(_guess_gender(word))  # fmt: skip


def is_given_name(word: str) -> bool:
    """A word known as a given name, of either gender."""
    return _guess_gender(word) != "unknown"


def surface_genders(
    surfaces: list[str], narration: list[str], common: frozenset[str]
) -> dict[str, str | None]:
    """The gender each written name shows on its own: its title (Mrs.), its head noun (the old
    gentleman), the pronoun that follows it in sentences naming nobody else, its given name."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    wanted = set(surfaces)
    for sentence, found in _names_by_sentence(narration, common):
        found &= wanted
        if len(found) != 1:
            continue
        (surface,) = found
        after = sentence[sentence.find(surface.split()[-1]) :].lower()
        pronoun = next(
            (w for w in re.findall(r"[a-z]+", after) if w in MALE_WORDS or w in FEMALE_WORDS),
            None,
        )
        if pronoun:
            votes[surface]["male" if pronoun in MALE_WORDS else "female"] += 1
    surnames = {_key(s)[0][-1] for s in surfaces if len(_key(s)[0]) >= 2 or _key(s)[1]}
    genders: dict[str, str | None] = {}
    for surface in surfaces:
        title = _title(surface)
        if gender := gender_of_title(title):
            genders[surface] = gender
            continue
        words = surface.split()
        if words[0].lower() == "the":
            genders[surface] = HEAD_GENDER.get(words[-1].lower())
            continue
        v = votes[surface]
        total = v["male"] + v["female"]
        if total >= 3 and v.most_common(1)[0][1] >= 0.8 * total:
            genders[surface] = v.most_common(1)[0][0]
            continue
        first = words[1] if title else words[0]
        given = len(words) > (1 if title else 0) and (
            len(words) > 1 or first.lower() not in surnames
        )
        genders[surface] = given_name_gender(first) if given else None  # "Darcy" is a surname
    return genders


def _family_titles(cast: Cast, after_miss: set[str]) -> None:
    """ "Miss Bingley" when Caroline is the only Bingley sister the book names is Caroline;
    "Miss Bennet" among five named sisters is any of them, decided where it is read; "Miss
    Dashwood" is not Marianne Dashwood, a younger sister (`_younger_sister`). `after_miss`:
    as `_after_miss` gives it."""
    called_miss = {t for w in after_miss for t in core_tokens(w)[:1]}  # given names too
    for character in list(cast.characters):
        keys = cast._keys[character]
        if not keys or any(title != "miss" or len(core) != 1 for core, title in keys):
            continue
        surname = keys[0][0][0]
        members = [
            c
            for c in cast.characters
            if c is not character
            and c.gender in ("female", None)
            and surname in cast.family(c)
            and any(t is None for _, t in cast._keys[c])
            and not any(t in MARRIED_TITLES for _, t in cast._keys[c])
        ]
        if len(members) == 1 and not _younger_sister(
            members[0], surname, cast, after_miss, called_miss
        ):
            source, target = sorted((character, members[0]), key=lambda c: c.mentions)
            cast.merge(source, target)
        elif len(members) > 1:
            cast.ambiguous[character] = members


AFTER_MISS = re.compile(r"\bMiss ([A-Z][a-z]+)\b")


def _after_miss(texts: list[str]) -> set[str]:
    """The words the book writes after "Miss", lower case: "marianne" of "Miss Marianne",
    "dashwoods" of "the Miss Dashwoods"."""
    return {m.group(1).lower() for t in texts for m in AFTER_MISS.finditer(t)}


def _younger_sister(
    sister: Character, surname: str, cast: Cast, after_miss: set[str], called_miss: set[str]
) -> bool:
    """Custom gives "Miss Dashwood" to the eldest unmarried daughter and tells the younger
    ones by their given names: where the book has several ("the Miss Dashwoods"), one it
    calls "Miss Marianne" is not "Miss Dashwood". `called_miss`: the words after "Miss" as
    `core_tokens` gives them."""
    if not {f"{surname}s", f"{surname}es"} & after_miss:
        return False
    return bool({core[0] for core, t in cast._keys[sister] if t is None} & called_miss)


def _is_given(word: str) -> bool:
    return word in FEMALE_NAMES or word in MALE_NAMES or word in NICKNAMES


def _families(cast: Cast, narration: list[str]) -> None:
    """Each character's family name: from their own names (Mr. Bennet), or from the narration
    naming them in full once (Elizabeth Bennet), so that "her father" can be found."""
    given: dict[str, Character] = {}
    for character in cast.characters:
        for alias in character.aliases:
            words = alias.split()
            if alias.lower().startswith("the ") or not words[-1][:1].isupper():
                continue
            last = words[-1].lower()
            if len(words) >= 2 and not (len(words) == 2 and title_of(alias) and _is_given(last)):
                cast.surnames[character].add(last)  # not "Miss Elizabeth"
            elif len(words) == 1 and title_of(alias) is None:
                given.setdefault(alias, character)
    known = {name for names in cast.surnames.values() for name in names}
    for text in narration:
        for m in re.finditer(r"\b([A-Z][a-z]+) ([A-Z][a-z]+)\b", text):
            first, last = m.group(1), m.group(2).lower()
            if first in given and last in known:
                cast.surnames[given[first]].add(last)


def _name_gender(character: Character) -> str | None:
    """The usual gender of the character's given name, when the text says too little."""
    for alias in sorted(character.aliases):
        if title_of(alias) or alias.lower().startswith("the "):
            continue
        if gender := given_name_gender(alias.split()[0]):
            return gender
    return None


def _merge_clean(counts: Counter[str], common: frozenset[str]) -> Counter[str]:
    merged: Counter[str] = Counter()
    for surface, n in counts.items():
        merged[clean_surface(surface, common)] += n
    return merged


def _genders(cast: Cast, narration: list[str]) -> None:
    """Gender from titles, then from the pronoun that follows a sentence's only named person,
    then from the given name. A pronoun of the main character's gender counts for a third
    when another is named: "the Rabbit came near her, she began" is Alice's "she"."""
    votes: dict[Character, Counter[str]] = defaultdict(Counter)
    for text in narration:
        for sentence in sentences(text):
            found = [(m, cast.resolve(m.group(0))) for m in re.finditer(PERSON, sentence)]
            people = {c: (m, c) for m, c in reversed(found) if c}
            if len(people) != 1:
                continue
            ((m, character),) = people.values()
            words = re.findall(r"[a-zA-Zé]+", sentence[m.end() :].lower())
            pronoun = next((w for w in words if w in MALE_WORDS or w in FEMALE_WORDS), None)
            if pronoun:
                votes[character]["male" if pronoun in MALE_WORDS else "female"] += 1
    titled: set[Character] = set()
    for character in cast.characters:
        if gender := titled_gender(character):
            character.gender = gender  # Mr., Mrs., Lady, King: the title says it
            titled.add(character)
            continue
        character.gender = _voted(votes[character], character)
    leads = {}
    for character in sorted(cast.characters, key=lambda c: -c.mentions):
        if character.gender and character.gender not in leads:
            leads[character.gender] = character
    for character in cast.characters:
        if character in titled or character in leads.values():
            continue
        v = Counter(votes[character])
        for gender in leads:
            v[gender] = v[gender] / 3
        character.gender = _voted(v, character)


def titled_gender(character: Character) -> str | None:
    """The gender the character's titles agree on (Mr., Lady, King), or None."""
    genders = {gender_of_title(_title(a)) for a in character.aliases} - {None}
    return genders.pop() if len(genders) == 1 else None


def _voted(v: Counter, character: Character) -> str | None:
    total = v["male"] + v["female"]
    if total >= 1 and max(v.values()) >= 0.7 * total:
        return v.most_common(1)[0][0]
    # Too few or split votes ("Cecil ... she" in a book that follows Lucy): the given name.
    return _name_gender(character) or character.gender
