"""Parsing chapter selections such as "1-3,5" (1-based, in reading order)."""

from __future__ import annotations

from audiobook.errors import UserError


def parse_chapters(spec: str, count: int) -> list[int]:
    """Return the 0-based indices chosen by `spec`, in book order, each once."""
    chosen: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        first, dash, last = part.partition("-")
        try:
            lo = int(first) if first.strip() else 1
            hi = (int(last) if last.strip() else count) if dash else lo
        except ValueError:
            raise UserError(f"--chapters: '{part}' is not a number or a range like 2-5") from None
        if lo < 1 or hi < lo:
            raise UserError(f"--chapters: '{part}' is not a valid range")
        if hi > count:
            noun = "chapter" if count == 1 else "chapters"
            raise UserError(f"--chapters: the book has {count} {noun}; '{part}' is out of range")
        chosen.update(range(lo - 1, hi))
    if not chosen:
        raise UserError("--chapters: no chapter selected")
    return sorted(chosen)
