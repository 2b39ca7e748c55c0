"""One person under two names, found from how people are spoken to.

Books name a person one way in the narration and another in the mouths of others: the
narration's "Fielding" is Aziz's "Cyril", the narration's "the Jew" is Sikes's "Fagin", Lucy's
"Charlotte" is the narration's "Miss Bartlett". Nothing in the names ties them, but the
conversation does: whoever is called "Cyril" in one turn is, more often than not, the one whose
turn is tagged "said Fielding" just before or after it. For each pair (a name used to address
someone, a speaker tagged in a neighbouring turn) this module describes what the book shows
(how often the two line up, whether the addressed name ever speaks for itself, whether the
narration names both in one sentence, genders, descriptions) and a logistic model fitted on
annotated novels says how likely they are one person; pairs it is sure of are merged. A second
kind of choice, with weights of its own, pairs a titled surname with the given names it may go
with ("Mr. Fielding" and "Cyril", `surnames.py`).

`benchmarks/train_speaker_model.py` fits the shipped weights (`alias_weights.json`);
`benchmarks/attribution.py` measures them leave-one-novel-out.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audiobook.agents.attribution import surnames
from audiobook.agents.attribution.mentions import _mentions
from audiobook.agents.attribution.model import fit_stage
from audiobook.agents.attribution.paragraphs import _Para
from audiobook.agents.attribution.tags import _thought
from audiobook.agents.casting import Cast
from audiobook.agents.names import core_tokens, is_description, sentences
from audiobook.model import Character

SHIPPED = Path(__file__).with_name("alias_weights.json")
FEATURES = (
    "bias",  # a speaker beside it rather than nobody
    "lined_up",  # log(1 + turns where the name is addressed beside the speaker's tagged turn)
    "lined_up_share",  # ... as a share of the turns the addressed name is used in
    "share_among_speakers",  # ... as a share of all the speakers it is lined up with
    "answers_to_itself",  # share of its turns beside a turn tagged with the name itself
    "addressed_name_speaks",  # log(1 + quotes whose tag names the addressed name)
    "lined_up_the_other_way",  # the speaker's name addressed beside the addressed name's turn
    "named_together",  # narration sentences naming both, over the fewer naming either
    "same_gender",  # both known and the same
    "addressed_is_description",  # "the Jew", "the stranger"
    "speaker_is_description",
    "share_a_name",  # a word of the two names in common ("Mr. Sikes", "Bill Sikes")
)
# A merge of two people mixes their voices, a missed one splits one: sure merges only, with
# calibrated probabilities the same point as the speaker model's (a wrong merge costs twice).
THRESHOLD = 2 / 3
MIN_LINED_UP = 2  # a pair seen lined up once is a coincidence, not evidence


@dataclass
class Choice:
    """A name used to address someone, and the speakers tagged beside it that it may be
    another name of: one row of features each; "none of them" is a row of zeros."""

    addressed: Character
    speakers: list[Character]
    x: np.ndarray  # (speakers, FEATURES), or (candidates, surnames.FEATURES)
    kind: str = "addressed"  # or "surname": a titled surname and given names it may go with


@dataclass
class AliasModel:
    weights: np.ndarray
    threshold: float = THRESHOLD
    surname_weights: np.ndarray | None = None  # None: titled surnames are left as they are
    # Chosen on novels the surname weights were not fitted on (`choose_threshold`): fitted on
    # fewer examples, they are less calibrated than the addressed names' model.
    surname_threshold: float = THRESHOLD

    def threshold_for(self, kind: str) -> float:
        return self.threshold if kind == "addressed" else self.surname_threshold

    def probabilities(self, x: np.ndarray, kind: str = "addressed") -> np.ndarray:
        """Each speaker's (candidate's) probability of being the addressed name's (titled
        surname's) person; the rest: none of them."""
        weights = self.weights if kind == "addressed" else self.surname_weights
        if weights is None:
            return np.zeros(len(x))
        scores = np.append(x @ weights, 0.0)
        e = np.exp(scores - scores.max())
        return (e / e.sum())[:-1]

    def to_json(self, **about) -> str:
        data = {
            "features": list(FEATURES),
            "weights": [round(float(w), 6) for w in self.weights],
            "surname_features": list(surnames.FEATURES),
            "surname_weights": None
            if self.surname_weights is None
            else [round(float(w), 6) for w in self.surname_weights],
            "threshold": self.threshold,
            "surname_threshold": self.surname_threshold,
            **about,
        }
        return json.dumps(data, indent=1) + "\n"


def load(path: Path) -> AliasModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    if (
        tuple(data.get("features", ())) != FEATURES
        or tuple(data.get("surname_features", ())) != surnames.FEATURES
    ):
        raise ValueError(
            f"{path}: fitted for other features; retrain with benchmarks/train_speaker_model.py"
        )
    surname = data.get("surname_weights")
    return AliasModel(
        np.array(data["weights"], dtype=float),
        float(data["threshold"]),
        None if surname is None else np.array(surname, dtype=float),
        float(data.get("surname_threshold", THRESHOLD)),
    )


_shipped: AliasModel | None = None


def load_shipped() -> AliasModel:
    global _shipped
    if _shipped is None:
        _shipped = load(SHIPPED)
    return _shipped


def fit(
    xs: Sequence[np.ndarray],
    right: Sequence[Sequence[int]],
    kinds: Sequence[str] | None = None,
) -> AliasModel:
    """A conditional logit over each addressed name's speakers and "none of them" (a row of
    zeros), with the speaker model's ridge penalty; another over each titled surname's
    candidates, when `kinds` has some ("surname"). `right`: the rows that are the same
    person (empty: none of them)."""
    kinds = kinds or ["addressed"] * len(xs)
    weights = {}
    for kind in ("addressed", "surname"):
        mine = [i for i, k in enumerate(kinds) if k == kind]
        if kind == "surname" and not mine:
            continue
        picked = [right[i] for i in mine]
        if not any(r for r in picked) or all(r for r in picked):
            raise ValueError("nothing to fit: the names need examples of one person and of two")
        groups = [np.vstack([xs[i], np.zeros(xs[i].shape[1])]) for i in mine]
        labels = [list(right[i]) if right[i] else [len(xs[i])] for i in mine]
        weights[kind] = fit_stage(groups, labels)
    return AliasModel(weights["addressed"], surname_weights=weights.get("surname"))


WRONG_MERGE_COST = 2  # a merge of two people costs as much as two missed merges


def choose_threshold(scored: Sequence[tuple[float, bool]]) -> float:
    """The threshold, at least `THRESHOLD`, that makes the most of merges scored on novels the
    model was not fitted on ((probability, one person?) pairs): right merges less
    `WRONG_MERGE_COST` times the wrong ones; above them all when none is worth it."""
    gains: Counter[float] = Counter()
    for p, same in scored:
        gains[p] += 1.0 if same else -WRONG_MERGE_COST
    best, gain, value = THRESHOLD, 0.0, 0.0
    for p in sorted(gains, reverse=True):  # a threshold lets all of one probability through
        value += gains[p]
        if p >= THRESHOLD and value > gain:
            best, gain = p, value
    if gain <= 0 and gains and max(gains) >= THRESHOLD:
        return math.nextafter(max(gains), math.inf)
    return best


@dataclass
class _Turn:
    speaker: Character | None  # as a named speech tag says
    addressed: set[Character]
    opens: bool  # a conversation starts here


def _turns(paras: list[_Para], cast: Cast) -> list[_Turn]:
    turns: list[_Turn] = []
    gap, section = 0, None
    for para in paras:
        if not para.quotes:
            gap += 1
            continue
        if all(_thought(q) for q in para.quotes):
            continue
        speaker = next((q.speaker for q in para.quotes if _named_speaker(q, cast)), None)
        addressed = {c for q in para.quotes for c in q.vocatives}
        turns.append(_Turn(speaker, addressed, para.section != section or gap > 1))
        gap, section = 0, para.section
    return turns


def choices(paras: list[_Para], cast: Cast) -> list[Choice]:
    """For every name used to address someone, the speakers seen lined up with it at least
    `MIN_LINED_UP` times whose gender does not clash, with their features. Needs the rules'
    first reading: tagged speakers and vocatives."""
    turns = _turns(paras, cast)
    lined: Counter[tuple[Character, Character]] = Counter()
    addressed: Counter[Character] = Counter()
    for t, turn in enumerate(turns):
        beside = {
            turns[u].speaker
            for u in (t - 1, t + 1)
            if 0 <= u < len(turns) and not turns[max(t, u)].opens
        } - {None, turn.speaker}
        for who in turn.addressed:
            addressed[who] += 1
            for speaker in beside:
                lined[(who, speaker)] += 1  # once per turn it is addressed in
    tagged = Counter(
        q.speaker for p in paras for q in p.quotes if q.how == "explicit" and q.speaker
    )
    options: dict[Character, list[Character]] = {}
    total: Counter[Character] = Counter()
    for (a, s), n in lined.items():
        if a is s or cast.narrator in (a, s):
            continue  # the first-person narrator is found otherwise ("I") and stays apart
        total[a] += n
        if n >= MIN_LINED_UP and not _clash(a, s, cast):
            options.setdefault(a, []).append(s)
    wanted = {c for a, ss in options.items() for c in [a, *ss]}
    by_surname = surnames.candidates(cast, lambda a, b: _clash(a, b, cast))
    wanted |= {c for t, gs in by_surname.items() for c in [t, *gs]}
    named: Counter[Character] = Counter()
    together: Counter[frozenset[Character]] = Counter()
    chapters: dict[Character, Counter[int]] = defaultdict(Counter)
    for para in paras:
        for sentence in sentences(para.narration):
            found = set(_mentions(sentence, cast)) & wanted
            named.update(found)
            for c in found:
                chapters[c][para.section] += 1
            for a, b in itertools.combinations(found, 2):
                together[frozenset((a, b))] += 1
    found: list[Choice] = []
    for a, speakers in options.items():
        x = np.zeros((len(speakers), len(FEATURES)))
        for row, s in zip(x, speakers, strict=True):
            n = lined[(a, s)]
            row[:] = (
                1.0,
                math.log1p(n),
                n / max(1, addressed[a]),
                n / total[a],
                lined[(a, a)] / max(1, addressed[a]),
                math.log1p(tagged[a]),
                lined[(s, a)] / max(1, addressed[s]),
                together[frozenset((a, s))] / max(1, min(named[a], named[s])),
                float(bool(_gender(a, cast)) and _gender(a, cast) == _gender(s, cast)),
                float(is_description(a.name)),
                float(is_description(s.name)),
                float(bool(_words(a) & _words(s))),
            )
        found.append(Choice(a, speakers, x))
    evidence = {
        "full": surnames.full_names(p.source for p in paras),
        "named": named,
        "together": together,
        "talk": surnames.talk(turns),
        "lined": lined,
        "chapters": chapters,
    }
    for titled, given in by_surname.items():
        if given:
            x = surnames.rows(titled, given, evidence, cast)
            found.append(Choice(titled, given, x, "surname"))
    return found


def _gender(c: Character, cast: Cast) -> str | None:
    """The gender the text gives, else the one the name shows ("the gentleman")."""
    return c.gender or cast.gender_of(c.name)


def _clash(a: Character, b: Character, cast: Cast) -> bool:
    ga, gb = _gender(a, cast), _gender(b, cast)
    return bool(ga and gb and ga != gb)


def _named_speaker(item, cast: Cast) -> bool:
    """The quote's tag names its speaker: "said Fielding", or "I said" for the narrator."""
    if item.speaker is None:
        return False
    return item.how == "explicit" or (item.tag == "I" and item.speaker is cast.narrator)


def _words(c: Character) -> set[str]:
    return {w for alias in c.aliases for w in core_tokens(alias)}


def merge_aliases(paras: list[_Para], cast: Cast, model: AliasModel | None = None) -> int:
    """Merges the pairs the model is sure are one person, surest first; returns how many."""
    model = model or load_shipped()
    scored = [
        (p, choice.addressed, speaker, choice.kind)
        for choice in choices(paras, cast)
        for p, speaker in zip(
            model.probabilities(choice.x, choice.kind), choice.speakers, strict=True
        )
    ]
    merged: dict[Character, Character] = {}  # a merged entry -> the entry it joined

    def current(c: Character) -> Character:
        while c in merged:
            c = merged[c]
        return c

    count = 0
    for probability, addressed, speaker, kind in sorted(scored, key=lambda t: -t[0]):
        if probability < model.threshold_for(kind):
            continue
        a, s = current(addressed), current(speaker)
        if a is s or _clash(a, s, cast):
            continue
        source, target = sorted((a, s), key=lambda c: (c.mentions, c is cast.narrator))
        cast.merge(source, target)
        if is_description(target.name) and not is_description(source.name):
            target.name = source.name  # "Fagin", not "the Jew"
        merged[source] = target
        count += 1
    return count
