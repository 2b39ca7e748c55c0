"""Fit the speaker model on PDNC-format folders and write the shipped weights.

    python benchmarks/train_speaker_model.py ../shared/corpus/pdnc/*/

Reads every novel with the rules, builds each quote's candidates and features, fits the
conditional logit on all of them and writes audiobook/agents/attribution/speaker_weights.json
(the same input gives the same file). `benchmarks/attribution.py` reports what such a model
does on a novel it was not fitted on.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attribution import load_all  # noqa: E402
from pdnc import fit_on  # noqa: E402

from audiobook.agents.attribution.model import SHIPPED  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("-o", "--output", type=Path, default=SHIPPED)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    novels = load_all(args.folders, args.workers)
    if not novels:
        print("no PDNC folders given (each needs quotation_info.csv)", file=sys.stderr)
        return 2
    model = fit_on(novels)
    quotes = sum(len(n.labels) for n in novels)
    args.output.write_text(
        model.to_json(trained_on=sorted(n.name for n in novels), quotes=quotes), encoding="utf-8"
    )
    for title, stage in (("first stage", model.first), ("second stage", model.second)):
        print(title)
        width = max(len(f) for f in stage.features)
        for name, weight in zip(stage.features, stage.weights, strict=True):
            print(f"  {name:{width}} {weight:+.3f}")
    print(f"wrote {args.output} ({len(novels)} novels, {quotes} quotes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
