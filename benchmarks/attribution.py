"""Speaker attribution measured on PDNC-format folders (novel_text.txt, quotation_info.csv,
character_info.csv).

    python benchmarks/attribution.py ../shared/corpus/pdnc/*/

Prints, per novel and overall: quote detection recall, attribution accuracy overall and per
quoteType (Explicit, Anaphoric, Implicit), and character gender accuracy (major characters and
all annotated ones). A predicted speaker is right when it equals the annotated speaker's main
name or one of its aliases, ignoring case and a leading article ("the March Hare" is the
annotated "March Hare").
"""

from __future__ import annotations

import argparse
import ast
import csv
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from audiobook.agents.attribution import attribute
from audiobook.ingest import read_book

GENDERS = {"M": "male", "F": "female"}


@dataclass
class Scores:
    quotes: Counter = field(default_factory=Counter)  # quoteType -> total
    right: Counter = field(default_factory=Counter)  # quoteType -> right
    spans: int = 0
    found: int = 0
    gender_major: list[bool] = field(default_factory=list)
    gender_all: list[bool] = field(default_factory=list)

    def add(self, other: Scores) -> None:
        self.quotes.update(other.quotes)
        self.right.update(other.right)
        self.spans += other.spans
        self.found += other.found
        self.gender_major += other.gender_major
        self.gender_all += other.gender_all

    def accuracy(self, kind: str | None = None) -> float:
        total = sum(self.quotes.values()) if kind is None else self.quotes[kind]
        right = sum(self.right.values()) if kind is None else self.right[kind]
        return right / total if total else float("nan")


def _names(row: dict) -> set[str]:
    raw = row["Aliases"]
    try:
        aliases = set(ast.literal_eval(raw)) if raw else set()
    except (ValueError, SyntaxError):
        aliases = {raw}
    return {_plain(n) for n in aliases | {row["Main Name"]}}


def _plain(name: str) -> str:
    name = " ".join(name.lower().split())
    for article in ("the ", "a ", "an "):
        name = name.removeprefix(article)
    return name


def evaluate(folder: Path) -> Scores:
    book = read_book(folder / "novel_text.txt", keep_front_matter=True)
    result = attribute(book.chapters)
    quotes = sorted((s for s in result.segments if s.kind == "quote"), key=lambda s: s.span.start)
    starts = [s.span.start for s in quotes]
    with (folder / "character_info.csv").open(encoding="utf-8") as f:
        characters = list(csv.DictReader(f))
    names_of = {row["Main Name"]: _names(row) for row in characters}
    scores = Scores()

    def covering(start: int, end: int):
        import bisect

        i = bisect.bisect_right(starts, start) - 1
        for s in quotes[max(0, i - 1) : i + 2]:
            overlap = min(end, s.span.end) - max(start, s.span.start)
            if overlap > 0 and overlap >= 0.5 * (end - start):
                return s
        return None

    with (folder / "quotation_info.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            spans = ast.literal_eval(row["quoteByteSpans"])
            hits = [covering(s, e) for s, e in spans]
            scores.spans += len(spans)
            scores.found += sum(h is not None for h in hits)
            kind = row["quoteType"]
            scores.quotes[kind] += 1
            predicted = next((h.speaker for h in hits if h is not None), None)
            gold = names_of.get(row["speaker"], {_plain(row["speaker"])})
            if predicted and _plain(predicted) in gold:
                scores.right[kind] += 1
    for row in characters:
        gender = GENDERS.get(row["Gender"])
        if gender is None:
            continue
        names = _names(row)
        ours = next(
            (c for c in result.cast.characters if {_plain(a) for a in c.aliases} & names), None
        )
        ok = ours is not None and ours.gender == gender
        scores.gender_all.append(ok)
        if row["Category"] == "major":
            scores.gender_major.append(ok)
    return scores


def report(name: str, s: Scores) -> str:
    def pct(values: list[bool]) -> str:
        return f"{sum(values)}/{len(values)}" if values else "n/a"

    kinds = " ".join(f"{k} {s.accuracy(k):.3f} (n={s.quotes[k]})" for k in
                     ("Explicit", "Anaphoric", "Implicit"))  # fmt: skip
    return (
        f"{name}: detection recall {s.found / max(1, s.spans):.3f} | accuracy "
        f"{s.accuracy():.3f} (n={sum(s.quotes.values())}) | {kinds} | gender major "
        f"{pct(s.gender_major)} all {pct(s.gender_all)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args(argv)
    total = Scores()
    for folder in args.folders:
        if not (folder / "quotation_info.csv").is_file():
            print(f"skipping {folder}: no quotation_info.csv", file=sys.stderr)
            continue
        scores = evaluate(folder)
        total.add(scores)
        print(report(folder.name or str(folder), scores))
    if len(args.folders) > 1:
        print(report("ALL", total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
