"""The analysis with an LLM as its reader: the LLM builds the cast (before voices are chosen),
then decides who speaks each quote no tag plainly names, chapter by chapter (in `convert`, a
background thread works on chapter N+1 while chapter N is synthesised).

Failures are never silent: `problems` gives one line per stage whose requests failed, naming
the cause and the fix, and with `required` any failure is an error instead of a fall-back to
the rules.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from audiobook.agents.attribution import Attribution
from audiobook.agents.llm_cast import CastReport, build_cast
from audiobook.agents.llm_quotes import QuoteReport, attribute_quotes
from audiobook.errors import UserError
from audiobook.llm import StructuredLLM, failure_line
from audiobook.model import Chapter, Segment

FEW = 3  # failed requests a run shrugs off with a warning only when there are more


@dataclass
class LLMReading:
    llm: StructuredLLM
    required: bool = False
    ask_tagged: bool = False
    cast: CastReport = field(default_factory=CastReport)
    quotes: QuoteReport = field(default_factory=QuoteReport)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def read_cast(
        self,
        attribution: Attribution,
        chapters: list[Chapter],
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.cast = build_cast(attribution, chapters, self.llm, progress)
        self._check(self.cast.failures, len(self.cast.windows), 0, "cast")

    def voice_weights(self) -> Counter[str]:
        """How much each person of the LLM's cast speaks, before the quotes are asked about:
        the windows they speak in (so that voices can be chosen first)."""
        found: Counter[str] = Counter()
        for window in self.cast.windows:
            for person in window.speakers:
                found[person.name] += 1
        return found

    def read_quotes(self, segments: list[Segment], attribution: Attribution) -> QuoteReport:
        found = attribute_quotes(
            segments, self.cast.people, self.cast, self.llm, ask_tagged=self.ask_tagged
        )
        with self._lock:
            self.quotes.add(found)
        self._check(found.failures, found.windows, found.fallback_quotes, "quote")
        return found

    def _check(self, failures: Counter[str], windows: int, quotes: int, what: str) -> None:
        if failures and self.required:
            raise UserError(
                "the LLM is required (llm.required) but "
                + failure_line(failures, windows, quotes, what)
            )

    def problems(self) -> list[str]:
        """Warnings for the run summary: stages where more than a few requests failed."""
        lines = []
        c, q = self.cast, self.quotes
        if sum(c.failures.values()) > FEW or (c.windows and c.fallbacks == len(c.windows)):
            lines.append(failure_line(c.failures, len(c.windows), 0, "cast"))
        if sum(q.failures.values()) > FEW or (q.windows and q.fallbacks == q.windows):
            lines.append(failure_line(q.failures, q.windows, q.fallback_quotes, "quote"))
        return lines

    def summary(self, words: int) -> str:
        u, q = self.llm.usage, self.quotes
        per = 100_000 / max(1, words)
        return (
            f"LLM {self.llm.provider.name}: {u.calls} requests ({u.cached} answered from the "
            f"cache, {u.retries} retried, {u.failures} failed), {u.prompt_tokens} prompt + "
            f"{u.completion_tokens} answer tokens ({u.prompt_tokens * per / 1000:.0f}k + "
            f"{u.completion_tokens * per / 1000:.0f}k per 100k words), {u.seconds:.0f} s waiting "
            f"for answers. Cast: {len(self.cast.people)} people from {len(self.cast.windows)} "
            f"windows. Quotes: {q.asked} asked, {q.changed} speakers changed, "
            f"{q.plainly_tagged} plainly tagged, {q.fallback_quotes} left to the rules"
        )


class ChapterRefiner:
    """Asks about the quotes one chapter at a time in a background thread, so that the LLM
    works on chapter N+1 while chapter N is being synthesised."""

    def __init__(self, reading: LLMReading, attribution: Attribution, script, casting) -> None:
        self.reading = reading
        self.attribution = attribution
        self.script = script
        self.casting = casting
        numbers = sorted(script.chapters)
        self.ready = {n: threading.Event() for n in numbers}
        self.error: BaseException | None = None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(numbers,), daemon=True)
        self.thread.start()

    def _run(self, numbers: list[int]) -> None:
        try:
            for number in numbers:
                if self.stop.is_set():
                    return
                segments = [s for s in self.script.segments if s.chapter == number]
                self.reading.read_quotes(segments, self.attribution)
                self.casting.apply(segments)
                self.ready[number].set()
        except BaseException as e:  # handed to the main thread at the next chapter
            self.error = e
            for event in self.ready.values():
                event.set()

    def wait(self, number: int) -> None:
        self.ready[number].wait()
        if self.error is not None:
            raise self.error
