"""The rules' reading of a book: quotes found, speech tags parsed, and a first speaker for each
quote, which the speaker model then weighs against the other candidates.

Rules, in the order they are trusted:
1. explicit: a speech verb beside a name ("said Alice", "Mr. Darcy replied").
2. anaphoric: a speech verb beside a pronoun ("returned she", "I answered"), weighed with the
   turns around it: whom the narration last made the subject of a verb, who was spoken to,
   who spoke two turns before.
3. a paragraph is one speaker's turn (untagged quotes share the tagged quote's speaker),
   unless its narration brings in another voice ("And then a voice she had never heard").
4. context: the one character the paragraph's narration names.
5. turn-taking: in a run of dialogue paragraphs within a chapter, two people alternate; a
   vocative names the person spoken to, who is then not the speaker and answers next, unless
   narration comes between; a thought is no turn.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from audiobook.agents.attribution.aliases import AliasModel, merge_aliases
from audiobook.agents.attribution.mentions import _first_person_narrator, _spoken_to_as
from audiobook.agents.attribution.paragraphs import _carry_continuations, _Para, _speaker, _split
from audiobook.agents.attribution.parse import Facts, facts_for
from audiobook.agents.attribution.patterns import (
    COPULA_AFTER,
    WHO_ALONE,
    vocative_names,
)
from audiobook.agents.attribution.reading import _resolve
from audiobook.agents.attribution.tags import _relational, _tag
from audiobook.agents.attribution.turns import _turns
from audiobook.agents.casting import Cast, discover
from audiobook.agents.names import NOT_NAMES, PRONOUNS, TITLES, is_description
from audiobook.agents.quotes import QuoteStyle, detect_style
from audiobook.model import Chapter


@dataclass
class Reading:
    """What the rules make of a book: its paragraphs, each quote with the rules' answer."""

    paras: list[_Para]
    cast: Cast
    style: QuoteStyle


def read(
    chapters: list[Chapter],
    style: QuoteStyle | None = None,
    aliases: AliasModel | None = None,
    first: Reading | None = None,
    cache: Path | None = None,
) -> Reading:
    """`aliases`: the model that decides which names are one person (default: shipped);
    `first`: the book's `first_reading`, when it is made already (it is read on from there,
    and changed); `cache`: a folder that keeps the parse between runs (the job folder)."""
    reading = first or first_reading(chapters, style, cache)
    paras, cast = reading.paras, reading.cast
    if merge_aliases(paras, cast, aliases):
        _forget(paras)
        _resolve(paras, cast)
    _turns(paras, cast)
    first = {id(p): sp for p in paras if (sp := _speaker(p)) is not None}
    _forget(paras)
    _resolve(paras, cast, first)
    _turns(paras, cast)
    _carry_continuations(paras)
    if cast.narrator is not None and cast.narrator.gender is None:
        cast.narrator.gender = _spoken_to_as(cast.narrator, paras)
    return reading


def _forget(paras: list[_Para]) -> None:
    for para in paras:
        for item in para.quotes:
            item.speaker, item.how = None, ""


def first_reading(
    chapters: list[Chapter], style: QuoteStyle | None = None, cache: Path | None = None
) -> Reading:
    """Quotes, tags, the cast as the names show it, and the tags' speakers: what the names
    that are one person (`aliases`) are found from."""
    style = style or detect_style(p.source_text for c in chapters for p in c.paragraphs)
    paras = _split(chapters, style)
    facts = facts_for(paras, cache)
    tag_names: Counter[str] = Counter()
    called: Counter[str] = Counter()
    first_person = 0
    for para in paras:
        for item in para.quotes:
            item.facts = facts[id(item)]
            item.tag = _tag(item)
            # '"...," was Mrs. Weston's parting injunction': no noun list knows every way of
            # speaking; the parser's owner of the words is the tag. Other tags the patterns
            # miss are left to the features (measured: the parser's subject for every
            # untagged quote gained half as much on the 18 novels and moved the rest).
            if (item.tag is None and COPULA_AFTER.match(item.after)) or (
                item.tag is not None and _no_name(item.tag)
            ):
                item.tag = _parsed_tag(item.facts)
    recurring = _recurring_descriptions(paras)
    for para in paras:
        for item in para.quotes:
            item.tag = _described(item.tag, item.facts, recurring)
            if item.tag and not re.fullmatch(PRONOUNS, item.tag) and not _relational(item.tag):
                tag_names[item.tag] += 1
            elif item.tag == "I":
                first_person += 1
            called.update(vocative_names(para.source[item.quote.start : item.quote.end]))
    cast = discover(
        tag_names,
        called,
        [p.narration for p in paras],
        [p.source for p in paras],
        titles=[c.title for c in chapters if c.title],
    )
    if first_person >= 3:
        cast.narrator = _first_person_narrator(paras, cast)
    _resolve(paras, cast)
    return Reading(paras, cast, style)


def _no_name(tag: str) -> bool:
    """A capitalised word the tag patterns took for a name: "The" of "The subaltern called",
    "Then" of "Then the old man said", "Her" of "Her father fondly replied". A title alone
    ("said Madame") is a name."""
    if re.fullmatch(PRONOUNS, tag):
        return False
    words = [w.rstrip(".").lower() for w in tag.split()]
    return all(w in NOT_NAMES and w not in TITLES for w in words)


def _parsed_tag(facts: Facts) -> str | None:
    """The parser's subject of the speech verb, where it is a speaker the tag patterns
    would have read ("the old man", "her father", "she"), else no tag."""
    if not facts.speech_verb or facts.tag_subject is None:
        return None
    first, _, rest = facts.tag_subject.partition(" ")
    if first != "I" and first.lower() in NOT_NAMES:
        first = first.lower()  # "The girl", "Her father", "She" as the tags write them
    subject = f"{first} {rest}".strip()
    return subject if WHO_ALONE.fullmatch(subject) else None


def _recurring_descriptions(paras: list[_Para]) -> set[str]:
    """The parser's longer descriptions that more than one tag of the book carries: a person
    told apart by what follows ("the gentleman in the white waistcoat"), not a manner the
    small parser hung on the noun ("the old gentleman in conclusion", once)."""
    counts = Counter(
        described
        for para in paras
        for item in para.quotes
        if (described := _extends(item.tag, item.facts)) is not None
    )
    return {described for described, n in counts.items() if n >= 2}


def _extends(tag: str | None, facts: Facts) -> str | None:
    described = facts.described
    if tag is None or described is None or not is_description(tag):
        return None
    return described if described.lower().startswith(tag.lower() + " ") else None


def _described(tag: str | None, facts: Facts, recurring: set[str]) -> str | None:
    """The regular expressions' tag, or the parser's description when it is the same one told
    apart by what follows it, and more than one tag says so (`_recurring_descriptions`). A
    description the expressions did not find stays no tag: descriptions the parser finds
    alone ("the beadle", "the matron") mostly stand for someone named, and as entries of
    their own they split a character in two (measured: cast figure 0.676 -> 0.647 over the
    18 PDNC novels, mean accuracy 0.804 -> 0.800)."""
    described = _extends(tag, facts)
    return described if described in recurring else tag
