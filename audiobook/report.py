"""Status lines for the person running a command: on stderr, so that stdout holds only
results (and `audiobook script -o -` style output stays clean). The one place the core
writes to the terminal; the command line owns everything else it prints."""

from __future__ import annotations

import sys


def say(line: str, *, newline: bool = True) -> None:
    """Write `line` to stderr (looked up at each call, so a test's capture sees it)."""
    stream = sys.stderr
    text = line + ("\n" if newline else "")
    try:
        stream.write(text)
    except UnicodeEncodeError:  # a terminal that cannot show a title's letters
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, "replace").decode(encoding))
    stream.flush()
