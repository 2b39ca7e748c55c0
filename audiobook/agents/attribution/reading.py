"""Reading in order, as a reader does: who was named lately, whom "she" follows, who spoke and
who was spoken to; and the tagged quotes' speakers from that."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from audiobook.agents.attribution.mentions import (
    FAMILY_TITLES,
    NUCLEAR_FAMILY,
    _named,
    _named_matches,
    _relative,
    _subjects,
    _vocatives,
)
from audiobook.agents.attribution.paragraphs import (
    LONG_NARRATION,
    _continues,
    _Evidence,
    _Para,
    _Quote,
    _turns_within,
)
from audiobook.agents.attribution.patterns import (
    ACTS,
    CLAUSE_OPENS,
    FORMER_LATTER,
    KIN_NOMINAL,
    OBJECT_OF,
    PASSIVE_AGENT,
    RELATIVE_CLAUSE,
    SUBJECT_WORDS,
    SUBORDINATE,
)
from audiobook.agents.attribution.tags import PRONOUN_GENDER, _relational, _to_oneself, shares_tag
from audiobook.agents.casting import Cast
from audiobook.agents.names import (
    PRONOUNS,
    sentences,
    title_of,
)
from audiobook.model import Character


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
                item.speaker = cast.resolve_tag(item.tag, avoid=item.vocatives)
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


def _same_paragraph_speaker(para: _Para, item: _Quote) -> Character | None:
    """ "Not at all," said Alice: "she's so--" ... so she went on: the same speaker.
    "Another time, Lizzy," said her mother, "I would not ...": one tag for both quotes."""
    for earlier, later in zip(para.quotes, para.quotes[1:], strict=False):
        if later is item and shares_tag(earlier, item):
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


def _pronoun_rules(
    word, relation, gender, ctx, before, avoid, item, loose, cast=None
) -> Character | None:
    def fits(c: Character | None) -> bool:
        if c is None or c in avoid or (cast is not None and not cast.may_speak(c)):
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
