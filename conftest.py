"""What every test of this repository shares (core and plugins)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def keep_the_parser_loaded():
    """A run gives spaCy's pipeline back after the analysis (`release_parser`), which makes
    the next run load it again: some two seconds in each of the suite's many conversions of
    one example. The tests keep it loaded instead; `test_parse` checks the release itself."""
    from audiobook.pipeline import analysis

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(analysis, "release_parser", lambda: None)
        yield
