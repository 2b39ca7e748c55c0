"""Paths and helpers the core's tests share (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AUDIOBOOK_SHARED", ROOT.parent / "shared"))
EXAMPLE = ROOT / "examples" / "the-clockmakers-apprentice.txt"
ALICE_EPUB = SHARED / "corpus" / "epub" / "pg11-images.epub"


def run_audiobook(*args: str, env: dict | None = None, cwd=None, timeout=600, separate=False):
    """Run the command as a user would: in this process through click's CliRunner (no new
    interpreter to start), or with `separate=True` in a subprocess, for what needs a process
    of its own. An uncaught exception comes back as its traceback on stderr, as it would on a
    terminal, so that tests of "no traceback" see it."""
    if separate:
        return subprocess.run(
            [sys.executable, "-m", "audiobook", *args],
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            cwd=cwd,
            timeout=timeout,
        )
    from audiobook.plugin.testing import run_cli

    return run_cli(*args, env=env, cwd=cwd)


def needs_shared(path: Path):
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not present")


def core_imports(path: Path) -> set[str]:
    """The audiobook modules a source file imports (inside functions too), read from its text."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {m for m in found if m == "audiobook" or m.startswith("audiobook.")}
