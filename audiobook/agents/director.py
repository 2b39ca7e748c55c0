"""The director: delivery hints the text itself gives ("she whispered", "he laughed").

Only what a speech tag says is used; nothing is invented. Engines that understand emotion
tags (Orpheus) get them in the text; the others get the text without them.
"""

from __future__ import annotations

import re

from audiobook.model import Segment
from audiobook.text.emotion import CUES


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
