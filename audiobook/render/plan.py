"""What is to be said, clip by clip: the narrator makes the clips, mastering joins them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Clip:
    chapter: int  # position among the chapters being rendered
    text: str
    voice: str
    key: str
    pause_after: float
    speed: float = 1.0


@dataclass
class Plan:
    titles: list[str]
    clips: list[Clip]

    def chapter_clips(self, index: int) -> list[Clip]:
        return [c for c in self.clips if c.chapter == index]
