"""Retraining on the corpus reproduces the shipped alias and speaker weights (its own file, so
that pytest-xdist reads the corpus for it on another worker than the leave-one-out floors)."""

from __future__ import annotations

import json
import statistics
import sys

import numpy as np
import pytest
from conftest import ROOT, SHARED

from audiobook.agents.attribution import aliases
from audiobook.agents.attribution.model import SHIPPED

PDNC = SHARED / "corpus" / "pdnc"


@pytest.mark.slow
def test_retraining_on_the_corpus_reproduces_the_shipped_weights():
    if not PDNC.exists():
        pytest.skip(f"{PDNC} is not present")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from attribution import _map
    from pdnc import alias_choices, fit_aliases, fit_on, load

    folders = sorted(p for p in PDNC.iterdir() if (p / "quotation_info.csv").is_file())
    shipped = json.loads(SHIPPED.read_text())
    shipped_aliases = json.loads(aliases.SHIPPED.read_text())
    if [f.name for f in folders] != shipped["trained_on"] or shipped_aliases["trained_on"] != [
        f.name for f in folders
    ]:
        pytest.skip("the corpus here is not the one the shipped weights were fitted on")
    alias_model = fit_aliases(_map(alias_choices, folders))
    assert np.allclose(alias_model.weights, shipped_aliases["weights"], atol=1e-4)
    novels = _map(load, folders, [alias_model] * len(folders))
    model = fit_on(novels)
    assert np.allclose(model.first.weights, shipped["first"]["weights"], atol=1e-4)
    assert np.allclose(model.second.weights, shipped["second"]["weights"], atol=1e-4)
    assert statistics.fmean(abs(w) for w in model.first.weights) > 0.05
