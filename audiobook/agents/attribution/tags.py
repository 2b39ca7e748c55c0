"""Speech tags: whom "said Alice", "she replied", "said her mother" name, and the tags that make
a quote a thought."""

from __future__ import annotations

import re

from audiobook.agents.attribution.paragraphs import _Quote
from audiobook.agents.attribution.patterns import (
    ADDRESSEE,
    AFTER_VERB_FIRST,
    AFTER_WHO_FIRST,
    ANSWER_TAG,
    BEFORE_VERB_WHO,
    BEFORE_WHO_VERB,
    LEAD_IN_TAG,
    OBJECT_OF,
    SPOKEN_TO,
    SUBORDINATE,
    VOICE_OF,
    VOICE_OF_AFTER,
    WHO_ONLY,
)
from audiobook.agents.names import (
    OWNER_PRONOUNS,
    PRONOUNS,
    RELATION_GENDER,
    RELATIONAL,
)


def _tag(item: _Quote) -> str | None:
    """The speaker a speech tag names; a name beats a pronoun when a quote has both."""
    found: list[str] = []
    if m := ANSWER_TAG.match(item.after):
        if m.group("who"):
            return " ".join(m.group("who").split())  # "was Kit's first question"
        return OWNER_PRONOUNS[m.group("whose").lower()]  # "was her answer"
    if m := VOICE_OF_AFTER.match(item.after[:100]):
        return " ".join(m.group("who").split())
    if not AFTER_VERB_FIRST.search(item.after[:100]) and not AFTER_WHO_FIRST.search(
        item.after[:100]
    ):
        for pattern in VOICE_OF:
            if m := pattern.search(item.before[-100:]):
                return " ".join(m.group("who").split())  # "an angry voice--the Rabbit's--"
    after_first = (AFTER_WHO_FIRST, item.after[:100])
    befores = [
        (BEFORE_WHO_VERB, item.before[-140:]),
        (LEAD_IN_TAG, item.before[-140:]),
        (BEFORE_VERB_WHO, item.before[-80:]),
    ]
    # "Margaret laughed and said, '... the debate itself.' Helen laughed too.": after words
    # that end a sentence, a name and a verb begin the next one; the tag before comes first.
    ordered = [*befores, after_first] if item.full_stop else [after_first, *befores]
    for pattern, text in [(AFTER_VERB_FIRST, item.after[:100]), *ordered]:
        m = pattern.search(text)
        if not m:
            continue
        if pattern is BEFORE_WHO_VERB:
            # "feeling curious to know what he would say ..., she observed,": the tag is the
            # last speech verb before the quote.
            while (later := pattern.search(text, m.end("verb"))) and not SUBORDINATE.search(
                text[: later.start("who")]
            ):
                m = later
        who = m.group("who")
        if pattern is AFTER_VERB_FIRST and (to := ADDRESSEE.match(text[m.end() :])):
            item.addressee = item.addressee or to.group("who")
        elif pattern is not AFTER_VERB_FIRST and (to := SPOKEN_TO.search(text[m.end("who") :])):
            item.addressee = item.addressee or to.group("who")  # "turning to Elizabeth, said"
        if pattern is not AFTER_VERB_FIRST and pattern is not BEFORE_VERB_WHO:
            # "Alice heard the Rabbit say": the subject is the last one before the verb.
            # But "Mr. Darcy, drawing near Elizabeth, said": a clause set off by commas
            # after the name leaves the name the subject.
            between = text[m.end("who") : m.start("verb")]
            finished_clause = between.rstrip().endswith(",")
            closer = [
                w
                for w in WHO_ONLY.finditer(between)
                # "hand in hand with Dinah", "when Mary had finished her song, said aloud"
                if not OBJECT_OF.search(between[: w.start()])
                and not (SUBORDINATE.search(between[: w.start()]) and finished_clause)
            ]
            # The nearest one is at most two words before the verb ...
            next_to_verb = bool(closer) and bool(
                re.fullmatch(r"(?:\s+\w+){0,2}\s*", between[closer[-1].end() :])
            )
            # ... and a pronoun: "Mrs. Bennet, ... together, he addressed the mother": a
            # pronoun just before the verb is its subject, whatever came before it.
            pronoun_next = next_to_verb and bool(re.fullmatch(r"(?:he|she|I)", closer[-1].group(0)))
            # ... or after a conjunction: "murmured Margaret, while Helen said": it opens a
            # clause of its own, whose subject is the name right before the verb.
            joined = next_to_verb and bool(
                re.search(r"\b(?:while|whilst|and|but)\s+$", between[: closer[-1].start()])
            )
            if closer and (
                not between.startswith(",") or who.lower() == "it" or pronoun_next or joined
            ):
                who = closer[-1].group(0)
            if re.search(r"\b(?:hear|heard|hearing)\s+it\s*$", between):
                who = "it"  # "Alice heard it say": the Rabbit speaks, not Alice
            elif who.lower() == "it" and len(between.split()) > 1:
                continue  # "to think it inevitable, and even to say": "it" is no speaker
            relative = re.match(r",?\s*who\b", between)  # "with the Lory, who ... would say"
            if who == m.group("who") and OBJECT_OF.search(text[: m.start("who")]) and not relative:
                # "and, turning to Elizabeth, said": the speaker is the subject before.
                sentence = re.split(r"[.!?;]", text[: m.start("who")])[-1]
                subjects = [
                    w.group(0)
                    for w in WHO_ONLY.finditer(sentence)
                    if not OBJECT_OF.search(sentence[: w.start()])
                ]
                if not subjects:
                    continue
                who = subjects[-1]
        who = " ".join(who.split())
        if who.lower() in PRONOUN_GENDER:
            who = who.lower()  # "She answered": a pronoun, whatever its case
        found.append(who)
        if not re.fullmatch(PRONOUNS, found[-1]) and not _relational(found[-1]):
            return found[-1]
    return found[0] if found else None


# "it" is a creature the book gives no gender: the Caterpillar, the Mouse.
PRONOUN_GENDER = {"he": "male", "il": "male", "she": "female", "elle": "female", "it": None}


# Words near a tag that make a quote a thought, loosely ("she answered herself") for whose it
# is, and strictly ("thought Alice", "to herself", not "seating himself") for leaving it out
# of the conversation around it.
SELF_TALK = re.compile(r"\b(?:thought|(?:her|him)self)\b")
THOUGHT = re.compile(
    r"^\W*(?:\w+\s+)?thought\b|\b(?:to|within)\s+(?:her|him|my|them)sel(?:f|ves)\b"
    r"|^\W*(?:se\s+(?:dit|demanda)|pensa|pense|songea)\b"  # "se dit-il", "pensa Pierre"
)


def _thought(item: _Quote) -> bool:
    """ "thought Alice", "she said to herself": not a turn in a conversation."""
    return bool(THOUGHT.search(item.after[:40]) or THOUGHT.search(item.before[-40:]))


def _to_oneself(item: _Quote) -> bool:
    """ "she said to herself", "she answered herself", "saying to herself": thoughts, which
    are the followed character's."""
    return bool(SELF_TALK.search(item.after[:60]) or SELF_TALK.search(item.before[-40:]))


def _relational(tag: str) -> str | None:
    """The gender a "his wife" / "her father" tag names, or None when it is not one."""
    m = re.fullmatch(RELATIONAL, tag)
    return RELATION_GENDER.get(tag.split()[-1].lower()) if m else None


def shares_tag(earlier: _Quote, later: _Quote) -> bool:
    """One speech tag between two quotes tags both: "Another time, Lizzy," said her mother,
    "I would not ..."."""
    return later.tag is not None and earlier.tag == later.tag and earlier.after == later.before
