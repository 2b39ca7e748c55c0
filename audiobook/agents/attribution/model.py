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
        """Per quote, each candidate's probability. `keys` names each quote's candidates (the
        same person has the same key in every quote); `around` gives, per quote, the quotes of
        the turns two before, one before, one after and two after (None where there is none)."""
        first = [self.first.probabilities(x) for x in groups]
        if self.second is None:
            return first
        return [self.second.probabilities(x) for x in second_features(groups, keys, around, first)]

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


def second_features(
    groups: Sequence[np.ndarray],
    keys: Sequence[Sequence[Hashable]],
    around: Sequence[Sequence[int | None]],
    first: Sequence[np.ndarray],
) -> list[np.ndarray]:
    found = []
    for i, (x, names, near) in enumerate(zip(groups, keys, around, strict=True)):
        extra = np.zeros((len(x), len(SECOND)))
        extra[:, 0] = first[i]
        for column, j in enumerate(near, start=1):
            if j is None:
                continue
            spoke = dict(zip(keys[j], first[j], strict=True))
            extra[:, column] = [spoke.get(name, 0.0) for name in names]
        found.append(np.hstack([x, extra]))
    return found


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
    first = Stage(fit_stage(groups, labels, start=start and start.first.weights), FEATURES)
    if keys is None or around is None:
        return SpeakerModel(first)
    guesses = [first.probabilities(x) for x in groups]
    stacked = second_features(groups, keys, around, guesses)
    second = start.second.weights if start is not None and start.second is not None else None
    return SpeakerModel(first, Stage(fit_stage(stacked, labels, start=second), FEATURES + SECOND))


def _label_rows(label: int | Sequence[int], size: int) -> list[int]:
    rows = [label] if isinstance(label, int | np.integer) else list(label)
    return [int(r) for r in rows if 0 <= r < size]


def fit_stage(
    groups: Sequence[np.ndarray],
    labels: Sequence[int | Sequence[int]],
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
    (a shorter step, never one the wrong way)."""
    rows = [(x, r) for x, y in zip(groups, labels, strict=True) if (r := _label_rows(y, len(x)))]
    if not rows:
        raise ValueError("nothing to fit: no quote has its speaker among its candidates")
    x_all = np.concatenate([x for x, _ in rows])
    sizes = np.array([len(x) for x, _ in rows])
    group = np.repeat(np.arange(len(rows)), sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    right = np.zeros(len(x_all), dtype=bool)
    for begin, (_, r) in zip(starts, rows, strict=True):
        right[begin + np.array(r)] = True
    several = any(len(r) > 1 for _, r in rows)
    w = np.zeros(x_all.shape[1]) if start is None else np.array(start, dtype=float)
    for _ in range(iterations):
        scores = x_all @ w
        top = np.maximum.reduceat(scores, starts)
        e = np.exp(scores - top[group])
        p = e / np.add.reduceat(e, starts)[group]
        expected = np.add.reduceat(p[:, None] * x_all, starts)
        q = np.where(right, p, 0.0)
        q = q / np.add.reduceat(q, starts)[group]  # p among the right candidates only
        expected_right = np.add.reduceat(q[:, None] * x_all, starts)
        gradient = (expected_right - expected).sum(axis=0) - l2 * w
        hessian = -(x_all.T @ (x_all * p[:, None])) + expected.T @ expected - l2 * np.eye(len(w))
        if several:
            exact = hessian + x_all.T @ (x_all * q[:, None]) - expected_right.T @ expected_right
            if _negative_definite(exact):
                hessian = exact  # near the optimum: Newton's own step, quadratic convergence
        step = np.linalg.solve(hessian, gradient)
        w = w - step
        if np.abs(step).max() < 1e-6:
            break
    return w


def _negative_definite(matrix: np.ndarray) -> bool:
    try:
        np.linalg.cholesky(-matrix)
    except np.linalg.LinAlgError:
        return False
    return True
