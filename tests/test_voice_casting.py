"""Voice casting: gender first, people who talk to each other apart, and when the provider has
too few voices, the shared voice goes to the two who talk to each other least."""

from __future__ import annotations

from audiobook.agents.voices import cast_voices
from audiobook.model import Character, Segment, Span
from audiobook.providers import Voice


def _lines(*speakers: str) -> list[Segment]:
    return [
        Segment(1, "quote", f"line {i}", Span("t", i, i + 1), speaker)
        for i, speaker in enumerate(speakers)
    ]


CAST = [
    Character("Anna", {"Anna"}, "female"),
    Character("Beth", {"Beth"}, "female"),
    Character("Cora", {"Cora"}, "female"),
    Character("Dan", {"Dan"}, "male"),
]


def test_gender_matched_and_partners_apart_while_voices_last():
    voices = [Voice("n"), Voice("f1", gender="female"), Voice("f2", gender="female"),
              Voice("f3", gender="female"), Voice("m1", gender="male")]  # fmt: skip
    segments = _lines(*["Anna", "Beth", "Cora", "Dan"] * 4)
    casting = cast_voices(CAST, segments, voices, "n")
    women = [casting.voices[n] for n in ("Anna", "Beth", "Cora")]
    assert len(set(women)) == 3 and set(women) <= {"f1", "f2", "f3"}
    assert casting.voices["Dan"] == "m1" and "n" not in casting.voices.values()
    assert cast_voices(CAST, segments, voices, "n").voices == casting.voices  # stable


def test_too_few_voices_are_shared_by_those_who_talk_least():
    voices = [Voice("n"), Voice("f1", gender="female"), Voice("f2", gender="female")]
    # Anna and Beth talk all the time; Cora speaks with Anna once and with Beth often.
    talk = ["Anna", "Beth"] * 10 + ["Cora", "Anna"] + ["Beth", "Cora"] * 3
    casting = cast_voices(CAST[:3], _lines(*talk), voices, "n")
    assert casting.voices["Anna"] != casting.voices["Beth"]
    assert casting.voices["Cora"] == casting.voices["Anna"]  # the pair that talks least
