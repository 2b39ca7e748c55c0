"""The patterns the rules read prose with: speech tags, vocatives, subjects of verbs."""

from __future__ import annotations

import re

from audiobook.agents.names import (
    PERSON,
    PRONOUNS,
    RELATIONAL,
    SPEECH_VERBS,
)

# "said the boy", "the old clockmaker replied": a person the book has not named (yet).
DESCRIPTION = (
    r"\bthe\s+(?:(?:old|young|little|tall|small|other|poor|good|dear|elder|younger|older|big|"
    r"stout|fat|thin|pale|grave)\s+){0,2}"
    r"(?!other\b|former\b|latter\b|same\b|first\b|second\b|one\b|rest\b|whole\b|poor\b|"
    r"elder\b|younger\b|older\b|eager\b|bitter\b|proper\b|clever\b)"
    # a person noun or a compound of one ("the landlady", "the coachman", "the housemaid"),
    # or one who does something ("the croupier", "the clockmaker", "the novelist")
    r"(?:(?:[a-z]+-?)?(?:man|woman|boy|girl|lady|maid|wife|child)|gentleman|stranger|"
    r"[a-z]+(?:er|or|ist|ian))\b"
)
EPITHET = r"(?:(?:old|young|little|poor|dear|dour|good|big|fat|tall|stout|honest)\s+)?"
WHO = rf"(?P<who>{RELATIONAL}\b|{EPITHET}{PERSON}|{DESCRIPTION}|\b(?:{PRONOUNS})\b)"
# A whole phrase that is a speaker the tags read: "the old man", "her father", "she".
WHO_ALONE = re.compile(WHO)
# Words between the speaker and the verb, with no sentence end: "she turned to him and said",
# "Mrs. Bennet, who quarrelled with no compliments, answered".
GAP = r"(?:,?\s+[\w’']+){0,6}?,?"
LONG_GAP = r"(?:,?\s+[\w’']+){0,14}?,?"
VERB = rf"(?:{SPEECH_VERBS})"
ADVERB = r"(?:\s+\w+ly)?"
LEAD = r"^[\s,.;:!?—–\-’”\"]*"
# Right after a quote, a verb before its subject is one of saying, listed or not: "nodded
# Evie", "interpreted Helen", "apologised Margaret" (English inverts no other verbs there).
# French inverts the pronoun with a hyphen: "dit-il", "demanda-t-elle".
INVERTED_PRONOUN = r"-(?:t-)?(?=(?:il|elle)\b)"
AFTER_VERB_FIRST = re.compile(
    rf"{LEAD}(?:{VERB}|(?!indeed\b)[a-z]+ed){ADVERB}(?:\s+|{INVERTED_PRONOUN}){WHO}(?![\w’'])"
)
# "Mrs. Bennet, who ..., answered", "as Mrs. Lesley said".
AFTER_WHO_FIRST = re.compile(rf"{LEAD}(?:as\s+)?{WHO}{GAP}\s+(?P<verb>{VERB})\b")
BEFORE_WHO_VERB = re.compile(rf"{WHO}{LONG_GAP}\s+(?P<verb>{VERB})\b[^.!?“\"‘]{{0,60}}[,:—–-]*\s*$")
WHO_ONLY = re.compile(rf"{RELATIONAL}\b|{PERSON}|\b(?:he|she|I)\b")
ADDRESSEE = re.compile(rf"^\s*(?:\w+ly\s+)?to\s+(?P<who>{PERSON})")
# "Mrs. Hurst began again." closing the paragraph before a quote.
LEAD_IN_TAG = re.compile(rf"{WHO}{LONG_GAP}\s+(?P<verb>{VERB})(?:\s+again|\s+thus|\s+\w+ly)?\.\s*$")
BEFORE_VERB_WHO = re.compile(rf"\b{VERB}\s+{WHO}\s*[,:]?\s*$")
# Whose voice the narration says a quote is in: "an angry voice--the Rabbit's--", "came the
# voice of the Queen:", "the Duchess's voice".
VOICE_OF = (
    re.compile(rf"\bvoice\s*(?:--|—|,)\s*(?P<who>{PERSON})['’]s\s*(?:--|—|,)?\s*$"),
    re.compile(rf"\bvoice\s+of\s+(?P<who>{PERSON})\s*[,:—–-]*\s*$"),
    re.compile(rf"(?P<who>{PERSON})['’]s\s+(?:\w+\s+){{0,2}}voice\s*[,:—–-]*\s*$"),
)
# "said the voice of Mr. Haq", "called the shattered voice of Aziz": after the quote.
VOICE_OF_AFTER = re.compile(
    rf"{LEAD}{VERB}{ADVERB}\s+(?:the|a|his|her)\s+(?:[\w-]+\s+)?voice\s+of\s+(?P<who>{PERSON})"
)
# "And then a voice she had never heard before, ...": someone else speaks within the paragraph.
NEW_VOICE = re.compile(
    r"(?:^|[.!?;:]\s*|\b(?:and|then|when|came)\s+)(?:then\s+)?"
    r"(?:a|another|a\s+second|some\s+other)\s+(?:[a-z]+\s+){0,2}voice\b",
    re.IGNORECASE,
)
HEARD = re.compile(r"\b(?:hear|heard|hearing|overheard)\b[^.!?\"“”]*$")
# "was her answer", "was Kit's first question", "was the croupier's polite reply".
# Right after a quote, the words that make it someone's: '"...," was her answer'.
COPULA = r"\W*(?:was|were|came)\b"
COPULA_AFTER = re.compile(COPULA)
ANSWER_TAG = re.compile(
    rf"{COPULA}\s+(?P<whose>his|her|(?P<who>{PERSON}|{DESCRIPTION})['’]s)\s+"
    r"(?:\w+\s+){0,2}(?:answer|reply|rejoinder|response|remark|question|comment|retort|"
    r"greeting|exclamation|observation|farewell|verdict|advice|cry|words)\b"
)
SPOKEN_TO = re.compile(rf"\bto\s+(?P<who>{PERSON})")
VOCATIVE_START = re.compile(rf"^\W*(?P<who>{PERSON})\s*[,!]")
VOCATIVE_END = re.compile(rf",\s*(?:my\s+dear\s+)?(?P<who>{PERSON})\s*[.!?,]*\s*$")
VOCATIVE_MID = re.compile(
    rf"(?:,|[!?;]\s*my\s+dear(?:est)?)\s*(?:my\s+dear(?:est)?\s+)?(?P<who>{PERSON})\s*(?:,|!|\?|--|—)"
)
# A quote that tells of another conversation: "'Oh, my dear Spyers,' said Chickweed, ...". Its
# names in the vocative's place address the people of the story, not those who hear it. The
# closing mark follows the reported words' stop, which a contraction's apostrophe never does.
REPORTED_TAG = re.compile(rf"[,!?.\-—][’']\s+(?:[\w’']+\s+){{0,2}}?{VERB}\b")
PERSON_RE = re.compile(PERSON)


def vocative_names(inner: str) -> list[str]:
    """The names a quote's words call someone by, as written ("Lizzy, come here"), one per
    pattern that finds one ("..., Mr. Darcy?" counts twice); none in a quote that tells of
    another conversation (`REPORTED_TAG`)."""
    if REPORTED_TAG.search(inner):
        return []
    patterns = (VOCATIVE_START, VOCATIVE_END, VOCATIVE_MID)
    return [m.group("who") for p in patterns if (m := p.search(inner))]


KIN_NOMINAL = re.compile(
    r"\b(?P<whose>[Hh]is|[Hh]er|[Tt]heir)\s+(?:[a-z]+\s+)?"
    r"(?P<kin>father|mother|husband|wife|brother|sister)\b"
)
OBJECT_OF = re.compile(r"\b(?:with|to|at|for|from|of|on|upon|near|towards|after|like)\s+$")
LEAD_IN_SENTENCE = re.compile(rf"\b{VERB}(?:\s+again|\s+thus|\s+\w+ly)?\.$")
SUBJECT_WORDS = 6  # how far into a sentence its subject may be named
# A word that makes the name before it a verb's subject: "Jane had", "Mr. Collins took".
ACTS = re.compile(
    r"\s+(?:\w+ly\s+)?(?:was|were|had|has|is|could|would|should|might|must|will|shall|did|"
    r"does|can|may|took|saw|made|came|went|said|thought|felt|began|gave|knew|found|left|sat|"
    r"stood|told|heard|ran|got|spoke|met|kept|brought|rose|held|fell|led|meant|sent|[a-z]+ed)\b"
)
# ": and Elizabeth, rejoicing ..., soon went away": a name opening a coordinate clause.
CLAUSE_OPENS = re.compile(r"(?:[:;]|--|—|,)\s*(?:and|but|then)\s+(?:\w+\s+)?$")
# "was scarcely heard by Darcy": the one who acts, though the sentence is passive.
PASSIVE_AGENT = re.compile(r"\b\w+(?:ed|en|rd|wn)\s+by\s+$")
RELATIVE_CLAUSE = re.compile(r",\s*(?:who|whom|whose|which)\b[^,;:.!?]*,")
FORMER_LATTER = re.compile(r"\b[Tt]he\s+(former|latter)\b")
# "when Kitty left them, she went on": the subject of a clause inside the sentence is not
# whom the sentence is about.
SUBORDINATE = re.compile(
    r"\b(?:when|while|whilst|as|because|till|until|though|although|if|since|that|whether|"
    r"than|where|who|whom|which|before|after|lest|unless)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
