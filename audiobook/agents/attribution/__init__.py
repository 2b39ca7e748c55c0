"""The dialogue attributor: paragraphs -> narration and quotation segments, each with a speaker.

Three stages, each its own module:
- `rules`: quotes found, speech tags parsed, the cast discovered (`casting`), and a first
  answer for every quote from tags, pronouns and turn-taking;
- `features`: for each quote, the people who could be speaking it and what the text says for
  and against each;
- `model`: a conditional logit fitted on annotated novels chooses among them; a quote it is
  not sure of keeps its best guess but is marked `how="unsure"` and read by the narrator.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audiobook.agents.attribution import features
from audiobook.agents.attribution.model import SpeakerModel, load_shipped
from audiobook.agents.attribution.paragraphs import _turns_within, segments
from audiobook.agents.attribution.rules import read
from audiobook.agents.attribution.tags import shares_tag
from audiobook.agents.casting import Cast
from audiobook.agents.quotes import QuoteStyle
from audiobook.model import UNSURE, Chapter, Segment


@dataclass
class Attribution:
    cast: Cast
    segments: list[Segment]
    style: QuoteStyle


FOLLOWS = ("continued", "paragraph")  # the rules tie these quotes to another's speaker


def leaders(table: features.Table) -> list[int | None]:
    """For each quote, the earlier quote whose speaker it shares whatever the scores: a speech
    running on from the paragraph before, or an untagged quote in a tagged one's turn."""
    found: list[int | None] = []
    index = {id(item): i for i, item in enumerate(table.items)}
    for i, (item, para) in enumerate(zip(table.items, table.paras, strict=True)):
        leader = None
        if item.how == "continued" and i:
            leader = i - 1
        elif item.how == "paragraph":
            turn = next(t for t in _turns_within(para) if any(q is item for q in t))
            first = next((q for q in turn if q.how not in FOLLOWS and q is not item), None)
            leader = index.get(id(first)) if first is not None else None
        elif i and table.paras[i - 1] is para and shares_tag(table.items[i - 1], item):
            leader = i - 1  # '"My dearest child," she cried, "I can think of nothing else!"'
        found.append(leader if leader is not None and leader < i else None)
    return found


def unnamed_speaker(item) -> bool:
    """ "said another", "one of the men asked", "cried a voice": the text says the speaker is
    nobody it names (the parser's subject of the verb of saying), and no tag says otherwise."""
    return item.tag is None and item.facts is not None and item.facts.unnamed


def choose(
    groups: list[np.ndarray],
    keys: list[list],
    around: list[list[int | None]],
    follow: list[int | None],
    model: SpeakerModel,
    unnamed: list[bool] | None = None,
) -> list[tuple[int, int, float]]:
    """Per quote: (the quote whose candidates it is chosen from, which candidate, how sure).
    A quote chooses among its own candidates; a follower takes its leader's choice."""
    return choose_from(model.probabilities(groups, keys, around), follow, unnamed)


def choose_from(
    probabilities: list[np.ndarray],
    follow: list[int | None],
    unnamed: list[bool] | None = None,
) -> list[tuple[int, int, float]]:
    """`choose`, given each quote's candidates' probabilities. A quote whose speaker the text
    says is nobody it names (`unnamed`) keeps its likeliest candidate at no certainty: the
    narrator reads it, and so do the quotes that follow it."""
    chosen: list[tuple[int, int, float]] = []
    for i, (p, leader) in enumerate(zip(probabilities, follow, strict=True)):
        if leader is not None:
            chosen.append(chosen[leader])
            continue
        best = int(p.argmax())
        chosen.append((i, best, 0.0 if unnamed and unnamed[i] else float(p[best])))
    return chosen


def decide(table: features.Table, model: SpeakerModel) -> None:
    """Each quote's speaker: the model's likeliest candidate, unsure below its threshold."""
    unnamed = [unnamed_speaker(item) for item in table.items]
    chosen = choose(table.features, table.candidates, table.around, leaders(table), model, unnamed)
    for item, (source, best, p) in zip(table.items, chosen, strict=True):
        speaker = table.candidates[source][best]
        if speaker is not item.speaker and item.how not in FOLLOWS:
            item.how = "model"
        item.speaker, item.confidence = speaker, p
        if p < model.threshold:
            item.how = UNSURE


def attribute(
    chapters: list[Chapter],
    style: QuoteStyle | None = None,
    model: SpeakerModel | None = None,
    cache: Path | None = None,
) -> Attribution:
    """`cache`: a folder that keeps the parse between runs (the book's job folder)."""
    reading = read(chapters, style, cache=cache)
    table = features.build(reading.paras, reading.cast)
    decide(table, model or load_shipped())
    found = segments(reading.paras)
    counts = Counter(s.speaker for s in found if s.kind == "quote" and s.speaker)
    for character in reading.cast.characters:
        character.quotes = counts.get(character.name, 0)
    return Attribution(reading.cast, found, reading.style)


__all__ = ["Attribution", "attribute", "decide", "read", "UNSURE"]
