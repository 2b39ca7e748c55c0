"""The speaker model: two conditional logits over each quote's candidates, fitted on annotated
novels, applied in plain numpy.

A candidate's score is its features times the weights; a quote's candidates compete through a
softmax, so the probability of the best one says how sure the choice is. The first stage sees
what the text says (`features.FEATURES`), with the turns around each quote as the rules
decided them. The second stage sees the same and, for each candidate, how likely the first
stage found it speaking this quote and the turns one and two before and after (`SECOND`):
"A, B, A" works better from good guesses about the neighbours than from the rules' ones.

Below `threshold` a quote keeps its best guess as speaker but is marked unsure and read in the
narrator's voice: a wrong voice is worse than the narrator's.

`benchmarks/train_speaker_model.py` fits the shipped weights (`speaker_weights.json`) on the
corpus; the same `fit` makes the leave-one-novel-out models of the benchmark.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audiobook.agents.attribution.features import FEATURES

SHIPPED = Path(__file__).with_name("speaker_weights.json")
SECOND = (
    "first_stage",  # the first stage's probability for this candidate and quote
    "spoke_prev2_turn",  # ... that the candidate spoke the turn two before
    "spoke_prev_turn",
    "spoke_next_turn",
    "spoke_next2_turn",
)
L2 = 1.0  # ridge penalty: the weights stay small where the corpus says little
# A listener hears a wrong voice as a mistake and the narrator's as a missed chance: a wrong
# voice is taken to cost twice a missed one, so a voice is given when the model is at least
# 2/3 sure (with calibrated probabilities, the choice that costs a listener least).
THRESHOLD = 2 / 3


@dataclass
class Stage:
    """One conditional logit: weights over named feature columns."""

    weights: np.ndarray
    features: tuple[str, ...]

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Each candidate's probability of being the speaker (rows of `x`)."""
        scores = x @ self.weights
        e = np.exp(scores - scores.max())
        return e / e.sum()


@dataclass
class Quotes:
    """Many quotes' candidates as one array: the rows of every quote, one after the other.

    `near` holds, for each row, the row of the same person (by key) in the quotes of the
    turns two before, one before, one after and two after (-1 where that turn has no such
    candidate), so the second stage's columns are one gather, not a lookup per candidate."""

    x: np.ndarray  # (rows, features)
    starts: np.ndarray  # the first row of each quote
    near: np.ndarray  # (rows, 4)
    right: np.ndarray  # (rows,) bool: the candidate is (one of) the quote's speaker

    @classmethod
    def of(
        cls,
        groups: Sequence[np.ndarray],
        keys: Sequence[Sequence[Hashable]],
        around: Sequence[Sequence[int | None]],
        labels: Sequence[int | Sequence[int]] | None = None,
    ) -> Quotes:
        """`keys` names each quote's candidates (the same person has the same key in every
        quote); `around` gives, per quote, the quotes of the turns two before, one before,
        one after and two after (None where there is none); `labels` the right candidates."""
        x, starts, right = _layout(groups, labels)
        rows = [dict(zip(names, range(start, start + len(names)), strict=True))
                for names, start in zip(keys, starts.tolist(), strict=True)]  # fmt: skip
        near = np.full((len(x), len(SECOND) - 1), -1, dtype=np.int64)
        for i, (names, turns) in enumerate(zip(keys, around, strict=True)):
            start = int(starts[i])
            for column, j in enumerate(turns):
                if j is not None:
                    near[start : start + len(names), column] = [
                        rows[j].get(name, -1) for name in names
                    ]
        return cls(x, starts, near, right)

    @classmethod
    def join(cls, parts: Sequence[Quotes]) -> Quotes:
        offsets = np.cumsum([0] + [len(q.x) for q in parts[:-1]])
        return cls(
            np.concatenate([q.x for q in parts]),
            np.concatenate([q.starts + o for q, o in zip(parts, offsets, strict=True)]),
            np.concatenate(
                [np.where(q.near >= 0, q.near + o, -1) for q, o in zip(parts, offsets, strict=True)]
            ),
            np.concatenate([q.right for q in parts]),
        )

    def probabilities(self, weights: np.ndarray, x: np.ndarray | None = None) -> np.ndarray:
        """Each row's probability among its quote's candidates."""
        scores = (self.x if x is None else x) @ weights
        group = np.repeat(np.arange(len(self.starts)), np.diff(self.starts, append=len(scores)))
        e = np.exp(scores - np.maximum.reduceat(scores, self.starts)[group])
        return e / np.add.reduceat(e, self.starts)[group]

    def stacked(self, first: np.ndarray) -> np.ndarray:
        """The second stage's columns: the first stage's probabilities for each row and for
        the same person in the turns around it."""
        spoke = np.where(self.near >= 0, first[np.maximum(self.near, 0)], 0.0)
        return np.hstack([self.x, first[:, None], spoke])

    def split(self, values: np.ndarray) -> list[np.ndarray]:
        return np.split(values, self.starts[1:])


@dataclass
class SpeakerModel:
    first: Stage
    second: Stage | None = None
    threshold: float = THRESHOLD

    def probabilities(
        self,
        groups: Sequence[np.ndarray],
        keys: Sequence[Sequence[Hashable]],
        around: Sequence[Sequence[int | None]],
    ) -> list[np.ndarray]:
        """Per quote, each candidate's probability (arguments as `Quotes.of`)."""
        if not len(groups):
            return []
        quotes = Quotes.of(groups, keys, around)
        return quotes.split(self.flat_probabilities(quotes))

    def flat_probabilities(self, quotes: Quotes) -> np.ndarray:
        first = quotes.probabilities(self.first.weights)
        if self.second is None:
            return first
        return quotes.probabilities(self.second.weights, quotes.stacked(first))

    def to_json(self, **about) -> str:
        def stage(s: Stage) -> dict:
            return {
                "features": list(s.features),
                "weights": [round(float(w), 6) for w in s.weights],
            }

        data = {
            "first": stage(self.first),
            "second": stage(self.second) if self.second is not None else None,
            "threshold": self.threshold,
            **about,
        }
        return json.dumps(data, indent=1) + "\n"


def load(path: Path) -> SpeakerModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    stages = [data.get("first"), data.get("second")]
    wanted = [FEATURES, FEATURES + SECOND]
    if stages[0] is None or any(
        s is not None and tuple(s["features"]) != w for s, w in zip(stages, wanted, strict=True)
    ):
        raise ValueError(
            f"{path}: fitted for other features; retrain with benchmarks/train_speaker_model.py"
        )
    first, second = (
        Stage(np.array(s["weights"], dtype=float), w) if s is not None else None
        for s, w in zip(stages, wanted, strict=True)
    )
    return SpeakerModel(first, second, float(data["threshold"]))


_shipped: SpeakerModel | None = None


def load_shipped() -> SpeakerModel:
    global _shipped
    if _shipped is None:
        _shipped = load(SHIPPED)
    return _shipped


def fit(
    groups: Sequence[np.ndarray],
    labels: Sequence[int | Sequence[int]],
    keys: Sequence[Sequence[Hashable]] | None = None,
    around: Sequence[Sequence[int | None]] | None = None,
    start: SpeakerModel | None = None,
) -> SpeakerModel:
    """Both stages, on quotes labelled with the candidates that are their speaker: an index,
    or several where the cast holds one person under two entries ("the stranger" and "Mr.
    Harthouse"), none (-1 or empty) where the speaker is not among them. Without `keys` and
    `around`, the first stage only. `start` only makes it quicker."""
    if keys is None or around is None:
        first = fit_stage(groups, labels, start=start and start.first.weights)
        return SpeakerModel(Stage(first, FEATURES))
    return fit_quotes(Quotes.of(groups, keys, around, labels), start)


def fit_quotes(quotes: Quotes, start: SpeakerModel | None = None) -> SpeakerModel:
    """Both stages on quotes whose `right` rows say who speaks them."""
    first = _fit(quotes.x, quotes.starts, quotes.right, start=start and start.first.weights)
    stacked = quotes.stacked(quotes.probabilities(first))
    second = start.second.weights if start is not None and start.second is not None else None
    return SpeakerModel(
        Stage(first, FEATURES),
        Stage(_fit(stacked, quotes.starts, quotes.right, start=second), FEATURES + SECOND),
    )


def _label_rows(label: int | Sequence[int], size: int) -> list[int]:
    rows = [label] if isinstance(label, int | np.integer) else list(label)
    return [int(r) for r in rows if 0 <= r < size]


def fit_stage(
    groups: Sequence[np.ndarray],
    labels: Sequence[int | Sequence[int]],
    *,
    l2: float = L2,
    start: np.ndarray | None = None,
) -> np.ndarray:
    """One conditional logit's weights (see `_fit`), on quotes given as one array each."""
    return _fit(*_layout(groups, labels), l2=l2, start=start)


def _layout(
    groups: Sequence[np.ndarray], labels: Sequence[int | Sequence[int]] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The quotes' rows one after the other, where each quote's rows start, and which rows
    are a right candidate (none without `labels`)."""
    sizes = [len(x) for x in groups]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    right = np.zeros(sum(sizes), dtype=bool)
    for i, (begin, size) in enumerate(zip(starts.tolist(), sizes, strict=True)):
        if labels is not None:
            right[[begin + r for r in _label_rows(labels[i], size)]] = True
    width = groups[0].shape[1] if len(groups) else len(FEATURES)
    x = np.concatenate(list(groups)) if len(groups) else np.zeros((0, width))
    return x, starts, right


def _fit(
    x: np.ndarray,
    starts: np.ndarray,
    right: np.ndarray,
    *,
    l2: float = L2,
    iterations: int = 50,
    start: np.ndarray | None = None,
) -> np.ndarray:
    """Weights that make each quote's right candidates likeliest: the penalised log of the
    probability the right ones have together, so that when one person stands under two
    entries neither is taught to lose to the other. Newton's method; with one right candidate
    per quote the objective is convex (the answer does not depend on `start`); with several,
    the step uses the full curvature where it is concave and only its convex part elsewhere
    (a shorter step, never one the wrong way). A quote with no right candidate teaches
    nothing."""
    buckets = _buckets(x, starts, right)
    if not buckets:
        raise ValueError("nothing to fit: no quote has its speaker among its candidates")
    several = any((r.sum(axis=1) > 1).any() for _, r, _ in buckets)
    size = x.shape[1]
    w = np.zeros(size) if start is None else np.array(start, dtype=float)
    for _ in range(iterations):
        gradient, hessian = -l2 * w, -l2 * np.eye(size)
        exact = hessian.copy()
        for xs, rights, flat in buckets:
            p = _softmax(xs @ w)
            expected = np.einsum("gk,gkf->gf", p, xs)
            q = np.where(rights, p, 0.0)
            q /= q.sum(axis=1, keepdims=True)  # p among the right candidates only
            expected_right = np.einsum("gk,gkf->gf", q, xs)
            gradient += (expected_right - expected).sum(axis=0)
            # The curvature only steers the step (the gradient decides where it ends), so
            # its big products are made in single precision, at twice the speed.
            part = expected.T @ expected - flat.T @ (flat * p.reshape(-1, 1).astype(np.float32))
            hessian += part
            if several:
                exact += part + flat.T @ (flat * q.reshape(-1, 1).astype(np.float32))
                exact -= expected_right.T @ expected_right
        if several and _negative_definite(exact):
            hessian = exact  # near the optimum: Newton's own step, quadratic convergence
        step = np.linalg.solve(hessian, gradient)
        # Newton's step overshoots far from the optimum (a few candidates that separate
        # cleanly): halved until the objective improves, so the fit never runs away.
        now = _objective(w, buckets, l2)
        while _objective(w - step, buckets, l2) < now and np.abs(step).max() > 1e-9:
            step = step / 2
        w = w - step
        if np.abs(step).max() < 1e-6:
            break
    return w


def _objective(w: np.ndarray, buckets, l2: float) -> float:
    """The penalised log of the probability the right candidates have together."""
    total = -0.5 * l2 * float(w @ w)
    for xs, rights, _ in buckets:
        scores = xs @ w
        top = scores.max(axis=1, keepdims=True)
        e = np.exp(scores - top)
        total += float((np.log(np.where(rights, e, 0.0).sum(axis=1)) - np.log(e.sum(axis=1))).sum())
    return total


def _softmax(scores: np.ndarray) -> np.ndarray:
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _buckets(
    x: np.ndarray, starts: np.ndarray, right: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The quotes that have a right candidate, stacked by their number of candidates: per
    size, (quotes, candidates, features), which candidates are right, and the rows flat in
    single precision. The sums of the fit are then a few dense products instead of one per
    quote."""
    sizes = np.diff(starts, append=len(x))
    quote = np.repeat(np.arange(len(starts)), sizes)
    has_right = np.bincount(quote[right], minlength=len(starts)) > 0
    found = []
    for size in np.unique(sizes[has_right]):
        first_rows = starts[(sizes == size) & has_right]
        rows = first_rows[:, None] + np.arange(size)
        xs = x[rows]
        found.append((xs, right[rows], xs.reshape(-1, x.shape[1]).astype(np.float32)))
    return found


def _negative_definite(matrix: np.ndarray) -> bool:
    try:
        np.linalg.cholesky(-matrix)
    except np.linalg.LinAlgError:
        return False
    return True
