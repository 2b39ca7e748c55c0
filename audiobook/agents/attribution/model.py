"""The speaker model: a conditional logit over each quote's candidates, fitted on annotated
novels, applied in plain numpy.

A candidate's score is its features (`features.FEATURES`) times the weights; a quote's
candidates compete through a softmax, so the probability of the best one says how sure the
choice is. Below `threshold` the quote keeps its best guess as speaker but is marked unsure
and read in the narrator's voice: a wrong voice is worse than the narrator's.

`benchmarks/train_speaker_model.py` fits the shipped weights (`speaker_weights.json`) on the
corpus; the same `fit` makes the leave-one-novel-out models of the benchmark.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audiobook.agents.attribution.features import FEATURES

SHIPPED = Path(__file__).with_name("speaker_weights.json")
L2 = 1.0  # ridge penalty: the weights stay small where the corpus says little
# A listener hears a wrong voice as a mistake and the narrator's as a missed chance: a wrong
# voice is taken to cost twice a missed one, so a voice is given when the model is at least
# 2/3 sure (with calibrated probabilities, the choice that costs a listener least).
THRESHOLD = 2 / 3


@dataclass
class SpeakerModel:
    weights: np.ndarray
    threshold: float = THRESHOLD
    features: tuple[str, ...] = FEATURES

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Each candidate's probability of being the speaker (rows of `x`)."""
        scores = x @ self.weights
        scores = scores - scores.max()
        e = np.exp(scores)
        return e / e.sum()

    def to_json(self, **about) -> str:
        data = {
            "features": list(self.features),
            "weights": [round(float(w), 6) for w in self.weights],
            "threshold": self.threshold,
            **about,
        }
        return json.dumps(data, indent=1) + "\n"


def load(path: Path) -> SpeakerModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(
            f"{path}: fitted for other features; retrain with benchmarks/train_speaker_model.py"
        )
    return SpeakerModel(np.array(data["weights"], dtype=float), float(data["threshold"]))


_shipped: SpeakerModel | None = None


def load_shipped() -> SpeakerModel:
    global _shipped
    if _shipped is None:
        _shipped = load(SHIPPED)
    return _shipped


def fit(
    groups: list[np.ndarray], labels: list[int], *, l2: float = L2, iterations: int = 50
) -> SpeakerModel:
    """Weights that make each group's labelled row likeliest (Newton's method on the
    penalised log-likelihood; it is convex, so the answer does not depend on a start)."""
    rows = [(x, y) for x, y in zip(groups, labels, strict=True) if 0 <= y < len(x)]
    if not rows:
        raise ValueError("nothing to fit: no quote has its speaker among its candidates")
    x_all = np.concatenate([x for x, _ in rows])
    sizes = np.array([len(x) for x, _ in rows])
    group = np.repeat(np.arange(len(rows)), sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    gold = x_all[starts + np.array([y for _, y in rows])]
    w = np.zeros(x_all.shape[1])
    for _ in range(iterations):
        scores = x_all @ w
        top = np.maximum.reduceat(scores, starts)
        e = np.exp(scores - top[group])
        total = np.add.reduceat(e, starts)
        p = e / total[group]
        expected = np.add.reduceat(p[:, None] * x_all, starts)
        gradient = (gold - expected).sum(axis=0) - l2 * w
        weighted = x_all * p[:, None]
        hessian = -(x_all.T @ weighted) + expected.T @ expected - l2 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w = w - step
        if np.abs(step).max() < 1e-6:
            break
    return SpeakerModel(w)
