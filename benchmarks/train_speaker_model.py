"""Fit the alias and speaker models on PDNC-format folders and write the shipped weights.

    python benchmarks/train_speaker_model.py ../shared/corpus/pdnc/*/

First the alias model (which names are one person, `aliases.py`) on every novel's addressed
names, written to audiobook/agents/attribution/alias_weights.json; then every novel is read
with the alias model fitted on the *other* novels (the merges a book the alias model never
saw gets, as a user's book does from the shipped one), each quote's candidates and features
built, and the conditional logit fitted on all of them, written to speaker_weights.json (the
same input gives the same files). These are the readings the benchmark's leave-one-out
models are fitted on, so the shipped model is the benchmark's, fitted on every novel.
`benchmarks/attribution.py` reports what such models do on a novel they were not fitted on.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attribution import _map, load_all  # noqa: E402
from pdnc import alias_choices, fit_aliases, fit_on  # noqa: E402

from audiobook.agents.attribution import aliases  # noqa: E402
from audiobook.agents.attribution.model import SHIPPED  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("-o", "--output", type=Path, default=SHIPPED)
    parser.add_argument("--aliases-output", type=Path, default=aliases.SHIPPED)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--cache", type=Path, default=None, help="a folder that keeps the parse between runs"
    )
    args = parser.parse_args(argv)
    folders = [f for f in args.folders if (f / "quotation_info.csv").is_file()]
    if not folders:
        print("no PDNC folders given (each needs quotation_info.csv)", file=sys.stderr)
        return 2
    names = _map(alias_choices, folders, [args.cache] * len(folders), workers=args.workers)
    alias_model = fit_aliases(names)
    args.aliases_output.write_text(
        alias_model.to_json(trained_on=sorted(n.name for n in names),
                            names=sum(len(n.xs) for n in names)),
        encoding="utf-8",
    )  # fmt: skip
    print(f"wrote {args.aliases_output} ({sum(len(n.xs) for n in names)} addressed names)")
    novels = load_all(folders, args.workers, choices=names, cache=args.cache)
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
