"""The `--llm` design against an oracle for a model (benchmarks/llm_oracle.py): a local
OpenAI-compatible server answering from a PDNC novel's annotations, reached through the real
`openai` provider. If the design is sound a perfect model makes the attribution near perfect:
the cast it lists must hold every speaker, and every quote asked about must offer the right
one among its candidates."""

from __future__ import annotations

import sys

import pytest
from helpers import ROOT, SHARED

from audiobook.agents.attribution.model import load_shipped

NOVEL = SHARED / "corpus" / "pdnc" / "DaisyMiller"


@pytest.fixture(scope="module")
def result():
    if not NOVEL.exists():
        pytest.skip(f"{NOVEL} is not present")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from llm_oracle import run

    return run(NOVEL, load_shipped(), ask_tagged=False)


def test_a_perfect_model_makes_the_attribution_near_perfect(result):
    assert result.fallbacks == 0 and result.requests > 0
    assert result.accuracy(result.right) >= 0.97
    assert result.accuracy(result.right) > result.accuracy(result.rules)
    assert result.offered_right / result.asked >= 0.97
    assert result.tagged_right / result.tagged >= 0.95  # tags the model is not asked about


def test_the_cost_is_counted(result):
    assert result.prompt_tokens > 10 * result.requests and result.answer_tokens > 0
    assert 100 < result.per_100k(result.requests) < 1000
