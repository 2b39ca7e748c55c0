"""Sentence splitting and packing sentences into chunks no longer than a provider's max_chars.

Whitespace aside, joining the chunks gives back the text: nothing is dropped or reordered.
"""

from __future__ import annotations

import re

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "prof", "sr", "jr", "rev", "gen", "col", "capt", "lt",
    "sgt", "mt", "vs", "etc", "e.g", "i.e", "no", "vol", "fig", "ch", "mme", "mlle", "messrs",
}  # fmt: skip
_SENTENCE_END = re.compile(r"([.!?…]+[\"'”’)\]]*)(\s+)")
_CLAUSE_BREAK = re.compile(r"([,;:—–)]+[\"'”’]*)(\s+)")


def split_sentences(text: str) -> list[str]:
    """Split at sentence ends, not after abbreviations, initials or inside numbers."""
    sentences: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start : m.start(1)]
        word = re.split(r"\s", before)[-1].lower().lstrip("(\"'“‘") if before else ""
        nxt = text[m.end() : m.end() + 1]
        if m.group(1) == "." and (word.rstrip(".") in ABBREVIATIONS or len(word) == 1):
            continue
        if nxt and nxt.islower():
            continue
        sentences.append(text[start : m.end(1)])
        start = m.end()
    if start < len(text) and text[start:].strip():
        sentences.append(text[start:])
    return [s.strip() for s in sentences if s.strip()]


def _split_long(sentence: str, limit: int) -> list[str]:
    """Break a sentence longer than `limit` at clause punctuation, else between words."""
    pieces = [p for p in re.split(r"(?<=[,;:—–])\s+", sentence) if p]
    out: list[str] = []
    for piece in pieces:
        if len(piece) <= limit:
            out.append(piece)
            continue
        current = ""
        for word in piece.split():
            if current and len(current) + 1 + len(word) > limit:
                out.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        if current:
            out.append(current)
    return _pack(out, limit)


def _pack(parts: list[str], limit: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for part in parts:
        if current and len(current) + 1 + len(part) <= limit:
            current = f"{current} {part}"
        else:
            if current:
                chunks.append(current)
            current = part
    if current:
        chunks.append(current)
    return chunks


def chunk_text(text: str, limit: int) -> list[str]:
    """Pack whole sentences into chunks of at most `limit` characters.

    A chunk is longer than `limit` only when a single word is.
    """
    text = " ".join(text.split())
    if not text:
        return []
    parts: list[str] = []
    for sentence in split_sentences(text):
        parts.extend([sentence] if len(sentence) <= limit else _split_long(sentence, limit))
    return _pack(parts, limit)


def is_speakable(text: str) -> bool:
    """Text with no letter or digit (a row of asterisks, a lone dash) has nothing to say."""
    return any(ch.isalnum() for ch in text)
