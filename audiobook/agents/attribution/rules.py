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
from dataclasses import dataclass, field, replace

from audiobook.agents.casting import LEADING_NOT_NAMES, Cast, discover
from audiobook.agents.names import (
    PERSON,
    PRONOUNS,
    RELATION_GENDER,
    RELATIONAL,
    SPEECH_VERBS,
    sentences,
    title_of,
)
from audiobook.agents.quotes import Quote, QuoteStyle, detect_style, find_quotes
from audiobook.model import Chapter, Character, Segment, Span

# "said the boy", "the old clockmaker replied": a person the book has not named (yet).
DESCRIPTION = (
    r"\bthe\s+(?:(?:old|young|little|tall|small|other|poor|good|dear|elder|younger|older|big|"
    r"stout|fat|thin|pale|grave)\s+){0,2}"
    r"(?!other\b|former\b|latter\b|same\b|first\b|second\b|one\b|rest\b|whole\b|poor\b|"
    r"elder\b|younger\b|older\b|eager\b|bitter\b|proper\b|clever\b)"
    r"(?:man|woman|boy|girl|lady|gentleman|child|stranger|clockmaker|[a-z]+(?:er|or|ist|ian))\b"
)
WHO = rf"(?P<who>{RELATIONAL}\b|{PERSON}|{DESCRIPTION}|\b(?:{PRONOUNS})\b)"
# Words between the speaker and the verb, with no sentence end: "she turned to him and said",
# "Mrs. Bennet, who quarrelled with no compliments, answered".
GAP = r"(?:,?\s+[\w’']+){0,6}?,?"
LONG_GAP = r"(?:,?\s+[\w’']+){0,14}?,?"
VERB = rf"(?:{SPEECH_VERBS})"
ADVERB = r"(?:\s+\w+ly)?"
LEAD = r"^[\s,.;:!?—–\-’”\"]*"
AFTER_VERB_FIRST = re.compile(rf"{LEAD}{VERB}{ADVERB}\s+{WHO}(?![\w’'])")
AFTER_WHO_FIRST = re.compile(rf"{LEAD}{WHO}{GAP}\s+(?P<verb>{VERB})\b")
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
# "And then a voice she had never heard before, ...": someone else speaks within the paragraph.
NEW_VOICE = re.compile(
    r"(?:^|[.!?;:]\s*|\b(?:and|then|when|came)\s+)(?:then\s+)?"
    r"(?:a|another|a\s+second|some\s+other)\s+(?:[a-z]+\s+){0,2}voice\b",
    re.IGNORECASE,
)
HEARD = re.compile(r"\b(?:hear|heard|hearing|overheard)\b[^.!?\"“”]*$")
ANSWER_TAG = re.compile(
    r"\W*(?:was|were)\s+(?P<whose>his|her)\s+(?:\w+\s+)?(?:answer|reply|rejoinder|response)\b"
)
SPOKEN_TO = re.compile(rf"\bto\s+(?P<who>{PERSON})")
VOCATIVE_START = re.compile(rf"^\W*(?P<who>{PERSON})\s*[,!]")
VOCATIVE_END = re.compile(rf",\s*(?:my\s+dear\s+)?(?P<who>{PERSON})\s*[.!?,]*\s*$")
VOCATIVE_MID = re.compile(
    rf"(?:,|[!?;]\s*my\s+dear(?:est)?)\s*(?:my\s+dear(?:est)?\s+)?(?P<who>{PERSON})\s*(?:,|!|\?|--|—)"
)
PERSON_RE = re.compile(PERSON)
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
LONG_NARRATION = 600  # characters of narration that end a conversation
MAX_TURN_GAP = 1  # narration paragraphs that may sit between two turns of one conversation


@dataclass
class _Quote:
    quote: Quote
    before: str
    after: str
    speaker: Character | None = None
    how: str = ""
    tag: str | None = None  # the raw "who" of a speech tag
    addressee: str | None = None  # "said she to Charlotte"
    vocatives: list[Character] = field(default_factory=list)
    evidence: _Evidence | None = None  # for a pronoun tag: what the narration offers
    new_voice: bool = False  # the narration before it brings in another speaker
    heard: bool = False  # overheard: "Alice could only hear whispers; such as, ..."
    confidence: float | None = None  # the speaker model's probability for `speaker`


@dataclass
class _Evidence:
    """What the text around "said she" offers, weighed against the turns of the conversation."""

    gender: str | None
    before: list[Character]  # named earlier in the same paragraph, nearest last
    lead_in: list[Character]  # named by the narration paragraph just before, last named last
    focus: Character | None  # the last sentence subject of that gender
    recent: list[Character]  # named lately, most recent first
    rule: Character | None  # the ordered rules' answer
    protagonist: Character | None = None  # the most named character of the gender
    pronoun_led: bool = False  # the narration before goes on with "she ..." naming nobody
    acting: list[Character] = field(default_factory=list)  # subjects before, nearest last


@dataclass
class _Para:
    chapter: int
    source: str
    span: Span
    quotes: list[_Quote]
    narration: str
    lead: list[Character] = field(default_factory=list)  # the subject its narration ends on
    after_narration: bool = False  # a paragraph of narration comes just before it


def _tag(item: _Quote) -> str | None:
    """The speaker a speech tag names; a name beats a pronoun when a quote has both."""
    found: list[str] = []
    if m := ANSWER_TAG.match(item.after):
        return "he" if m.group("whose").lower() == "his" else "she"  # "was her answer"
    if not AFTER_VERB_FIRST.search(item.after[:100]) and not AFTER_WHO_FIRST.search(
        item.after[:100]
    ):
        for pattern in VOICE_OF:
            if m := pattern.search(item.before[-100:]):
                return " ".join(m.group("who").split())  # "an angry voice--the Rabbit's--"
    for pattern, text in (
        (AFTER_VERB_FIRST, item.after[:100]),
        (AFTER_WHO_FIRST, item.after[:100]),
        (BEFORE_WHO_VERB, item.before[-140:]),
        (LEAD_IN_TAG, item.before[-140:]),
        (BEFORE_VERB_WHO, item.before[-80:]),
    ):
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
            # "Mrs. Bennet, ... together, he addressed the mother": a pronoun just before the
            # verb is its subject, whatever came before it.
            pronoun_next = bool(closer) and bool(
                re.fullmatch(r"(?:he|she|I)", closer[-1].group(0))
                and re.fullmatch(r"(?:\s+\w+){0,2}\s*", between[closer[-1].end() :])
            )
            if closer and (not between.startswith(",") or who.lower() == "it" or pronoun_next):
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


def _split(chapters: list[Chapter], style: QuoteStyle) -> list[_Para]:
    paras: list[_Para] = []
    for number, chapter in enumerate(chapters, start=1):
        for paragraph in chapter.paragraphs:
            text = paragraph.source_text
            quotes = find_quotes(text, style)
            items = []
            for i, q in enumerate(quotes):
                prev_end = quotes[i - 1].end + 1 if i else 0
                next_start = quotes[i + 1].start - 1 if i + 1 < len(quotes) else len(text)
                items.append(_Quote(q, text[prev_end : max(prev_end, q.start - 1)],
                                    text[min(q.end + 1, len(text)) : next_start]))  # fmt: skip
                items[-1].new_voice = i > 0 and bool(NEW_VOICE.search(items[-1].before[-80:]))
                items[-1].heard = bool(HEARD.search(items[-1].before[-120:]))
            narration = _narration_text(text, quotes)
            last = paras[-1] if paras else None
            if items and not items[0].before.strip() and last:
                # "... said to her--" or "Mr. Collins began." then the quote below.
                tail = last.source[last.quotes[-1].quote.end + 1 :] if last.quotes else last.source
                tail = tail.rstrip()
                tags_last = AFTER_VERB_FIRST.match(tail) or AFTER_WHO_FIRST.match(tail)
                if tail[-1:] in ",:;—–-" or (LEAD_IN_SENTENCE.search(tail) and not tags_last):
                    items[0].before = tail[-300:]
            paras.append(_Para(number, text, paragraph.span, items, narration))
            paras[-1].after_narration = last is not None and not last.quotes
    return paras


def _narration_text(text: str, quotes: list[Quote]) -> str:
    pieces, pos = [], 0
    for q in quotes:
        pieces.append(text[pos : max(pos, q.start - 1)])
        pos = q.end + 1
    pieces.append(text[pos:])
    return " ".join(pieces)


@dataclass
class Reading:
    """What the rules make of a book: its paragraphs, each quote with the rules' answer."""

    paras: list[_Para]
    cast: Cast
    style: QuoteStyle


def read(chapters: list[Chapter], style: QuoteStyle | None = None) -> Reading:
    style = style or detect_style(p.source_text for c in chapters for p in c.paragraphs)
    paras = _split(chapters, style)
    tag_names: Counter[str] = Counter()
    vocative_names: Counter[str] = Counter()
    first_person = 0
    for para in paras:
        for item in para.quotes:
            item.tag = _tag(item)
            if item.tag and not re.fullmatch(PRONOUNS, item.tag) and not _relational(item.tag):
                tag_names[item.tag] += 1
            elif item.tag == "I":
                first_person += 1
            inner = para.source[item.quote.start : item.quote.end]
            for pattern in (VOCATIVE_START, VOCATIVE_END, VOCATIVE_MID):
                if m := pattern.search(inner):
                    vocative_names[m.group("who")] += 1
    cast = discover(
        tag_names, vocative_names, [p.narration for p in paras], [p.source for p in paras]
    )
    if first_person >= 3:
        cast.narrator = _first_person_narrator(paras, cast)
    _resolve(paras, cast)
    _turns(paras, cast)
    first = {id(p): sp for p in paras if (sp := _speaker(p)) is not None}
    for para in paras:
        for item in para.quotes:
            item.speaker, item.how = None, ""
    _resolve(paras, cast, first)
    _turns(paras, cast)
    _carry_continuations(paras)
    if cast.narrator is not None and cast.narrator.gender is None:
        cast.narrator.gender = _spoken_to_as(cast.narrator, paras)
    return Reading(paras, cast, style)


def _vocatives(para: _Para, item: _Quote, cast: Cast) -> list[Character]:
    inner = para.source[item.quote.start : item.quote.end]
    found = []
    for pattern in (VOCATIVE_START, VOCATIVE_END, VOCATIVE_MID):
        if (m := pattern.search(inner)) and (c := cast.resolve(m.group("who"))):
            found.append(c)  # a name two patterns find counts twice: "..., Mr. Darcy?"
    return found


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


@dataclass
class _Context:
    """What the reader knows at a quote: who was named lately, who spoke, who was addressed."""

    recent: list[Character] = field(default_factory=list)  # last named last
    turns: list[tuple[Character | None, list[Character]]] = field(default_factory=list)
    last_narration: list[Character] = field(default_factory=list)  # previous paragraph, if no quote
    last_text: str = ""  # the text of that paragraph
    cast: Cast | None = None
    companion: Character | None = None  # the first-person narrator's constant companion
    # The most named character of each gender: whose thoughts "to herself" usually are.
    protagonists: dict[str | None, Character] = field(default_factory=dict)
    # The last person named as a sentence's subject, by gender: whom "she" or "he" follows.
    focus: dict[str | None, Character] = field(default_factory=dict)
    # The subjects of the sentences last followed, as they were read: "her mother" means
    # someone else once "she" has moved on.
    acted: dict[str, list[Character]] = field(default_factory=dict)

    def follow(self, narration: str, cast: Cast) -> list[Character]:
        """The last subject of each gender is who "he" or "she" then means; "her father"
        names someone too, once "her" is known. Returns the subject the narration leaves in
        view: the first of its last sentence that has one."""
        lead: list[Character] = []
        self.acted = {}
        for sentence in sentences(narration):
            acting = self.acted[sentence.strip()] = self.acting(sentence, cast)
            for c in acting:
                if c.gender:
                    self.focus[c.gender] = c
            for c in self.subjects(sentence, cast):
                self.remember(c)
            speaking = [c for c in acting if cast.speaks(c)]
            lead = speaking[:1] or lead
        return lead

    def acting(self, sentence: str, cast: Cast) -> list[Character]:
        """The people a sentence makes the subject of a verb, in order: the one named in its
        opening words, and anyone named right before a verb outside a subordinate clause.
        "and her anxiety for her friend Jane, received ..." does not make Jane a subject;
        "..., and Mr. Collins took his station" makes Mr. Collins one."""
        opening = len(" ".join(sentence.split()[:SUBJECT_WORDS]))
        found: list[Character] = []
        for start, end, c in self.spans(sentence, cast):
            opens = (start < opening and not found) or CLAUSE_OPENS.search(sentence[:start])
            after = sentence[end:]
            if relative := RELATIVE_CLAUSE.match(after):
                after = after[relative.end() :]  # "the former, who had been cautious, told"
            acts = ACTS.match(after) or PASSIVE_AGENT.search(sentence[:start])
            if opens or (acts and not SUBORDINATE.search(sentence[:start])):
                found.append(c)
        return found

    def spans(self, text: str, cast: Cast) -> list[tuple[int, int, Character]]:
        """(start, end, character) of the names and "her father"s that can be subjects."""
        found = [(m.start(), m.end(), c) for m, c in _named_matches(text, cast, objects=False)]
        for m in KIN_NOMINAL.finditer(text):
            if OBJECT_OF.search(text[: m.start()]):
                continue
            if (c := self.kin(m.group("whose"), m.group("kin"), cast)) is not None:
                found.append((m.start(), m.end(), c))
        for m in FORMER_LATTER.finditer(text):
            # "When Jane and Elizabeth were alone, the former ...": the first of the last two.
            named: list[Character] = []
            for _, c in _named(text[: m.start()], cast, objects=True):
                if c in named:
                    named.remove(c)
                named.append(c)
            pair = named[-2:] if len(named) >= 2 else self.recent[-2:]
            if len(pair) == 2:
                c = pair[0] if m.group(1).lower() == "former" else pair[1]
                found.append((m.start(), m.end(), c))
        return sorted(found, key=lambda t: t[0])

    def subjects(self, text: str, cast: Cast, *, objects: bool = False) -> list[Character]:
        """The names `_named` finds, with "her father", "their mother" resolved through the
        family of the person "her" or "their" most likely is; in order of appearance."""
        found = _named(text, cast, objects=objects)
        for m in KIN_NOMINAL.finditer(text):
            if OBJECT_OF.search(text[: m.start()]) and not objects:
                continue
            if (c := self.kin(m.group("whose"), m.group("kin"), cast)) is not None:
                found.append((m.start(), c))
        return [c for _, c in sorted(found, key=lambda pair: pair[0])]

    def kin(self, whose: str, kin: str, cast: Cast) -> Character | None:
        genders = {"his": ["male"], "her": ["female"]}.get(whose.lower(), ["female", "male"])
        for gender in genders:
            person = self.focus.get(gender)
            if person is None or not cast.family(person):
                continue
            relatives = _relative(person, kin.lower(), cast)
            if len(relatives) == 1:
                return relatives[0]
        return None

    def remember(self, c: Character) -> None:
        if c in self.recent:
            self.recent.remove(c)
        self.recent.append(c)

    def participants(self) -> list[Character]:
        found: list[Character] = []
        for speaker, _ in reversed(self.turns[-6:]):
            if speaker is not None and speaker not in found:
                found.append(speaker)
        return found


def _resolve(paras: list[_Para], cast: Cast, prior: dict[int, Character] | None = None) -> None:
    """One pass over the book. `prior` holds the speakers a first pass found for each
    paragraph, so that pronouns can be resolved against people known to be talking."""
    prior = prior or {}
    ctx = _Context(cast=cast)
    cast.salience = ctx.recent
    for character in sorted(cast.characters, key=lambda c: -c.mentions):
        if character.gender and character.gender not in ctx.protagonists:
            ctx.protagonists[character.gender] = character
        if ctx.companion is None and cast.narrator and character is not cast.narrator:
            ctx.companion = character if cast.speaks(character) else None
    previous: _Para | None = None
    for para in paras:
        for item in para.quotes:
            item.vocatives = _vocatives(para, item, cast)
        continues = _continues(previous, para)
        if continues is not None and para.quotes[0].tag is None:
            para.quotes[0].speaker, para.quotes[0].how = continues, "continued"
        for item in para.quotes:
            if item.tag is None:
                continue
            before = ctx.subjects(item.before, cast, objects=True)
            for c in before:
                ctx.remember(c)
            if item.tag == "I" and cast.narrator:
                item.speaker, item.how = cast.narrator, "anaphoric"
            elif re.fullmatch(r"my (?:\w+ )?(?:companion|friend)", item.tag) and ctx.companion:
                # A first-person narrator's "my companion" is the one they are always with.
                item.speaker, item.how = ctx.companion, "anaphoric"
            elif (same := _same_paragraph_speaker(para, item)) is not None:
                item.speaker, item.how = same, "anaphoric"  # a paragraph is one turn
            elif re.fullmatch(PRONOUNS, item.tag) or _relational(item.tag):
                avoid = list(item.vocatives)
                if item.addressee and (c := cast.resolve(item.addressee)):
                    avoid.append(c)
                item.speaker = _pronoun(item.tag, ctx, before, avoid, item, cast)
                item.how = "anaphoric"
                if item.tag.lower() in PRONOUN_GENDER and not _to_oneself(item):
                    item.evidence = _evidence(item.tag, ctx, item, before, item.speaker)
            else:
                item.speaker = cast.resolve(item.tag)
                item.how = "explicit"
        for turn in _turns_within(para):
            if speaker := next((q.speaker for q in turn if q.speaker), None):
                for item in turn:
                    if item.speaker is None:
                        item.speaker, item.how = speaker, "paragraph"
        tagged = next((q.speaker for q in para.quotes if q.speaker), None)
        named = ctx.subjects(para.narration, cast, objects=True)
        for c in named:
            ctx.remember(c)
        para.lead = ctx.follow(para.narration, cast)
        previous = para
        if not para.quotes:
            ctx.last_narration = named
            ctx.last_text = para.narration
            if len(para.narration) > LONG_NARRATION:
                ctx.turns.append((None, []))  # a long passage of narration ends a conversation
            continue
        ctx.last_narration, ctx.last_text = [], ""
        if continues is None:
            known = tagged or prior.get(id(para))
            ctx.turns.append((known, [c for q in para.quotes for c in q.vocatives]))
        if tagged:
            ctx.remember(tagged)


# "it" is a creature the book gives no gender: the Caterpillar, the Mouse.
PRONOUN_GENDER = {"he": "male", "il": "male", "she": "female", "elle": "female", "it": None}


def _evidence(word: str, ctx: _Context, item: _Quote, before: list[Character], rule) -> _Evidence:
    gender = PRONOUN_GENDER[word.lower()]
    narration = item.before if item.before.strip() else ctx.last_text
    cast = ctx.cast

    def fits(c: Character) -> bool:
        return gender is None or c.gender in (gender, None)

    return _Evidence(
        gender,
        [c for c in before if fits(c)],
        [c for c in ctx.last_narration if fits(c)],
        ctx.focus.get(gender),
        [c for c in reversed(ctx.recent) if fits(c)][:6],
        rule,
        ctx.protagonists.get(gender),
        _pronoun_led(narration, word.lower(), ctx),
        [c for sentence in sentences(item.before) for c in ctx.acting(sentence, cast) if fits(c)],
    )


def _pronoun_led(narration: str, pronoun: str, ctx: _Context) -> bool:
    """The last sentences before the tag have the pronoun for subject and name nobody as
    theirs: the story follows someone it no longer names, most often the main character.
    "... her mother followed her." names someone."""
    recent = [s.strip() for s in sentences(narration)][-3:]
    led = [s for s in recent if re.match(rf"(?:\w+,?\s+){{0,3}}?{pronoun}\b", s, re.I)]
    if not led or ctx.cast is None:
        return False
    return not any(
        ctx.acted[sentence] if sentence in ctx.acted else ctx.acting(sentence, ctx.cast)
        for sentence in recent[-2:]
    )


# Words near a tag that make a quote a thought, loosely ("she answered herself") for whose it
# is, and strictly ("thought Alice", "to herself", not "seating himself") for leaving it out
# of the conversation around it.
SELF_TALK = re.compile(r"\b(?:thought|(?:her|him)self)\b")
THOUGHT = re.compile(
    r"^\W*(?:\w+\s+)?thought\b|\b(?:to|within)\s+(?:her|him|my|them)sel(?:f|ves)\b"
)


def _thought(item: _Quote) -> bool:
    """ "thought Alice", "she said to herself": not a turn in a conversation."""
    return bool(THOUGHT.search(item.after[:40]) or THOUGHT.search(item.before[-40:]))


def _to_oneself(item: _Quote) -> bool:
    """ "she said to herself", "she answered herself", "saying to herself": thoughts, which
    are the followed character's."""
    return bool(SELF_TALK.search(item.after[:60]) or SELF_TALK.search(item.before[-40:]))


def _same_paragraph_speaker(para: _Para, item: _Quote) -> Character | None:
    """ "Not at all," said Alice: "she's so--" ... so she went on: the same speaker.
    "Another time, Lizzy," said her mother, "I would not ...": one tag for both quotes."""
    for earlier, later in zip(para.quotes, para.quotes[1:], strict=False):
        if later is item and earlier.tag == item.tag and earlier.after == item.before:
            return earlier.speaker
    gender = PRONOUN_GENDER.get((item.tag or "").lower())
    if gender is None:
        return None
    for earlier in para.quotes:
        if earlier is item:
            return None
        if earlier.speaker is not None and earlier.speaker.gender == gender:
            return earlier.speaker
    return None


def _relational(tag: str) -> str | None:
    """The gender a "his wife" / "her father" tag names, or None when it is not one."""
    m = re.fullmatch(RELATIONAL, tag)
    return RELATION_GENDER.get(tag.split()[-1].lower()) if m else None


BORN_TO = {"father", "mother", "brother", "sister"}
NUCLEAR_FAMILY = {"wife", "husband", "father", "mother", "brother", "sister", "son", "daughter"}
FAMILY_TITLES = {"wife": "mrs", "mother": "mrs", "aunt": "mrs", "lady": "mrs", "husband": "mr",
                 "father": "mr", "uncle": "mr"}  # fmt: skip


def _carry_continuations(paras: list[_Para]) -> None:
    """A speech that runs over several paragraphs is one speaker's, however its first
    paragraph was decided."""
    previous: _Para | None = None
    for para in paras:
        if _opens_continuation(previous, para) and para.quotes[0].how in ("", "continued"):
            speaker = previous.quotes[-1].speaker
            first = para.quotes[0]
            first.speaker, first.how = speaker, "continued" if speaker else ""
            for item in para.quotes[1:]:
                if item.tag is None and item.how in ("", "paragraph", "turn", "context"):
                    item.speaker, item.how = speaker, "paragraph"
        previous = para


def _opens_continuation(previous: _Para | None, para: _Para) -> bool:
    if previous is None or not previous.quotes or not para.quotes:
        return False
    if not previous.quotes[-1].quote.open_at_end:
        return False
    return not para.source[: para.quotes[0].quote.start].strip(' “"‘«—')


def _continues(previous: _Para | None, para: _Para) -> Character | None:
    """A quote left open at a paragraph's end goes on in the next one, which opens a quote."""
    return previous.quotes[-1].speaker if _opens_continuation(previous, para) else None


def _pronoun(
    word: str,
    ctx: _Context,
    before: list[Character],
    avoid,
    item: _Quote | None = None,
    cast: Cast | None = None,
) -> Character | None:
    """Resolve "she" / "he" / "his wife" at a speech tag, most telling evidence first;
    people whose gender is unknown are considered only when nobody of the gender fits."""
    relation = _relational(word)
    gender = relation or PRONOUN_GENDER.get(word.lower())
    for loose in (False, True):
        found = _pronoun_rules(word, relation, gender, ctx, before, avoid, item, loose, cast)
        if found is not None:
            return found
    return None


def _relative(person: Character, relation: str, cast: Cast) -> list[Character]:
    """The people of `person`'s family a word like "father" or "wife" can name, by surname,
    gender and, for a wife or husband, the married title."""
    gender = RELATION_GENDER.get(relation)
    titles = {"wife": {"mrs", "lady"}, "mother": {"mrs", "lady"}, "husband": {"mr", "sir"},
              "father": {"mr", "sir"}}.get(relation)  # fmt: skip
    families = cast.family(person)
    if relation in BORN_TO and all(title_of(a) in ("mrs", "lady") for a in person.aliases):
        return []  # Mrs. Hurst's brother is no Hurst: a married name is her husband's family
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


def _pronoun_rules(
    word, relation, gender, ctx, before, avoid, item, loose, cast=None
) -> Character | None:
    def fits(c: Character | None) -> bool:
        if c is None or c in avoid:
            return False
        return c.gender == gender or (loose and c.gender is None)

    focus = ctx.focus.get(gender)
    if item is not None and _to_oneself(item) and cast is not None:
        # "she said to herself": the subject the paragraph names, else the character the
        # story follows, whose thoughts they most often are.
        for c in _subjects(item.before, cast):
            if fits(c):
                return c
        if fits(ctx.protagonists.get(gender)):
            return ctx.protagonists[gender]
    if item is not None and not before and fits(focus):
        # Narration before the tag that goes on with "she" and names nobody: the pronoun is
        # the character the story follows.
        subject = r"\bshe\b" if gender == "female" else r"\bhe\b"
        if len(item.before.strip()) > 20 and re.search(subject, item.before):
            return focus

    last_speaker = ctx.turns[-1][0] if ctx.turns else None
    wanted = FAMILY_TITLES.get(word.split()[-1].lower()) if relation else None
    kin = word.split()[-1].lower()
    if relation and cast is not None and kin in NUCLEAR_FAMILY:
        # "his wife" when he is Mr. Bennet: Mrs. Bennet; "her father" when she is Elizabeth
        # Bennet: Mr. Bennet. The possessor is the person at hand of the possessive's gender.
        possessive = word.split()[0].lower()
        possessor_gender = {"his": "male", "her": "female"}.get(possessive)
        # "Another time, Lizzy," said her mother: whose mother the line itself says.
        spoken_to = list(item.vocatives) if item is not None else []
        # After narration, "her" is most likely whom the narration was about; straight after
        # another line, its speaker.
        followed = ctx.focus.get(possessor_gender) if possessor_gender else None
        narrated = bool(ctx.last_text.strip() or (item is not None and item.before.strip()))
        people = (
            spoken_to
            + ([followed, last_speaker] if narrated else [last_speaker, followed])
            + [c for q in ctx.turns[-1:] for c in q[1]]
            + ctx.recent[::-1]
        )
        at_hand = ctx.participants() + ctx.recent[::-1]
        for person in people:
            if person is None or (possessor_gender and person.gender != possessor_gender):
                continue
            relatives = [c for c in _relative(person, kin, cast) if fits(c)]
            if relatives:
                ranked = sorted(relatives, key=lambda c: at_hand.index(c) if c in at_hand else 99)
                return ranked[0]
            if possessor_gender:
                break
    if wanted:
        # "his wife", "her father": the titled relative among the people at hand.
        for c in reversed(ctx.participants() + ctx.recent[-8:]):
            if fits(c) and c is not last_speaker and any(title_of(a) == wanted for a in c.aliases):
                return c
    # 1. The narration of this paragraph names them before the tag (the subject comes first).
    for c in before:
        if fits(c):
            return c
    # 2. The narration paragraph just before introduced them ("Mr. Hurst looked up.").
    for c in ctx.last_narration:
        if fits(c):
            return c
    # 3. The one the last speaker addressed answers.
    if ctx.turns:
        for c in ctx.turns[-1][1]:
            if fits(c) and c is not last_speaker:
                return c
    # 4. The people in the conversation: not the one who just spoke.
    pool = [c for c in ctx.participants() if fits(c)]
    others = [c for c in pool if c is not last_speaker]
    if others:
        return others[0]
    # 5. Whoever of that gender the book named last.
    for c in reversed(ctx.recent):
        if fits(c) and c is not last_speaker:
            return c
    return pool[0] if pool else None


def _turns(paras: list[_Para], cast: Cast) -> None:
    """Fill untagged turns: the one character the narration names, then alternation."""
    for para in paras:
        if para.quotes and all(q.speaker is None for q in para.quotes):
            named = {id(c): c for c in _mentions(para.narration, cast) if cast.speaks(c)}
            if len(named) == 1:
                (speaker,) = named.values()
                for q in para.quotes:
                    q.speaker, q.how = speaker, "context"
    ranked = sorted((c for c in cast.characters if cast.speaks(c)), key=lambda c: -c.mentions)
    lead_ins: dict[int, list[Character]] = {}
    for before, para in zip(paras, paras[1:], strict=False):
        if para.quotes and not before.quotes:
            lead_ins[id(para)] = before.lead
    for run in _conversations(paras):
        _alternate(run, cast, [lead_ins.get(id(p), []) for p in run])
        _fill_with_protagonist(run, ranked[:2])


def _fill_with_protagonist(run: list[_Para], protagonists: list[Character]) -> None:
    """One side of a two-way exchange is known and the other never named: the book's main
    character is the likeliest other side."""
    known = {id(s): s for p in run if (s := _speaker(p)) is not None}
    if len(known) != 1 or not any(_speaker(p) is None for p in run):
        return
    (person,) = known.values()
    other = next((c for c in protagonists if c is not person), None)
    if other is None:
        return
    for i, para in enumerate(run):
        if _speaker(para) is None:
            neighbours = [_speaker(run[j]) for j in (i - 1, i + 1) if 0 <= j < len(run)]
            if person in neighbours:
                for q in para.quotes:
                    q.speaker, q.how = other, "turn"
    _alternate(run)


def _conversations(paras: list[_Para]) -> list[list[_Para]]:
    """Runs of dialogue paragraphs, broken by narration of more than a short line."""
    runs: list[list[_Para]] = []
    current: list[_Para] = []
    gap = 0
    for para in paras:
        long_told = len(para.narration) > LONG_NARRATION
        if current and (para.chapter != current[-1].chapter or long_told):
            runs.append(current)  # a new chapter, or a scene told at length, starts afresh
            current = []
        if para.quotes and all(_thought(q) for q in para.quotes):
            continue  # "thought Alice": no turn in the conversation around her
        if para.quotes:
            if not _opens_continuation(current[-1] if current else None, para):
                turns = _turns_within(para)
                current.append(replace(para, quotes=turns[0]) if len(turns) > 1 else para)
                current += [replace(para, quotes=t, after_narration=False) for t in turns[1:]]
            gap = 0
            continue
        gap += 1
        if gap > MAX_TURN_GAP or len(para.narration) > 300:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _turns_within(para: _Para) -> list[list[_Quote]]:
    """A paragraph's quotes, split where the narration brings in another voice, and after
    what someone overheard ("such as, '...' '...' and at last she ... 'What a number!'")."""
    turns: list[list[_Quote]] = []
    for item in para.quotes:
        overheard = bool(turns) and turns[-1][0].heard and not item.heard
        if not turns or item.new_voice or (overheard and item.before.strip()):
            turns.append([])
        turns[-1].append(item)
    return turns


def _speaker(para: _Para) -> Character | None:
    return next((q.speaker for q in para.quotes if q.speaker), None)


# How much each clue says about a turn's speaker. Adjacent turns are different people and nobody
# addresses themselves; the rest are weighed against each other.
ADDRESSED_BEFORE = 4.5  # the previous turn named them: "A fine child, Mrs. Smith!"
SPOKE_TWO_BEFORE = 2.0  # A, B, A: two people take turns
SPOKE_TWO_AFTER = 1.5
ADDRESSED_AFTER = 1.0  # the next turn names them: they have just spoken
INTRODUCED = 1.0  # the narration just before the turn names them
IN_CONVERSATION = 0.75
MIN_SCORE = 1.0  # below this an untagged turn stays unknown
# For "said she": the narration's evidence, gathered while reading (_Evidence).
NAMED_JUST_BEFORE = 4.0  # "... provoking Elizabeth to do it, she turned to him and said"
NAMED_BEFORE = 1.0
NAMED_IN_LEAD_IN = 0.5
SUBJECT = 1.5
RULES_ANSWER = 0.5
SAME_AS_NEIGHBOUR = 1.0  # "she added": a penalty, not a rule, with narration between
NEVER_TAGGED = 1.0  # no speech tag in the whole book names them: Dinah the cat is talked to
PROTAGONIST = 2.0  # "she" going on after sentences about "she": the main character
ADDRESSED_AS = 1.0  # "sir" or "madam" in the previous line: the gender spoken to
NAMED_IN_OWN_LINE = 3.0  # people seldom name themselves
GENDER_UNSURE = 3.0  # "he" for a character of unknown gender, "it" for one with a gender
RECENT = 1.5  # divided by the rank of the mention, most recent first


@dataclass
class _Talk:
    """What a turn's own words say about who speaks and who is spoken to."""

    named: list[Character]  # people the line names, not as a vocative
    kin: set[str]  # "Mama", "Papa": the speaker's relatives addressed
    polite: str | None  # "sir" -> male, "madam" -> female: the gender addressed


KIN_VOCATIVES = {"mama": "mother", "mamma": "mother", "mother": "mother", "papa": "father",
                 "father": "father", "husband": "husband", "wife": "wife"}  # fmt: skip
POLITE = {"sir": "male", "madam": "female", "ma'am": "female", "ma’am": "female"}


def _talk(para: _Para, cast: Cast | None) -> _Talk:
    named: list[Character] = []
    kin: set[str] = set()
    polite = None
    for item in para.quotes:
        inner = para.source[item.quote.start : item.quote.end]
        if cast is not None:
            named += [c for c in _mentions(inner, cast) if c not in item.vocatives]
        for word in re.findall(r"[A-Za-z’']+", inner):
            lower = word.lower()
            if lower in KIN_VOCATIVES and word[0].isupper():
                kin.add(KIN_VOCATIVES[lower])
            polite = polite or POLITE.get(lower)
    return _Talk(named, kin, polite)


def _soft_evidence(para: _Para) -> _Evidence | None:
    """The evidence of a turn tagged only by a pronoun: such turns are decided together with
    the untagged ones, since "said she" between two women is a question of turns."""
    if any(q.how in ("explicit", "continued") or q.tag == "I" for q in para.quotes):
        return None
    return next((q.evidence for q in para.quotes if q.evidence is not None), None)


def _alternate(run: list[_Para], cast: Cast | None = None, lead_ins=None) -> None:
    """Decide the unknown turns of a conversation, the most certain first, from who spoke
    around them, who was addressed and, for "said she", whom the narration names."""
    evidence = [_soft_evidence(p) for p in run]
    known = [None if ev is not None else _speaker(p) for p, ev in zip(run, evidence, strict=True)]
    addressed = [[c for q in p.quotes for c in _addressed(q, cast)] for p in run]
    introduced = lead_ins or [[] for _ in run]
    talk = [_talk(p, cast) for p in run]
    while True:
        best: tuple[float, int, Character] | None = None
        people = {id(k): k for k in known if k is not None}
        for i in range(len(run)):
            if known[i] is None:
                found = _score_turn(
                    i, run, known, addressed, introduced, people, evidence[i], cast, talk
                )
                if found is not None and (best is None or found[0] > best[0]):
                    best = (found[0], i, found[1])
        if best is None:
            return
        _, i, guess = best
        known[i] = guess
        for q in run[i].quotes:
            if q.speaker is None or evidence[i] is not None:
                q.speaker, q.how = guess, q.how if evidence[i] is not None else "turn"


def _addressed(item: _Quote, cast: Cast | None) -> list[Character]:
    """Who a quote is spoken to: its vocatives, and "said she to Charlotte"."""
    found = list(item.vocatives)
    if item.addressee and cast is not None and (c := cast.resolve(item.addressee)):
        found.append(c)
    return found


def _score_turn(
    i, run, known, addressed, introduced, people, ev: _Evidence | None, cast=None, talk=None
):
    """(margin over the runner-up, speaker) for turn i, or None when nothing says enough."""
    scores: dict[int, float] = {}
    candidates: dict[int, Character] = dict(people)

    def add(c: Character | None, weight: float) -> None:
        if c is not None:
            candidates[id(c)] = c
            scores[id(c)] = scores.get(id(c), 0.0) + weight

    # A call is answered by the next line, not across narration: "... Dear, dear Lizzy."
    # Elizabeth went away; her mother followed her. "My dearest child," she cried.
    answers = i >= 1 and not run[i].after_narration
    if answers:
        for c in addressed[i - 1]:
            if c is not known[i - 1]:
                add(c, ADDRESSED_BEFORE)
    if i >= 2 and known[i - 2] is not known[i - 1]:
        add(known[i - 2], SPOKE_TWO_BEFORE)
    if i + 2 < len(run) and known[i + 2] is not known[i + 1]:
        add(known[i + 2], SPOKE_TWO_AFTER)
    if i + 1 < len(run):
        for c in addressed[i + 1]:
            if c is not known[i + 1]:
                add(c, ADDRESSED_AFTER)
    for c in introduced[i]:
        add(c, INTRODUCED)
    if talk is not None and cast is not None:
        if answers and known[i - 1] is not None:
            # "Indeed, Mama," from Elizabeth: her mother answers; "Are you sure, Ma'am?": a woman.
            for kin in talk[i - 1].kin:
                for c in _relative(known[i - 1], kin, cast):
                    add(c, ADDRESSED_BEFORE)
        if answers and talk[i - 1].polite:
            for c in list(candidates.values()):
                if c.gender:
                    add(c, ADDRESSED_AS if c.gender == talk[i - 1].polite else -ADDRESSED_AS)
        for c in talk[i].named:
            add(c, -NAMED_IN_OWN_LINE)  # "do not put it into Lizzy's head": not Lizzy
    for c in people.values():
        add(c, IN_CONVERSATION)
    if ev is not None:
        if ev.acting:
            add(ev.acting[-1], NAMED_JUST_BEFORE - NAMED_BEFORE)
        for c in ev.before:
            add(c, NAMED_BEFORE)
        for c in ev.lead_in[:1] + ev.lead_in[-1:]:
            add(c, NAMED_IN_LEAD_IN)
        add(ev.focus, SUBJECT)
        if ev.pronoun_led:
            add(ev.protagonist, PROTAGONIST)
        add(ev.rule, RULES_ANSWER)
        for rank, c in enumerate(ev.recent):
            add(c, RECENT / (rank + 1))
    if cast is not None:
        for c in list(candidates.values()):
            if id(c) not in cast.tagged and c is not cast.narrator:
                add(c, -NEVER_TAGGED)
    ruled_out = {id(c) for c in addressed[i]}
    for j in (i - 1, i + 1):
        if 0 <= j < len(run) and known[j] is not None:
            if ev is None:
                ruled_out.add(id(known[j]))
            else:  # "she added": one person may speak twice with narration between
                add(known[j], -SAME_AS_NEIGHBOUR)
    allowed = [key for key in scores if key not in ruled_out]
    if ev is not None:
        # "he" is a man or someone whose gender the book never settled (the Dormouse);
        # "it" is most often a creature without one, but may be the Gryphon.
        fitting = []
        for key in allowed:
            gender = candidates[key].gender
            if gender != ev.gender:
                if ev.gender is not None and gender is not None:
                    continue
                # a "she" who is a woman is plainly not "it"; a creature may be "he" or "it"
                scores[key] -= GENDER_UNSURE * (2 if ev.gender is None else 1)
            fitting.append(key)
        allowed = fitting
    # Ties go to whom "she" follows, then to the one named last, then to the more mentioned
    # character: never to an object's address in memory.
    recent = [id(c) for c in ev.recent] if ev is not None else []
    focus = id(ev.focus) if ev is not None and ev.focus is not None else None

    def order(key: int) -> tuple:
        c = candidates[key]
        named = len(recent) - recent.index(key) if key in recent else 0
        return (scores[key], key == focus, named, c.mentions, c.name, key)

    ranked = sorted((order(key) for key in allowed), reverse=True)
    if not ranked or (ev is None and ranked[0][0] < MIN_SCORE):
        return None
    margin = ranked[0][0] - (ranked[1][0] if len(ranked) > 1 else 0.0)
    return margin, candidates[ranked[0][-1]]


def segments(paras: list[_Para]) -> list[Segment]:
    segments: list[Segment] = []
    for number, para in enumerate(paras):
        first = len(segments)
        pos = 0
        base = para.span.start
        source = para.span.source
        for item in para.quotes:
            q = item.quote
            _narration(segments, para, pos, q.start, base, source)
            text = " ".join(para.source[q.start : q.end].split())
            segments.append(
                Segment(para.chapter, "quote", text, Span(source, base + q.start, base + q.end),
                        item.speaker.name if item.speaker else None, how=item.how,
                        confidence=item.confidence)
            )  # fmt: skip
            pos = q.end
        _narration(segments, para, pos, len(para.source), base, source)
        for segment in segments[first:]:
            segment.paragraph = number
    return segments


def _narration(segments, para: _Para, start: int, end: int, base: int, source: str) -> None:
    piece = para.source[start:end]
    stripped = piece.strip().strip('“”"‘’«»').strip()
    if not any(ch.isalnum() for ch in stripped):
        return
    offset = start + piece.find(stripped[0])
    segments.append(
        Segment(para.chapter, "narration", " ".join(stripped.split()),
                Span(source, base + offset, base + offset + len(stripped)))
    )  # fmt: skip
