"""Delivery cues belong to the line whose speech tag gives them, never to the next or the last
speaker's; engines without a tag for a cue get the plain text."""

from __future__ import annotations

import pytest

from audiobook.agents.attribution import attribute
from audiobook.agents.director import direct
from audiobook.model import Chapter, Paragraph, Span
from audiobook.providers import TTSProvider
from audiobook.render.narrator import speakable


def _emotions(*paragraphs: str) -> list[tuple[str, str | None]]:
    chapter = Chapter("One", [Paragraph(p, Span("t", 0, len(p))) for p in paragraphs])
    segments = attribute([chapter]).segments
    direct(segments)
    return [(s.text, s.emotion) for s in segments if s.kind == "quote"]


def test_a_cue_in_a_tag_goes_to_its_own_line_only():
    found = _emotions(
        '"I am so tired," said the Mouse, sighing.',
        '"Then sit down," said Alice.',
        'Alice laughed. "What a day!"',
        '"Hush," she whispered, "they will hear us."',
    )
    assert found == [
        ("I am so tired,", "sigh"),
        ("Then sit down,", None),  # the Mouse's sigh is not Alice's
        ("What a day!", None),  # a laugh in the last sentence before is no lead-in
        ("Hush,", "whisper"),
        ("they will hear us.", "whisper"),  # one tag between two quotes tags both
    ]


def test_a_lead_in_tags_the_quote_after_it():
    assert _emotions('She laughed and said: "Nothing at all."') == [("Nothing at all.", "laugh")]


class _Engine(TTSProvider):
    name = "test"

    def __init__(self, features=()):
        self.features = set(features)

    def voices(self):
        return []

    def synthesize(self, text, voice, speed=1.0):
        raise NotImplementedError


@pytest.mark.parametrize(
    ("features", "emotion", "said"),
    [
        ({"emotion_tags"}, "sigh", "<sigh> I am tired."),
        ({"emotion_tags"}, "whisper", "I am tired."),  # no engine tag for a whisper
        (set(), "sigh", "I am tired."),
    ],
)
def test_engines_get_only_tags_they_understand(features, emotion, said):
    assert speakable("I am tired.", _Engine(features), emotion) == said
