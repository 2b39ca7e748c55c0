"""The page's render button: the book (or the chapters changed on the page) rendered in the
background, as `audiobook render` would, with its progress for the page to show."""

from __future__ import annotations

import copy
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from audiobook.errors import UserError
from audiobook.pipeline import book_for_script, render
from audiobook.review.session import ReviewSession
from audiobook.script import Script


@dataclass
class RenderState:
    state: str = "idle"  # idle, running, mastering, done, failed
    done: int = 0  # characters spoken so far (made or reused)
    total: int = 0
    message: str = ""
    output: str = ""
    made: int = 0  # clips synthesised by this render
    reused: int = 0

    def view(self) -> dict:
        return asdict(self)


class RenderTask:
    """At most one render at a time, on a copy of the script as it was when it started."""

    def __init__(self, session: ReviewSession, output: Path) -> None:
        self.session = session
        self.output = output
        self.status = RenderState()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def start(self, scope: str = "book") -> RenderState:
        with self.lock:
            if self.thread is not None and self.thread.is_alive():
                raise UserError("a render is already running")
            script, out = self._what(scope)
            n = len(script.chapters)
            self.status = RenderState("running", message=f"rendering {n} chapter{'s' * (n != 1)}")
            self.thread = threading.Thread(
                target=self._run, args=(script, out), name="review-render", daemon=True
            )
            self.thread.start()
            return self.status

    def _what(self, scope: str) -> tuple[Script, Path]:
        session = self.session
        with session.lock:
            script = copy.deepcopy(session.script)
        if scope == "book":
            return script, self.output
        if scope != "changed":
            raise UserError("scope must be 'book' or 'changed'")
        chapters = sorted(session.touched)
        if not chapters:
            raise UserError("no chapter has changed on this page yet")
        script.chapters = {n: script.chapters[n] for n in chapters if n in script.chapters}
        script.segments = [s for s in script.segments if s.chapter in script.chapters]
        marks = "-".join(str(n) for n in chapters)
        return script, self.output.with_name(f"{self.output.stem}.chapters-{marks}.m4b")

    def _progress(self, done: int, total: int) -> None:
        self.status.done, self.status.total = done, total
        if done >= total:
            self.status.state, self.status.message = "mastering", "mastering the chapters"

    def _run(self, script: Script, out: Path) -> None:
        session = self.session
        started = time.monotonic()
        try:
            result = render(
                script, book_for_script(script), out, session.settings, session.provider,
                session.work_key, fmt="m4b", show_progress=False, on_progress=self._progress,
            )  # fmt: skip
        except UserError as e:
            self.status.state, self.status.message = "failed", str(e)
            return
        except Exception as e:  # the page says what went wrong; the clips made are kept
            self.status.state, self.status.message = "failed", f"render failed: {e}"
            return
        seconds = time.monotonic() - started
        self.status.state = "done"
        self.status.output = str(result.output)
        self.status.made, self.status.reused = result.stats.made, result.stats.reused
        self.status.message = (
            f"wrote {result.output.name}: {result.stats.made} clips made, "
            f"{result.stats.reused} reused, in {seconds:.0f} s"
        )
