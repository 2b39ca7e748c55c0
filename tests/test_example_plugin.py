"""The example in docs/plugins.md installs as a real distribution and works end to end."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from helpers import EXAMPLE, ROOT, run_audiobook

from audiobook.render.ffmpeg import probe


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(ROOT / "docs" / "example-plugin")],
        check=True,
        capture_output=True,
    )  # fmt: skip
    path = os.pathsep.join(filter(None, [str(target), os.environ.get("PYTHONPATH")]))
    return {"PYTHONPATH": path}


def test_installed_plugin_is_listed_with_its_version(installed):
    result = run_audiobook("plugins", env=installed, separate=True)
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("morse"))
    assert line.split() == ["morse", "0.1.0", "tts:", "morse"]
    voices = run_audiobook("voices", "--tts", "morse", env=installed, separate=True)
    assert "beep" in voices.stdout and "buzz" in voices.stdout


def test_installed_plugin_converts_a_book(installed, tmp_path, work_dir):
    out = tmp_path / "morse.m4b"
    result = run_audiobook(
        "convert", str(EXAMPLE), "--tts", "morse", "--voice", "buzz", "--chapters", "1",
        "--set", "tts.morse.unit_ms=10", "-o", str(out), env=installed, separate=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    info = probe(out)
    assert [c[2] for c in info.chapters] == ["Chapter 1: The Stopped Clock"]
    assert info.duration > 30


def test_plugin_option_is_validated(installed, tmp_path, work_dir):
    result = run_audiobook(
        "convert", str(EXAMPLE), "--tts", "morse", "--set", "tts.morse.unit_ms=fast",
        env=installed, separate=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "'tts.morse.unit_ms' must be a whole number, got 'fast'" in result.stderr
