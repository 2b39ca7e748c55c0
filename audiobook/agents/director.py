"""The director: delivery hints the text itself gives ("she whispered", "he laughed").

Only what a speech tag says is used; nothing is invented. Engines that understand emotion
tags (Orpheus) get them in the text; the others get the text without them.
"""

from __future__ import annotations

import re

from audiobook.model import Segment

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


def tag_clause(segments: list[Segment], index: int) -> str:
    """The narration that tags quote `index`: the sentence after it in its paragraph ("said
    the Mouse, sighing."), else a lead-in before it ("She whispered:"); never the next or the
    last speaker's tag."""
    quote = segments[index]

    def same(i: int) -> Segment | None:
        if 0 <= i < len(segments):
            s = segments[i]
            if s.kind == "narration" and s.paragraph == quote.paragraph:
                return s
        return None

    after = same(index + 1)
    if after is not None:
        return re.split(r"(?<=[.!?;])\s", after.text, maxsplit=1)[0]
    before = same(index - 1)
    if before is not None and before.text.rstrip()[-1:] in ",:;\u2014-":
        return re.split(r"(?<=[.!?])\s", before.text)[-1]
    return ""


def direct(segments: list[Segment]) -> None:
    """Set `emotion` on quotes whose own speech tag says how they are spoken."""
    for i, segment in enumerate(segments):
        if segment.kind != "quote" or segment.emotion:
            continue
        clause = tag_clause(segments, i)
        for pattern, emotion, _ in CUES:
            if clause and re.search(rf"\b(?:{pattern})\b", clause, re.I):
                segment.emotion = emotion
                break


def engine_tag(emotion: str | None) -> str | None:
    return next((tag for _, name, tag in CUES if name == emotion), None)


def strip_emotion_tags(text: str) -> str:
    return " ".join(TAG_RE.sub(" ", text).split())
