"""Turn-taking: untagged turns of a conversation decided from who spoke around them, who was
addressed and, for "said she", whom the narration names."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from audiobook.agents.attribution.mentions import _mentions, _relative
from audiobook.agents.attribution.paragraphs import (
    LONG_NARRATION,
    MAX_TURN_GAP,
    _Evidence,
    _opens_continuation,
    _Para,
    _Quote,
    _speaker,
    _turns_within,
)
from audiobook.agents.attribution.tags import _thought
from audiobook.agents.casting import Cast
from audiobook.model import Character


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
        if current and (para.section != current[-1].section or long_told):
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
            if c not in cast.tagged and c is not cast.narrator:
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
