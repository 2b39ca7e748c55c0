"""Speaker attribution measured on PDNC-format folders (see benchmarks/pdnc.py).

    python benchmarks/attribution.py ../shared/corpus/pdnc/*/

Prints, per novel and as a mean over novels (each novel counts once, whatever its length):
quote detection recall; accuracy of the speaker given to each quote, overall and per quoteType
(Explicit, Anaphoric, Implicit); the share of quotes voiced (given a character's voice rather
than left to the narrator as unsure) and the precision among them; how often the annotated
speaker is among the candidates at all; and the cast figure: of the major and intermediate
characters, how many are one cast entry with the right gender, and how many entries mix two.

The speaker model is fitted on the corpus, so by default each novel is attributed by a model
fitted on the *other* novels given (leave-one-novel-out): every figure is one for a book the
model never saw. `--shipped` uses the shipped weights (fitted on all of them) instead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pdnc import (  # noqa: E402
    KINDS,
    Novel,
    Scores,
    alias_choices,
    fit_aliases,
    fit_on,
    load,
    score,
)

from audiobook.agents.attribution.aliases import AliasModel  # noqa: E402
from audiobook.agents.attribution.model import SpeakerModel, load_shipped  # noqa: E402

THRESHOLDS = (0.5, 0.6, 2 / 3, 0.75, 0.8, 0.9)


def report(s: Scores) -> str:
    kinds = " ".join(f"{k[:4]} {s.accuracy(k):.3f}" for k in KINDS)
    c = s.cast
    return (
        f"{s.name[:26]:26} recall {s.recall:.3f} | accuracy {s.accuracy():.3f} "
        f"(n={sum(s.quotes.values())}) | {kinds} | voiced {s.share_voiced:.2f} precision "
        f"{s.precision:.3f} | cast {c.one}/{c.total} major {c.major_one}/{c.major_total} "
        f"mixed {c.mixed}"
    )


def mean(values) -> float:
    values = [v for v in values if v == v]
    return statistics.fmean(values) if values else float("nan")


def summary(all_scores: list[Scores]) -> str:
    worst = min(all_scores, key=lambda s: s.accuracy())
    kinds = " ".join(f"{k[:4]} {mean(s.accuracy(k) for s in all_scores):.3f}" for k in KINDS)
    explicit_worst = min(all_scores, key=lambda s: s.accuracy("Explicit"))
    major = [s.cast.major_one / s.cast.major_total for s in all_scores if s.cast.major_total]
    candidates = mean(s.asked_in_candidates / max(1, sum(s.quotes.values())) for s in all_scores)
    return (
        f"MEAN over {len(all_scores)} novels: recall {mean(s.recall for s in all_scores):.3f} | "
        f"accuracy {mean(s.accuracy() for s in all_scores):.3f} | {kinds} | voiced "
        f"{mean(s.share_voiced for s in all_scores):.2f} precision "
        f"{mean(s.precision for s in all_scores):.3f} | speaker among candidates "
        f"{candidates:.3f} | cast "
        f"{mean(s.cast.one / s.cast.total for s in all_scores if s.cast.total):.3f} major "
        f"{mean(major):.3f}\n"
        f"WORST accuracy {worst.accuracy():.3f} ({worst.name}); worst explicit "
        f"{explicit_worst.accuracy('Explicit'):.3f} ({explicit_worst.name}); worst major cast "
        f"{min(major):.3f}"
    )


def _map(function, *args, workers: int | None = None) -> list:
    workers = workers or min(len(args[0]), os.cpu_count() or 1)
    if workers <= 1:
        return list(map(function, *args))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(function, *args))


def alias_models(
    folders: list[Path],
    workers: int | None = None,
    choices: list | None = None,
    cache: Path | None = None,
) -> tuple[dict[str, AliasModel], str]:
    """For each novel, the alias model fitted on the names of all the others; and what those
    models merge on the novels they did not see: precision and recall among annotated pairs
    of an addressed name and a speaker lined up with it. `choices`: the novels' alias
    choices when they are read already."""
    found = choices or _map(alias_choices, folders, [cache] * len(folders), workers=workers)
    models = {}
    merged, right, same = Counter(), Counter(), Counter()
    for novel in found:
        model = models[novel.name] = fit_aliases([o for o in found if o is not novel])
        for x, rows, kind in zip(novel.xs, novel.right, novel.kinds, strict=True):
            p = model.probabilities(x, kind)
            chosen = {i for i, q in enumerate(p) if q >= model.threshold_for(kind)}
            merged[kind] += len(chosen)
            right[kind] += len(chosen & set(rows))
            same[kind] += len(rows)
    report = "\n".join(
        f"alias merges of {what} (leave-one-out): {merged[kind]} made, {right[kind]} right "
        f"(precision {right[kind] / max(1, merged[kind]):.3f}), recall "
        f"{right[kind] / max(1, same[kind]):.3f} of the {same[kind]} annotated pairs that are "
        f"one person"
        for kind, what in (("addressed", "addressed names"), ("surname", "titled surnames"))
    )
    return models, report


def load_all(
    folders: list[Path],
    workers: int | None = None,
    *,
    shipped: bool = False,
    cache: Path | None = None,
    choices: list | None = None,
) -> list[Novel]:
    """Each novel read with the alias model fitted on the other novels (`shipped`: with
    the shipped one); `cache`: a folder that keeps the parse between calls; `choices`: the
    novels' alias choices, when they are read already."""
    folders = [f for f in folders if (f / "quotation_info.csv").is_file()]
    caches = [cache] * len(folders)
    if shipped or len(folders) < 2:
        return _map(load, folders, [None] * len(folders), caches, workers=workers)
    choices = choices or _map(alias_choices, folders, caches, workers=workers)
    models, report = alias_models(folders, workers, choices, cache)
    print(report, file=sys.stderr)
    firsts = {c.name: c.take_first() for c in choices}
    return _map(
        load,
        folders,
        [models[f.name] for f in folders],
        caches,
        [firsts.get(f.name) for f in folders],
        workers=workers,
    )


def leave_one_out(
    novels: list[Novel], threshold: float | None = None, everything: SpeakerModel | None = None
) -> list[Scores]:
    """Each novel scored by a model fitted on all the others (each fit starts from the model
    of all novels, `everything` when it is fitted already, which only makes it quicker: the
    fit is convex)."""
    everything = everything or fit_on(novels)
    return [
        score(n, fit_on([o for o in novels if o is not n], everything), threshold) for n in novels
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument(
        "--shipped", action="store_true", help="use the shipped weights, not leave-one-out"
    )
    parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    parser.add_argument(
        "--cache", type=Path, default=None, help="a folder that keeps the parse between runs"
    )
    parser.add_argument(
        "--thresholds",
        action="store_true",
        help="also print precision and share voiced at other thresholds (leave-one-out)",
    )
    args = parser.parse_args(argv)
    novels = load_all(args.folders, args.workers, shipped=args.shipped, cache=args.cache)
    for n in novels:
        if n.unread:
            print(f"{n.name}: words lost or added in {', '.join(n.unread)}", file=sys.stderr)
    if args.shipped or len(novels) < 2:
        model = load_shipped()
        scores = [score(n, model) for n in novels]
    else:
        scores = leave_one_out(novels)
    for s in scores:
        print(report(s))
    if len(scores) > 1:
        print(summary(scores))
    if args.thresholds and len(novels) > 1:
        for t in THRESHOLDS:
            at = leave_one_out(novels, t)
            print(f"threshold {t:.2f}: mean precision {mean(s.precision for s in at):.3f}, "
                  f"voiced {mean(s.share_voiced for s in at):.2f}, worst precision "
                  f"{min(s.precision for s in at):.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
