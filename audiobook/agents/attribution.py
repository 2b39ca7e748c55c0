"""The dialogue attributor: paragraphs -> narration and quotation segments, each with a speaker.

Rules, in the order they are trusted:
1. explicit: a speech verb beside a name ("said Alice", "Mr. Darcy replied").
2. anaphoric: a speech verb beside a pronoun ("returned she", "I answered"), resolved by gender
   to the people in the conversation, then to the people the narration last named.
3. a paragraph is one speaker's turn: untagged quotes share the tagged quote's speaker.
4. context: the one character the paragraph's narration names.
5. turn-taking: in a run of dialogue paragraphs, two people alternate; a vocative names the
   person spoken to, who is then not the speaker.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from audiobook.agents.casting import Cast, discover
from audiobook.agents.names import (
    PERSON,
    PRONOUNS,
    RELATION_GENDER,
    RELATIONAL,
    SPEECH_VERBS,
    title_of,
)
from audiobook.agents.quotes import Quote, QuoteStyle, detect_style, find_quotes
from audiobook.model import Chapter, Character, Segment, Span

# "said the boy", "the old clockmaker replied": a person the book has not named (yet).
DESCRIPTION = (
    r"\bthe\s+(?:(?:old|young|little|tall|small|other)\s+)?"
    r"(?!other\b|former\b|latter\b|same\b|first\b|second\b|one\b|rest\b|whole\b)"
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
BEFORE_VERB_WHO = re.compile(rf"\b{VERB}\s+{WHO}\s*[,:]?\s*$")
VOCATIVE_START = re.compile(rf"^\W*(?P<who>{PERSON})\s*[,!]")
VOCATIVE_END = re.compile(rf",\s*(?:my\s+dear\s+)?(?P<who>{PERSON})\s*[.!?,]*\s*$")
VOCATIVE_MID = re.compile(rf",\s*(?:my\s+dear\s+)?(?P<who>{PERSON})\s*,")
PERSON_RE = re.compile(PERSON)
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


@dataclass
class _Para:
    chapter: int
    source: str
    span: Span
    quotes: list[_Quote]
    narration: str


@dataclass
class Attribution:
    cast: Cast
    segments: list[Segment]
    style: QuoteStyle


def _tag(item: _Quote) -> str | None:
    """The speaker a speech tag names; a name beats a pronoun when a quote has both."""
    found: list[str] = []
    for pattern, text in (
        (AFTER_VERB_FIRST, item.after[:100]),
        (AFTER_WHO_FIRST, item.after[:100]),
        (BEFORE_WHO_VERB, item.before[-140:]),
        (BEFORE_VERB_WHO, item.before[-80:]),
    ):
        m = pattern.search(text)
        if not m:
            continue
        who = m.group("who")
        if pattern is AFTER_VERB_FIRST and (to := ADDRESSEE.match(text[m.end() :])):
            item.addressee = item.addressee or to.group("who")
        if pattern is not AFTER_VERB_FIRST and pattern is not BEFORE_VERB_WHO:
            # "Alice heard the Rabbit say": the subject is the last one before the verb.
            # But "Mr. Darcy, drawing near Elizabeth, said": a clause set off by commas
            # after the name leaves the name the subject.
            between = text[m.end("who") : m.start("verb")]
            closer = [w.group(0) for w in WHO_ONLY.finditer(between)]
            if closer and not between.startswith(","):
                who = closer[-1]
        found.append(" ".join(who.split()))
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
            narration = _narration_text(text, quotes)
            last = paras[-1] if paras else None
            if items and not items[0].before.strip() and last and not last.quotes:
                lead_in = last.source.rstrip()
                if lead_in[-1:] in ",:;—–-":  # "... said to her--" then the quote below
                    items[0].before = lead_in[-300:]
            paras.append(_Para(number, text, paragraph.span, items, narration))
    return paras


def _narration_text(text: str, quotes: list[Quote]) -> str:
    pieces, pos = [], 0
    for q in quotes:
        pieces.append(text[pos : max(pos, q.start - 1)])
        pos = q.end + 1
    pieces.append(text[pos:])
    return " ".join(pieces)


def attribute(chapters: list[Chapter], style: QuoteStyle | None = None) -> Attribution:
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
            for pattern in (VOCATIVE_START, VOCATIVE_END):
                if m := pattern.search(inner):
                    vocative_names[m.group("who")] += 1
    cast = discover(tag_names, vocative_names, [p.narration for p in paras])
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
    segments = _segments(paras)
    counts = Counter(s.speaker for s in segments if s.kind == "quote" and s.speaker)
    for character in cast.characters:
        character.quotes = counts.get(character.name, 0)
    return Attribution(cast, segments, style)


def _vocatives(para: _Para, item: _Quote, cast: Cast) -> list[Character]:
    inner = para.source[item.quote.start : item.quote.end]
    found = []
    for pattern in (VOCATIVE_START, VOCATIVE_END, VOCATIVE_MID):
        if (m := pattern.search(inner)) and (c := cast.resolve(m.group("who"))):
            found.append(c)
    return found


def _first_person_narrator(paras: list[_Para], cast: Cast) -> Character:
    """The 'I' of the book: the name others most often call the narrator by."""
    votes: Counter[int] = Counter()
    by_id = {id(c): c for c in cast.characters}
    for i, para in enumerate(paras):
        if not any(q.tag == "I" for q in para.quotes):
            continue
        for other in paras[max(0, i - 2) : i + 3]:
            if other is para:
                continue
            for item in other.quotes:
                if item.tag and item.tag != "I":
                    for c in _vocatives(other, item, cast):
                        votes[id(c)] += 1
    if votes:
        return by_id[votes.most_common(1)[0][0]]
    narrator = Character("Narrator", {"Narrator"})
    cast.characters.append(narrator)
    return narrator


def _mentions(text: str, cast: Cast) -> list[Character]:
    found = []
    for m in PERSON_RE.finditer(text):
        c = cast.resolve(m.group(0))
        if c is not None:
            found.append(c)
    return found


@dataclass
class _Context:
    """What the reader knows at a quote: who was named lately, who spoke, who was addressed."""

    recent: list[Character] = field(default_factory=list)  # last named last
    turns: list[tuple[Character | None, list[Character]]] = field(default_factory=list)
    last_narration: list[Character] = field(default_factory=list)  # previous paragraph, if no quote
    companion: Character | None = None  # the first-person narrator's constant companion
    # The most named character of each gender: whose thoughts "to herself" usually are.
    protagonists: dict[str | None, Character] = field(default_factory=dict)
    # The last person named as a sentence's subject, by gender: whom "she" or "he" follows.
    focus: dict[str | None, Character] = field(default_factory=dict)

    def follow(self, narration: str, cast: Cast) -> None:
        """The first person named in each sentence is who "he" or "she" then means."""
        for sentence in re.findall(r"[^.!?;]+", narration):
            named = _mentions(sentence, cast)
            if named and named[0].gender:
                self.focus[named[0].gender] = named[0]

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
    ctx = _Context()
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
            before = _mentions(item.before, cast)
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
            else:
                item.speaker = cast.resolve(item.tag)
                item.how = "explicit"
        tagged = next((q.speaker for q in para.quotes if q.speaker), None)
        if tagged:
            for item in para.quotes:
                if item.speaker is None:
                    item.speaker, item.how = tagged, "paragraph"
        named = _mentions(para.narration, cast)
        for c in named:
            ctx.remember(c)
        ctx.follow(para.narration, cast)
        previous = para
        if not para.quotes:
            ctx.last_narration = named
            if len(para.narration) > 600:
                ctx.turns.append((None, []))  # a long passage of narration ends a conversation
            continue
        ctx.last_narration = []
        if continues is None:
            known = tagged or prior.get(id(para))
            ctx.turns.append((known, [c for q in para.quotes for c in q.vocatives]))
        if tagged:
            ctx.remember(tagged)


PRONOUN_GENDER = {"he": "male", "il": "male", "she": "female", "elle": "female"}


def _same_paragraph_speaker(para: _Para, item: _Quote) -> Character | None:
    """ "Not at all," said Alice: "she's so--" ... so she went on: the same speaker."""
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


FAMILY_TITLES = {"wife": "mrs", "mother": "mrs", "aunt": "mrs", "lady": "mrs", "husband": "mr",
                 "father": "mr", "uncle": "mr"}  # fmt: skip


def _continues(previous: _Para | None, para: _Para) -> Character | None:
    """A quote left open at a paragraph's end goes on in the next one, which opens a quote."""
    if previous is None or not previous.quotes or not para.quotes:
        return None
    last = previous.quotes[-1]
    if not last.quote.open_at_end or para.source[: para.quotes[0].quote.start].strip(' “"‘«—'):
        return None
    return last.speaker


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
    gender = relation or {"he": "male", "il": "male", "she": "female", "elle": "female"}.get(
        word.lower()
    )
    for loose in (False, True):
        found = _pronoun_rules(word, relation, gender, ctx, before, avoid, item, loose, cast)
        if found is not None:
            return found
    return None


def _relative(person: Character, title: str, cast: Cast) -> Character | None:
    """The character titled `title` ("mrs", "mr") who shares `person`'s surname."""
    surnames = {a.split()[-1].lower() for a in person.aliases if len(a.split()) > 1}
    for character in cast.characters:
        for alias in character.aliases:
            words = alias.split()
            if len(words) == 2 and title_of(alias) == title and words[-1].lower() in surnames:
                return character
    return None


def _pronoun_rules(
    word, relation, gender, ctx, before, avoid, item, loose, cast=None
) -> Character | None:
    def fits(c: Character | None) -> bool:
        if c is None or c in avoid:
            return False
        return c.gender == gender or (loose and c.gender is None)

    focus = ctx.focus.get(gender)
    if item is not None and not before and fits(focus):
        # "she said to herself", or narration before the tag that goes on with "she" and
        # names nobody: the pronoun is the character the story follows.
        thinking = re.search(r"\b(?:to|for) (?:herself|himself)\b", item.after[:60])
        if thinking and ctx.protagonists.get(gender) is not None:
            return ctx.protagonists[gender]  # thoughts are the followed character's
        subject = r"\bshe\b" if gender == "female" else r"\bhe\b"
        if thinking or (len(item.before.strip()) > 20 and re.search(subject, item.before)):
            return focus

    last_speaker = ctx.turns[-1][0] if ctx.turns else None
    wanted = FAMILY_TITLES.get(word.split()[-1].lower()) if relation else None
    if wanted and cast is not None:
        # "his wife" when he is Mr. Bennet: Mrs. Bennet, by title and surname.
        possessor_gender = "male" if word.split()[0].lower() == "his" else "female"
        people = [last_speaker] + [c for q in ctx.turns[-1:] for c in q[1]] + ctx.recent[::-1]
        for person in people:
            if person is None or person.gender != possessor_gender:
                continue
            relative = _relative(person, wanted, cast)
            if relative is not None and fits(relative):
                return relative
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
    for run in _conversations(paras):
        _alternate(run)
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
        if para.quotes:
            if _continues(current[-1] if current else None, para) is None:
                current.append(para)
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


def _speaker(para: _Para) -> Character | None:
    return next((q.speaker for q in para.quotes if q.speaker), None)


def _alternate(run: list[_Para]) -> None:
    """Two people take turns: fill unknown turns from the turn two before or two after."""
    known = [_speaker(p) for p in run]
    addressed = [{id(c) for q in p.quotes for c in q.vocatives} for p in run]
    changed = True
    while changed:
        changed = False
        for i, para in enumerate(run):
            if known[i] is not None:
                continue
            guess = None
            pair = {id(k): k for k in known if k is not None}
            if len(pair) == 2 and addressed[i] & set(pair):
                # Two people talking, and this line names one of them: the other speaks it.
                others = [k for key, k in pair.items() if key not in addressed[i]]
                guess = others[0] if len(others) == 1 else None
            for a, b in ((i - 2, i - 1), (i + 2, i + 1)):
                if guess is not None:
                    break
                if 0 <= a < len(run) and 0 <= b < len(run):
                    ka, kb = known[a], known[b]
                    if ka is not None and ka is not kb and id(ka) not in addressed[i]:
                        guess = ka
                        break
            if guess is None:
                for n in (i - 1, i + 1):
                    if 0 <= n < len(run) and known[n] is not None:
                        # The person the neighbouring turn addressed, or who addressed them.
                        others = [c for q in run[n].quotes for c in q.vocatives]
                        others = [c for c in others if c is not known[n]]
                        if others:
                            guess = others[0]
                            break
            if guess is not None:
                known[i] = guess
                for q in para.quotes:
                    if q.speaker is None:
                        q.speaker, q.how = guess, "turn"
                changed = True


def _segments(paras: list[_Para]) -> list[Segment]:
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
                        item.speaker.name if item.speaker else None, how=item.how)
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
