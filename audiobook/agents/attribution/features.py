"""What the text says for and against each candidate speaker of each quote, as numbers.

The rules (tags, pronouns, turns) give every quote a first answer; this module lists, for each
quote, the people who could be speaking it (named or speaking nearby, the rules' answer, the
first-person narrator) and describes each with the same features, so that a fitted model can
weigh them (`model.py`). Nothing here is tuned: a feature only says what is in the text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from audiobook.agents.attribution.mentions import _mentions
from audiobook.agents.attribution.paragraphs import LONG_NARRATION, _Para, _Quote, _turns_within
from audiobook.agents.attribution.parse import Facts
from audiobook.agents.attribution.tags import PRONOUN_GENDER, _relational, _thought
from audiobook.agents.attribution.turns import POLITE
from audiobook.agents.casting import HEAD_GENDER, Cast, description_head
from audiobook.agents.names import is_description, sentences
from audiobook.model import Character

# Each feature's name, in column order. The shipped weights name their columns, so a model
# whose names differ from these is refused rather than misread.
FEATURES = (
    "bias_rule_answer",  # the rules' answer, whatever rule gave it
    "rule_explicit",  # ... from a named speech tag ("said Archer")
    "rule_anaphoric",  # ... from a pronoun or relative tag ("said she", "said her mother")
    "rule_paragraph",  # ... from another quote of its paragraph, or a speech running on
    "rule_turn",  # ... from turn-taking or the one person the paragraph names
    "tag_names",  # the quote's speech tag names this candidate
    "pronoun_fits",  # "said she" and the candidate is a woman
    "pronoun_clashes",  # "said she" and the candidate is a man
    "prev_turn",  # spoke the previous turn (the rules' answer)
    "prev_turn_tagged",  # ... and that turn was tagged
    "prev2_turn",  # spoke two turns before: A, B, A
    "prev2_turn_tagged",
    "next_turn",
    "next_turn_tagged",
    "next2_turn",
    "next2_turn_tagged",
    "prev_turn_after_narration",  # spoke the previous turn, with narration between
    "addressed_before",  # the previous turn calls them by name
    "addressed_after",  # the next turn calls them by name
    "addressed_here",  # this quote calls them by name: nobody calls themselves
    "named_here",  # this quote names them otherwise
    "named_before_in_paragraph",  # the narration before the quote, same paragraph
    "named_after_in_paragraph",
    "paragraph_subject",  # the subject the paragraph's narration leaves in view
    "named_in_lead_in",  # the narration paragraph just before names them
    "lead_in_subject",  # ... as its subject
    "recency",  # 1 / rank among the people named lately
    "mentions",  # how much the book names them, relative to its most named
    "chapter_share",  # their share of the rules' answers in this chapter
    "narrator_i",  # the first-person narrator, and the tag is "I"
    "narrator",  # the first-person narrator
    "same_paragraph_speaker",  # speaks another quote of this paragraph
    "never_tagged",  # no speech tag in the book names them
    "polite_fits",  # "sir" / "madam" in the previous turn and their gender
    "polite_clashes",
    "untagged_prev2",  # spoke two turns before, and this quote has no tag at all
    "untagged_addressed_before",
    "thought_protagonist",  # a thought, and the most named character of the pronoun's gender
    "gender_unknown",
    "new_voice_same_paragraph",  # "And then a voice she had never heard": not who spoke before
    "tag_is_description",  # the tag names them by a description: "said the old man"
    "parse_tag_subject",  # the parser: subject of the verb of saying the quote hangs on
    "parse_action_subject",  # ... of another verb it hangs on ("Jane smiled: '...'")
    "parse_pronoun_fits",  # ... is "she" and the candidate a woman
    "parse_pronoun_clashes",
    "parse_last_subject",  # the last subject the narration before the quote names
    "description_fits",  # the tag is "said the girl" and the candidate a named woman
    "description_clashes",
    "tag_is_plain_description",  # ... by a plain one ("the girl", not "the croupier")
    "tag_names_gender_unknown",  # the tag names them and the text never gives their gender
    # The tag is a description ("said the old gentleman") and this named candidate is named
    # in the narration just before the description's uses in this chapter (it is another name
    # for them: "Mr. Brownlow ... the old gentleman") ...
    "description_near",
    "description_beside",  # ... or in the same sentence as it (two people)
    # How much this chapter's narration names them, relative to its most named, where no tag
    # names the speaker: who a "he said" or an untagged line most likely belongs to.
    "chapter_mentions",
)
INDEX = {name: i for i, name in enumerate(FEATURES)}
NEARBY_BEFORE = 6  # paragraphs before a quote whose people are candidates
NEARBY_AFTER = 2
MENTIONS_BEFORE = 3  # paragraphs before whose named people are candidates
NO_TURNS: list = [None, None, None, None]  # a thought is no turn of a conversation


@dataclass
class Table:
    """Candidates and their features for every quote, in reading order."""

    items: list[_Quote] = field(default_factory=list)
    paras: list[_Para] = field(default_factory=list)  # the paragraph of each item
    candidates: list[list[Character]] = field(default_factory=list)
    # Per quote: the quotes (indices into `items`) of the turns two before, one before, one
    # after and two after in its conversation, None where there is none.
    around: list[list[int | None]] = field(default_factory=list)
    features: list[np.ndarray] = field(default_factory=list)  # one (candidates, FEATURES)


@dataclass
class _Turn:
    quotes: list[_Quote]
    speaker: Character | None
    tagged: bool
    addressed: list[Character]
    words: str  # what is said in the turn


def _turns(paras: list[_Para]) -> dict[int, list[_Turn | None]]:
    """For each quote (by id): the turns at -2, -1, +1, +2 within its conversation (None past
    a chapter's end or a long stretch of narration). A paragraph is one turn, unless its
    narration brings in another voice ("And then a voice she had never heard")."""
    turns: list[_Turn] = []
    breaks: list[bool] = []  # a conversation ends before this turn
    gap, gap_chars, section = 0, 0, None
    for para in paras:
        if not para.quotes:
            gap += 1
            gap_chars += len(para.narration)
            continue
        if all(_thought(q) for q in para.quotes):
            continue  # "thought Alice": no turn in the conversation around it
        for n, quotes in enumerate(_turns_within(para)):
            speaker = next((q.speaker for q in quotes if q.speaker), None)
            tagged = any(q.how in ("explicit", "anaphoric") for q in quotes)
            addressed = [c for q in quotes for c in q.vocatives]
            breaks.append(
                n == 0 and (para.section != section or gap > 1 or gap_chars > LONG_NARRATION)
            )
            words = " ".join(para.source[q.quote.start : q.quote.end] for q in quotes)
            turns.append(_Turn(quotes, speaker, tagged, addressed, words))
        gap, gap_chars, section = 0, 0, para.section
    around: dict[int, list[_Turn | None]] = {}
    for i, turn in enumerate(turns):
        found: list[_Turn | None] = []
        for step in (-2, -1, 1, 2):
            j = i + step
            lo, hi = min(i, j), max(i, j)
            ok = 0 <= j < len(turns) and not any(breaks[k] for k in range(lo + 1, hi + 1))
            found.append(turns[j] if ok else None)
        for q in turn.quotes:
            around[id(q)] = found
    return around


@dataclass
class _Book:
    """What every quote's features are read from, gathered once per book."""

    paras: list[_Para]
    cast: Cast
    around: dict[int, list[_Turn | None]]  # by quote id
    named: list[list[Character]]  # per paragraph: named in its narration
    spoken: list[list[list[Character]]]  # per paragraph, per quote: named in its words
    top: int  # the most mentions any character has
    lines: dict[int, Counter[Character]]  # per section (a chapter, `_sections`): the rules' answers
    protagonists: dict[str | None, Character]  # the most named character of each gender
    chapters: dict[int, list[int]] = field(default_factory=dict)  # chapter -> its paragraphs
    _partners: dict = field(default_factory=dict)  # (description, chapter) -> `_partners`
    named_in_chapter: dict[int, Counter[Character]] = field(default_factory=dict)


def build(paras: list[_Para], cast: Cast) -> Table:
    """The quotes' parse is read from each quote (`rules.first_reading` attaches it)."""
    lines: dict[int, Counter[Character]] = {}
    for p in paras:
        lines.setdefault(p.section, Counter()).update(q.speaker for q in p.quotes if q.speaker)
    protagonists: dict[str | None, Character] = {}
    for c in sorted(cast.characters, key=lambda c: -c.mentions):
        protagonists.setdefault(c.gender, c)
    book = _Book(
        paras,
        cast,
        _turns(paras),
        [_mentions(p.narration, cast) for p in paras],
        [
            [_mentions(p.source[q.quote.start : q.quote.end], cast) for q in p.quotes]
            for p in paras
        ],  # fmt: skip
        max((c.mentions for c in cast.characters), default=1) or 1,
        lines,
        protagonists,
    )
    for k, p in enumerate(paras):
        book.chapters.setdefault(p.section, []).append(k)
        book.named_in_chapter.setdefault(p.section, Counter()).update(book.named[k])
    table = Table()
    recent: list[Character] = []
    for k, para in enumerate(paras):
        if para.quotes:
            _quotes(table, book, k, recent)
        for c in book.named[k] + [c for found in book.spoken[k] for c in found]:
            if c in recent:
                recent.remove(c)
            recent.append(c)
    index = {id(item): i for i, item in enumerate(table.items)}
    table.around = [
        [index.get(id(t.quotes[0])) if t is not None else None
         for t in book.around.get(id(q), NO_TURNS)]
        for q in table.items
    ]  # fmt: skip
    return table


def _quotes(table: Table, book: _Book, k: int, recent: list[Character]) -> None:
    """Candidates and features for the quotes of paragraph k; `recent`: named lately, last
    named last."""
    paras, cast, named, spoken = book.paras, book.cast, book.named, book.spoken
    para = paras[k]
    counts = book.lines[para.section]
    total = sum(counts.values())
    lead_in = paras[k - 1] if k and not paras[k - 1].quotes else None
    pool: list[Character] = []

    def offer(c: Character | None) -> None:
        if c is not None and c not in pool and cast.may_speak(c):
            pool.append(c)

    for j in range(max(0, k - NEARBY_BEFORE), min(len(paras), k + NEARBY_AFTER + 1)):
        if paras[j].section != para.section:
            continue
        for q in paras[j].quotes:
            offer(q.speaker)
        if j >= k - MENTIONS_BEFORE:
            for c in named[j]:
                offer(c)
            for found in spoken[j]:
                for c in found:
                    offer(c)
    offer(cast.narrator)
    for c, _ in counts.most_common(3):  # the chapter's main speakers, named or not lately
        offer(c)
    ranked_recent = list(reversed(recent))
    in_paragraph = [q.speaker for q in para.quotes if q.speaker is not None]
    in_chapter = book.named_in_chapter.get(para.section, Counter())
    most_named = max(in_chapter.values(), default=0)
    for n, item in enumerate(para.quotes):
        prev2, prev, nxt, nxt2 = book.around.get(id(item), NO_TURNS)
        offer(item.speaker)
        pronoun = (item.tag or "").lower()
        pronoun_gender = PRONOUN_GENDER.get(pronoun) if pronoun in PRONOUN_GENDER else None
        if item.tag and _relational(item.tag):
            pronoun_gender = _relational(item.tag)
        tag_person = None
        if item.tag and not pronoun_gender and pronoun not in PRONOUN_GENDER and item.tag != "I":
            # The reader's answer where the tag named someone: a name several people bear
            # ("said Fitzwilliam", "said Miss Bennet") was decided by who was in view where it
            # was read.
            tag_person = item.speaker if item.how == "explicit" else cast.resolve_tag(item.tag)
        partners = None
        if tag_person is not None and is_description(tag_person.name):
            partners = _partners(book, tag_person, para.section)
        candidates = [c for c in pool if c is not None]
        if not candidates:
            continue
        x = np.zeros((len(candidates), len(FEATURES)))
        described = _described_gender(item.tag)
        before_names = _mentions(item.before, cast)
        after_names = _mentions(item.after, cast)
        inner_names = spoken[k][n]
        untagged = item.tag is None
        thought = _thought(item)
        polite = _polite(prev) if prev else None
        facts = item.facts or Facts()
        said_by = _person(facts.tag_subject, cast)
        last_subject = _person(facts.last_subject, cast)
        said_gender = PRONOUN_GENDER.get((facts.tag_subject or "").lower())
        for r, c in enumerate(candidates):
            f = x[r]

            def put(name: str, value: float = 1.0, row=f) -> None:
                row[INDEX[name]] = value

            if item.speaker is c:
                put("bias_rule_answer")
                how = item.how
                if how == "explicit":
                    put("rule_explicit")
                elif how == "anaphoric":
                    put("rule_anaphoric")
                elif how in ("paragraph", "continued"):
                    put("rule_paragraph")
                elif how in ("turn", "context"):
                    put("rule_turn")
            if tag_person is c:
                put("tag_names")
                if c.gender is None:
                    put("tag_names_gender_unknown")
                if is_description(item.tag):
                    put("tag_is_description")
                    if described:
                        put("tag_is_plain_description")
            if pronoun_gender and c.gender:
                put("pronoun_fits" if c.gender == pronoun_gender else "pronoun_clashes")
            for turn, name in ((prev, "prev_turn"), (prev2, "prev2_turn"), (nxt, "next_turn"),
                               (nxt2, "next2_turn")):  # fmt: skip
                if turn is not None and turn.speaker is c:
                    put(name)
                    if turn.tagged:
                        put(name + "_tagged")
            after_narration = para.after_narration and item is para.quotes[0]
            if prev is not None and prev.speaker is c and after_narration:
                put("prev_turn_after_narration")
            if prev is not None and c in prev.addressed and not after_narration:
                put("addressed_before")
                if untagged:
                    put("untagged_addressed_before")
            if nxt is not None and c in nxt.addressed:
                put("addressed_after")
            if c in item.vocatives:
                put("addressed_here")
            if c in inner_names and c not in item.vocatives:
                put("named_here")
            if c in before_names:
                put("named_before_in_paragraph")
            if c in after_names:
                put("named_after_in_paragraph")
            if c in para.lead:
                put("paragraph_subject")
            if lead_in is not None:
                if c in named[k - 1]:
                    put("named_in_lead_in")
                if c in lead_in.lead:
                    put("lead_in_subject")
            if c in ranked_recent:
                put("recency", 1.0 / (1 + ranked_recent.index(c)))
            put("mentions", math.log1p(c.mentions) / math.log1p(book.top))
            if total:
                put("chapter_share", counts[c] / total)
            if c is cast.narrator:
                put("narrator")
                if item.tag == "I":
                    put("narrator_i")
            if c in in_paragraph and item.speaker is not c:
                put("same_paragraph_speaker")
            if not cast.speaks(c) or c not in cast.tagged:
                put("never_tagged")
            if polite and c.gender:
                put("polite_fits" if c.gender == polite else "polite_clashes")
            if untagged and prev2 is not None and prev2.speaker is c:
                put("untagged_prev2")
            if thought and pronoun_gender and book.protagonists.get(pronoun_gender) is c:
                put("thought_protagonist")
            if c.gender is None:
                put("gender_unknown")
            if item.new_voice and any(q.speaker is c for q in para.quotes[:n]):
                put("new_voice_same_paragraph")
            if said_by is c:
                put("parse_tag_subject" if facts.speech_verb else "parse_action_subject")
            if said_gender and c.gender:
                put("parse_pronoun_fits" if c.gender == said_gender else "parse_pronoun_clashes")
            if last_subject is c:
                put("parse_last_subject")
            if described and c.gender and tag_person is not c and not is_description(c.name):
                put("description_fits" if c.gender == described else "description_clashes")
            if most_named and tag_person is None:
                put("chapter_mentions", in_chapter[c] / most_named)
            if partners is not None and c is not tag_person and not is_description(c.name):
                near, beside, uses = partners
                put("description_near", near[c] / uses)
                put("description_beside", beside[c] / uses)
        table.items.append(item)
        table.paras.append(para)
        table.candidates.append(candidates)
        table.features.append(x)


def _partners(
    book: _Book, described: Character, chapter: int
) -> tuple[Counter[Character], Counter[Character], int] | None:
    """Who the chapter's narration names near its uses of a description: in the paragraph
    or the `MENTIONS_BEFORE` before it (`near`), and in the same sentence (`beside`), with how
    many paragraphs use it. None when the narration never uses it."""
    key = (described, chapter)
    if key not in book._partners:
        surfaces = sorted(
            (a for a in described.aliases if is_description(a)), key=len, reverse=True
        )
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, surfaces)) + r")\b", re.I)
        near: Counter[Character] = Counter()
        beside: Counter[Character] = Counter()
        uses = 0
        ks = book.chapters.get(chapter, []) if surfaces else []
        for i, k in enumerate(ks):
            text = book.paras[k].narration
            if not pattern.search(text):
                continue
            uses += 1
            near.update({c for j in ks[max(0, i - MENTIONS_BEFORE) : i + 1] for c in book.named[j]})
            beside.update(
                {c for s in sentences(text) if pattern.search(s) for c in _mentions(s, book.cast)}
            )
        book._partners[key] = (near, beside, uses) if uses else None
    return book._partners[key]


def _described_gender(tag: str | None) -> str | None:
    """The gender "said the old gentleman" or "the girl answered" gives its speaker, who is
    often someone the book has named: the description is then an anaphor, like "she". One told
    apart by what follows its noun names someone of its own."""
    if not tag or not is_description(tag):
        return None
    head = description_head(tag)
    if tag.lower().split()[-1] != head:
        return None  # told apart by what follows: "the gentleman in the white waistcoat"
    return HEAD_GENDER.get(head)


def _person(phrase: str | None, cast: Cast) -> Character | None:
    """The cast member a parsed subject names ("Mr. Collins", "the old man"), if any."""
    if not phrase or phrase.lower() in PRONOUN_GENDER or not phrase[:1].isalpha():
        return None
    return cast.resolve(phrase)


def _polite(turn: _Turn) -> str | None:
    """The gender "sir" or "madam" in a turn's words addresses."""
    for word in re.findall(r"[A-Za-z’']+", turn.words):
        if gender := POLITE.get(word.lower()):
            return gender
    return None
