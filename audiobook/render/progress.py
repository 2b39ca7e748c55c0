"""A progress line on stderr: chapter, clips done, and time left from the measured pace."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from audiobook.report import say


class Progress:
    def __init__(
        self,
        chapter_titles: list[str],
        chapter_chars: list[int],
        enabled: bool = True,
        listener: Callable[[int, int], None] | None = None,
    ):
        """`listener(done, total)`, in characters, is told of every clip (the review page's
        progress bar), whether or not the line is shown."""
        self.titles = chapter_titles
        self.chapter_chars = chapter_chars
        self.total = max(1, sum(chapter_chars))
        self.done_chars = 0
        self.fresh_chars = 0
        self.chapter_done = [0] * len(chapter_titles)
        self.started = time.monotonic()
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self.last_line = 0.0
        self.announced: set[int] = set()
        self.listener = listener

    def update(self, chapter: int, chars: int, reused: bool) -> None:
        self.done_chars += chars
        self.chapter_done[chapter] += chars
        if not reused:
            self.fresh_chars += chars
        if self.listener is not None:
            self.listener(self.done_chars, self.total)
        if not self.enabled:
            return
        if self.tty:
            now = time.monotonic()
            if now - self.last_line > 0.2 or self.done_chars >= self.total:
                self.last_line = now
                say("\r" + self._line(chapter), newline=False)
        elif self.chapter_done[chapter] >= self.chapter_chars[chapter] and chapter not in (
            self.announced
        ):
            self.announced.add(chapter)
            say(self._line(chapter))

    def _line(self, chapter: int) -> str:
        fraction = self.done_chars / self.total
        width = 24
        filled = int(width * fraction)
        bar = "#" * filled + "-" * (width - filled)
        left = self._eta()
        n = len(self.titles)
        title = self.titles[chapter][:40]
        return f"[{bar}] {fraction:4.0%}  chapter {chapter + 1}/{n} {title:<40}  {left}"

    def _eta(self) -> str:
        elapsed = time.monotonic() - self.started
        if self.fresh_chars == 0 or elapsed < 1:
            return "time left: estimating"
        rate = self.fresh_chars / elapsed
        seconds = int((self.total - self.done_chars) / rate)
        return f"time left: {seconds // 60}m{seconds % 60:02d}s"

    def finish(self) -> None:
        if self.enabled and self.tty:
            say("")
