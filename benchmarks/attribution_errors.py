"""What the attributor gets wrong, listed for reading (the figures are benchmarks/attribution.py's).

    python benchmarks/attribution_errors.py ../shared/corpus/pdnc/*/ --kind Explicit
    python benchmarks/attribution_errors.py ../shared/corpus/pdnc/*/ --cast

Leave-one-novel-out, as the benchmark: each novel is read and scored by models fitted on the
others. `--kind` lists every wrong quote of that quoteType (its text and tag, the annotated
speaker, the entry chosen and the candidates' probabilities); `--cast` lists every major
character that is not one cast entry with the right gender, with the entries that hold it.
`--cache DIR` keeps the parse between runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attribution import load_all  # noqa: E402
from pdnc import GENDERS, Characters, Novel, fit_on  # noqa: E402

from audiobook.agents.attribution import choose_from  # noqa: E402


def wrong_quotes(novel: Novel, model, kind: str) -> list[str]:
    probabilities = novel.probabilities(model)
    chosen = choose_from(probabilities, novel.follow, novel.unnamed)
    lines = []
    for q in novel.quotations:
        if q.kind != kind or not q.items:
            continue
        i = q.items[0]
        source, best, p = chosen[i]
        name = novel.candidates[source][best]
        if novel.mapping.get(name) == q.speaker:
            continue
        ranked = sorted(
            zip(novel.candidates[source], probabilities[source], strict=True), key=lambda t: -t[1]
        )
        shown = ", ".join(f"{n}={v:.2f}" for n, v in ranked[:4])
        missing = "" if novel.labels[i] else "  [speaker not among the candidates]"
        lines.append(
            f"  {novel.contexts[i][:240]}\n    gold {q.speaker} | chose {name} -> "
            f"{novel.mapping.get(name)} ({p:.2f}) | {shown}{missing}"
        )
    return lines


def cast_failures(novel: Novel, folder: Path) -> list[str]:
    people = Characters(folder)
    lines = []
    for row in people.rows:
        if row["Category"] != "major":
            continue
        main = row["Main Name"]
        mine = [
            e for e in novel.entries
            if e["stands_for"] == main and (e["mentions"] >= 2 or e["quotes"])
        ]  # fmt: skip
        gender = GENDERS.get(row["Gender"])
        if len(mine) == 1 and (gender is None or mine[0]["gender"] == gender):
            continue
        shown = "; ".join(
            f"{e['name']} ({e['gender']}, {e['mentions']} mentions, {e['quotes']} quotes, "
            f"aliases {e['aliases'][:6]})"
            for e in mine
        )
        lines.append(f"  {main} ({gender}): {len(mine)} entries: {shown or '-'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--kind", default=None, help="Explicit, Anaphoric or Implicit")
    parser.add_argument("--cast", action="store_true", help="list the failing major characters")
    parser.add_argument("--cache", type=Path, default=None, help="a folder to keep the parse")
    args = parser.parse_args(argv)
    folders = [f for f in args.folders if (f / "quotation_info.csv").is_file()]
    novels = load_all(folders, cache=args.cache)
    everything = fit_on(novels) if args.kind else None
    for novel, folder in zip(novels, folders, strict=True):
        lines = []
        if args.kind:
            model = fit_on([o for o in novels if o is not novel], everything)
            lines += wrong_quotes(novel, model, args.kind)
        if args.cast:
            lines += cast_failures(novel, folder)
        print(f"{novel.name}: {len(lines)}")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
