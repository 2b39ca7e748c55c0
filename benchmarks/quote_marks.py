"""Speaker attribution on the same PDNC novels typeset three ways: straight double marks (as
PDNC gives them), curly double marks (“...”, as most EPUBs), single marks (‘...’, as many
British editions, where the mark that closes a quote is also the apostrophe: "wi’ her"), and
straight single marks, as plain-text British books type them ('Yes,' said he).

    python benchmarks/quote_marks.py ../shared/corpus/pdnc/*/ --cache DIR

Each mark is rewritten one character for one, so the annotated spans still hold, and each
style is attributed with the shipped weights. The rewriting cannot restore what PDNC's text
dropped: dashes and the marks of quotes nested in quotes became spaces there ("you see " and
by a nod", "they cry,    Your lamp's out!"), so a rewritten mark may open where a printed one
closes. Compare the styles with each other, not with `attribution.py`'s leave-one-out table.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attribution import load_all, mean, report  # noqa: E402
from pdnc import score  # noqa: E402

from audiobook.agents.attribution.model import load_shipped  # noqa: E402

# Each style: the marks of a quote, of a quote inside one, and the apostrophe.
STYLES = {
    "straight": None,
    "curly": ("“”", "‘’", "’"),
    "single": ("‘’", "“”", "’"),
    "plain-single": ("''", '""', "'"),  # plain-text books: 'Yes,' said he, 'it's mine.'
}


def retypeset(text: str, outer: str, inner: str, apostrophe: str) -> str:
    """`text` with PDNC's marks rewritten: `outer` for its double marks, `inner` for single
    marks that open and close a nested quote, `apostrophe` for every other single mark."""
    out = []
    nested = False
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch == '"':
            opens = prev.isspace() or prev in "([" or (prev in "—–-" and not after.isspace())
            out.append(outer[0] if opens else outer[1])  # "The meaning--" faltered Harriet
        elif ch == "'":
            if not nested and (prev.isspace() or prev in '"([—-') and after.isalpha():
                nested, mark = True, inner[0]
            elif nested and not prev.isspace() and not after.isalpha():
                nested, mark = False, inner[1]
            else:
                mark = apostrophe
            out.append(mark)
        else:
            nested = nested and not (ch == "\n" and after == "\n")  # a paragraph ends
            out.append(ch)
    return "".join(out)


def copy_as(folder: Path, into: Path, marks: tuple[str, str, str]) -> Path:
    target = into / folder.name
    target.mkdir(parents=True)
    text = (folder / "novel_text.txt").read_text(encoding="utf-8")
    (target / "novel_text.txt").write_text(retypeset(text, *marks), encoding="utf-8")
    for name in ("quotation_info.csv", "character_info.csv"):
        shutil.copy(folder / name, target / name)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    parser.add_argument(
        "--cache", type=Path, default=None, help="a folder that keeps the parse between runs"
    )
    args = parser.parse_args(argv)
    model = load_shipped()
    with tempfile.TemporaryDirectory() as scratch:
        for style, marks in STYLES.items():
            folders = args.folders
            if marks is not None:
                (Path(scratch) / style).mkdir()
                folders = [copy_as(f, Path(scratch) / style, marks) for f in folders]
            novels = load_all(folders, args.workers, shipped=True, cache=args.cache)
            scores = [score(n, model) for n in novels]
            for s in scores:
                print(f"{style:8} {report(s)}")
            print(
                f"{style:8} MEAN over {len(scores)} novels: recall "
                f"{mean(s.recall for s in scores):.3f} | accuracy "
                f"{mean(s.accuracy() for s in scores):.3f} | precision "
                f"{mean(s.precision for s in scores):.3f} at "
                f"{mean(s.share_voiced for s in scores):.2f} voiced"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
