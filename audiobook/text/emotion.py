"""Delivery cues and the tags engines act on: what the director finds in a speech tag
("she whispered") and what reaches an engine that understands emotion tags (Orpheus)."""

from __future__ import annotations

import re

# verb in the tag -> (emotion name, engine tag or None)
CUES = [
    (r"laugh(?:ed|ing|s)?", "laugh", "<laugh>"),
    (r"chuckl(?:ed|ing|es)", "chuckle", "<chuckle>"),
    (r"sigh(?:ed|ing|s)?", "sigh", "<sigh>"),
    (r"sobb(?:ed|ing)|sniff(?:ed|led)|wept|weeping", "sob", "<sniffle>"),
    (r"groan(?:ed|ing|s)?|moan(?:ed|ing|s)?", "groan", "<groan>"),
    (r"yawn(?:ed|ing|s)?", "yawn", "<yawn>"),
    (r"gasp(?:ed|ing|s)?|pant(?:ed|ing)", "gasp", "<gasp>"),
    (r"cough(?:ed|ing|s)?", "cough", "<cough>"),
    (r"whisper(?:ed|ing|s)?|murmur(?:ed|ing|s)?|under (?:his|her) breath", "whisper", None),
    (r"shout(?:ed|ing|s)?|scream(?:ed|ing|s)?|yell(?:ed|ing|s)?|roar(?:ed|ing|s)?|shriek(?:ed|ing)",
     "shout", None),
]  # fmt: skip
EMOTION_TAGS = {tag for _, _, tag in CUES if tag}
TAG_RE = re.compile("|".join(re.escape(t) for t in sorted(EMOTION_TAGS)))


def engine_tag(emotion: str | None) -> str | None:
    return next((tag for _, name, tag in CUES if name == emotion), None)


def strip_emotion_tags(text: str) -> str:
    return " ".join(TAG_RE.sub(" ", text).split())
