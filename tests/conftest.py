"""Fixtures for the core's tests; shared paths and helpers are in helpers.py."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def work_dir(tmp_path, monkeypatch):
    """Each test gets its own clip cache and runs in an empty folder."""
    wd = tmp_path / "work"
    monkeypatch.setenv("AUDIOBOOK_OUTPUT_WORK_DIR", str(wd))
    monkeypatch.chdir(tmp_path)
    for var in [v for v in os.environ if v.startswith("AUDIOBOOK_") and "WORK_DIR" not in v]:
        monkeypatch.delenv(var)
    return wd
