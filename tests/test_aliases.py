"""Names that are one person, found from how people are spoken to (attribution/aliases.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from audiobook.agents.attribution import attribute, read, surnames
from audiobook.agents.attribution.aliases import (
    FEATURES,
    SHIPPED,
    THRESHOLD,
    WRONG_MERGE_COST,
    AliasModel,
    choices,
    choose_threshold,
    fit,
    load,
    load_shipped,
)
from audiobook.agents.attribution.rules import first_reading
from audiobook.model import Chapter, Paragraph, Span


def chapters(*scenes: list[str]) -> list[Chapter]:
    """One chapter per scene, so that each scene is a conversation of its own."""
    return [
        Chapter(f"Chapter {n}", [Paragraph(p, Span("t", 0, len(p))) for p in scene])
        for n, scene in enumerate(scenes, start=1)
    ]


# The narration calls him Fielding; Aziz calls him Cyril, and Fielding answers.
CYRIL = [
    "Fielding came into the room, and he sat down by the window.",
    '"Cyril, you are late again," said Aziz.',
    '"I was kept at the college," said Fielding.',
    '"Cyril, will you take tea with us?" said Aziz.',
    '"I should like that," said Fielding.',
]
OTHERS = [
    "Aziz walked to the club with Fielding.",
    '"It is very hot," said Fielding.',
    '"Yes, it is the season," said Aziz.',
]


def cast_names(result) -> dict[str, set[str]]:
    return {c.name: c.aliases for c in result.cast.characters}


def test_a_name_used_to_address_the_one_who_answers_joins_him():
    result = read(chapters(CYRIL, OTHERS, CYRIL, OTHERS, CYRIL))
    entry = next(c for c in result.cast.characters if "Fielding" in c.aliases)
    assert "Cyril" in entry.aliases
    assert not any(c is not entry and "Cyril" in c.aliases for c in result.cast.characters)
    said = attribute(chapters(CYRIL, OTHERS, CYRIL))
    assert {s.speaker for s in said.segments if s.text.startswith("I should like")} == {entry.name}


def test_people_who_talk_to_each_other_stay_apart():
    scene = [
        "Anna and Clara sat by the fire, and Boris stood at the door.",
        '"Anna, look at the snow," said Boris.',
        '"She cannot see it from there," said Clara.',
        '"I can," said Anna.',
        '"Then come and look," said Clara.',
    ]
    result = read(chapters(scene, scene, scene, scene))
    names = cast_names(result)
    assert {"Anna", "Boris", "Clara"} <= set(names)
    assert all(len(aliases & {"Anna", "Boris", "Clara"}) == 1 for aliases in names.values()
               if aliases & {"Anna", "Boris", "Clara"})  # fmt: skip


def test_a_woman_addressed_beside_a_mans_turn_is_no_candidate():
    scene = [
        '"Mary, sit down," said Mr. Turton.',
        '"Thank you," said Mr. Fielding.',
    ]
    reading = first_reading(chapters(scene, scene, scene, scene))
    for choice in choices(reading.paras, reading.cast):
        if choice.addressed.gender == "female":
            assert all(s.gender != "male" for s in choice.speakers)


def test_the_first_person_narrator_is_never_merged():
    scene = [
        '"Alexis, you are here," said Astley.',
        '"I am," I said. "Where is the General?"',
        '"Alexis, he has gone out," said Astley.',
        '"Then I shall wait," I said.',
        '"Alexis, do," said Astley.',
        '"I will," I answered.',
    ]
    reading = first_reading(chapters(scene, scene, scene))
    narrator = reading.cast.narrator
    assert narrator is not None
    for choice in choices(reading.paras, reading.cast):
        assert choice.addressed is not narrator and narrator not in choice.speakers


def test_fit_learns_the_feature_that_marks_one_person_and_refuses_one_sided_data():
    rng = np.random.default_rng(0)
    xs, right = [], []
    for _ in range(200):
        x = rng.normal(size=(3, len(FEATURES))) * 0.1
        x[:, 1] = 0.0
        same = int(rng.integers(4)) - 1  # -1: none of the three
        if same >= 0:
            x[same, 1] = 3.0
        xs.append(x)
        right.append([same] if same >= 0 else [])
    model = fit(xs, right)
    assert model.weights[1] > 1
    hits = sum(
        (int(np.argmax(p)) if p.max() >= 0.5 else -1) == (r[0] if r else -1)
        for x, r in zip(xs, right, strict=True)
        for p in [model.probabilities(x)]
    )
    assert hits >= 190
    with pytest.raises(ValueError, match="nothing to fit"):
        fit(xs[:3], [[0], [0], [0]])


def test_probabilities_leave_room_for_none_of_them():
    model = AliasModel(np.zeros(len(FEATURES)))
    p = model.probabilities(np.zeros((2, len(FEATURES))))
    assert np.allclose(p, [1 / 3, 1 / 3])


def test_shipped_alias_weights_name_their_features_and_a_stale_file_is_refused(tmp_path):
    data = json.loads(SHIPPED.read_text())
    assert data["features"] == list(FEATURES) and len(data["weights"]) == len(FEATURES)
    assert data["trained_on"] and 0.5 <= data["threshold"] < 1
    assert load_shipped().weights.shape == (len(FEATURES),)
    data["features"] = data["features"][:-1] + ["something_else"]
    stale = tmp_path / "a.json"
    stale.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="retrain"):
        load(stale)


# Narration names the magistrate both ways; his mother and Adela talk to him.
HEASLOP = [
    "Mr. Heaslop came in from the court, and Adela rose to meet him.",
    '"You are late," said Adela.',
    '"The court sat until six," said Mr. Heaslop.',
    "Ronny took off his hat, and Adela poured the tea.",
    '"Mr. Heaslop, will you have sugar?" said Adela.',
    '"Two, please," said Ronny.',
    "Mr. John Knightley and Mr. Knightley walked past the window.",
    '"There go the brothers," said Adela.',
    "Miss Morland and Mrs. Morland sat in the garden.",
    "Ronny had been to Delhi, and Delhi had been hot.",
]


def test_a_titled_surname_is_offered_the_given_names_it_may_be():
    reading = first_reading(chapters(HEASLOP, HEASLOP, HEASLOP))
    found = {
        choice.addressed.name: {s.name for s in choice.speakers}
        for choice in choices(reading.paras, reading.cast)
        if choice.kind == "surname"
    }
    assert "Ronny" in found["Mr. Heaslop"]
    assert "Adela" not in found["Mr. Heaslop"]  # a woman is no candidate for a "Mr."
    assert "Delhi" not in found["Mr. Heaslop"]  # a name that takes no lines is nobody's
    # Named with his title and a given name to tell him from Mr. Knightley: the cast has
    # weighed the two already; and a "Miss Morland" is no "Mrs. Morland".
    assert "Mr. John Knightley" not in found.get("Mr. Knightley", set())
    assert "Miss Morland" not in found.get("Mrs. Morland", set())
    widths = {
        choice.x.shape[1]
        for choice in choices(reading.paras, reading.cast)
        if choice.kind == "surname"
    }
    assert widths == {len(surnames.FEATURES)}


def test_surname_weights_round_trip_and_a_model_without_them_merges_no_surname(tmp_path):
    model = AliasModel(
        np.zeros(len(FEATURES)), surname_weights=np.ones(len(surnames.FEATURES)),
        surname_threshold=0.9,
    )  # fmt: skip
    path = tmp_path / "a.json"
    path.write_text(model.to_json())
    again = load(path)
    assert np.allclose(again.surname_weights, 1.0) and again.threshold_for("surname") == 0.9
    x = np.ones((2, len(surnames.FEATURES)))
    assert np.allclose(again.probabilities(x, "surname"), model.probabilities(x, "surname"))
    assert not AliasModel(np.zeros(len(FEATURES))).probabilities(x, "surname").any()
    data = json.loads(path.read_text())
    data["surname_features"] = data["surname_features"][:-1]
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="retrain"):
        load(path)


def test_fit_learns_each_kind_on_its_own_features():
    rng = np.random.default_rng(1)
    xs, right, kinds = [], [], []
    for kind, width, column in (("addressed", len(FEATURES), 1), ("surname", 12, 2)):
        for _ in range(150):
            x = rng.normal(size=(3, width)) * 0.1
            same = int(rng.integers(4)) - 1
            if same >= 0:
                x[same, column] = 3.0
            xs.append(x)
            right.append([same] if same >= 0 else [])
            kinds.append(kind)
    model = fit(xs, right, kinds)
    assert model.weights[1] > 1 and model.surname_weights[2] > 1
    assert abs(model.weights[2]) < 1 and abs(model.surname_weights[1]) < 1


@given(st.lists(st.tuples(st.floats(0, 1), st.booleans()), max_size=30))
def test_the_chosen_threshold_makes_the_most_of_the_merges_it_lets_through(scored):
    chosen = choose_threshold(scored)
    assert chosen >= THRESHOLD

    def gain(threshold: float) -> float:
        return sum(1.0 if same else -WRONG_MERGE_COST for p, same in scored if p >= threshold)

    best = max([gain(p) for p, _ in scored if p >= THRESHOLD] + [0.0])  # 0: merge none
    assert gain(chosen) == pytest.approx(best)
