"""Synthetic books of a given length, for the memory and resume benchmarks."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = [
    "the",
    "a",
    "river",
    "house",
    "light",
    "morning",
    "garden",
    "letter",
    "window",
    "silence",
    "evening",
    "road",
    "friend",
    "door",
    "quiet",
    "old",
    "young",
    "small",
    "great",
    "long",
    "dark",
    "bright",
    "cold",
    "warm",
    "slowly",
    "softly",
    "again",
    "never",
    "always",
    "walked",
    "looked",
    "waited",
    "turned",
    "listened",
    "remembered",
    "wondered",
    "opened",
    "closed",
    "carried",
    "followed",
]
NAMES = ["Anna", "Boris", "Clara", "Daniel", "Edith", "Felix"]
CHARS_PER_SECOND = 15.0  # the tone provider's pace


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
    return " ".join(words).capitalize() + "."


def write_book(path: Path, hours: float, chapters: int, seed: int = 7) -> Path:
    """A plain-text book whose spoken length is about `hours` at the tone provider's pace."""
    rng = random.Random(seed)
    target = int(hours * 3600 * CHARS_PER_SECOND)
    per_chapter = target // chapters
    parts = [f"Title: A Synthetic Book of {hours:g} Hours\nAuthor: Benchmark\n"]
    for number in range(1, chapters + 1):
        parts.append(f"\nChapter {number}\n")
        size = 0
        while size < per_chapter:
            if rng.random() < 0.3:
                a, b = rng.sample(NAMES, 2)
                paragraph = f'"{sentence(rng)}" said {a}. "{sentence(rng)}" {b} replied.'
            else:
                paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))
            parts.append(paragraph + "\n")
            size += len(paragraph)
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
