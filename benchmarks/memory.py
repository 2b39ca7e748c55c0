"""Peak memory of a conversion: with the fast `tone` provider on synthetic 1-hour and 10-hour
books (does memory grow with the book?), and with the embedded Piper voice on a real novel
(what a user's machine needs), next to the Piper engine's own peak on the same text.

    python benchmarks/memory.py [--hours 1 10]
    python benchmarks/memory.py --engine piper [--book NOVEL.txt] [--chapters 2-3]

Each conversion runs in its own process; the peak resident set of that process and everything
it started (ffmpeg included) is printed. With --engine piper the whole novel is analysed (its
parse included) and the chosen chapters are synthesised; the engine alone is measured in a
second process that loads the voice and speaks the same chapters' clips, nothing else.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_book  # noqa: E402

MEASURE = """
import json, resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
result = {"rc": proc.returncode, "peak_kb": peak, "out": proc.stdout, "err": proc.stderr[-500:]}
print(json.dumps(result))
"""


def measure(book: Path, tmp: Path) -> tuple[float, float, str]:
    started = time.monotonic()
    cmd = [sys.executable, "-m", "audiobook", "convert", str(book), "--tts", "tone", "-q",
           "-o", str(tmp / f"{book.stem}.m4b"), "--work-dir", str(tmp / "work")]  # fmt: skip
    result = json.loads(subprocess.run([sys.executable, "-c", MEASURE, *cmd],
                                       capture_output=True, text=True).stdout)  # fmt: skip
    if result["rc"] != 0:
        raise SystemExit(f"conversion failed: {result['err']}")
    summary = next(line for line in result["out"].splitlines() if line.startswith("Wrote"))
    return result["peak_kb"] / 1024, time.monotonic() - started, summary


ENGINE_ALONE = """
import resource, sys
from audiobook_piper import PiperProvider
from audiobook.ingest import read_book
from audiobook.selection import parse_chapters
from audiobook.text.chunk import chunk_text
from audiobook.text.normalize import normalize
provider = PiperProvider()
voice = provider.default_voice()
book = read_book(sys.argv[1])
for index in parse_chapters(sys.argv[2], len(book.chapters)):
    for paragraph in book.chapters[index].paragraphs:
        for chunk in chunk_text(normalize(paragraph.text, book.language), provider.max_chars):
            provider.synthesize(chunk, voice)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
DEFAULT_NOVEL = Path(__file__).resolve().parents[2] / "shared/corpus/pdnc/Emma/novel_text.txt"


def measure_piper(book: Path, chapters: str, tmp: Path) -> None:
    started = time.monotonic()
    cmd = [sys.executable, "-m", "audiobook", "convert", str(book), "--chapters", chapters,
           "-q", "-o", str(tmp / "book.m4b"), "--work-dir", str(tmp / "work")]  # fmt: skip
    run = json.loads(subprocess.run([sys.executable, "-c", MEASURE, *cmd],
                                    capture_output=True, text=True).stdout)  # fmt: skip
    if run["rc"] != 0:
        raise SystemExit(f"conversion failed: {run['err']}")
    wall = time.monotonic() - started
    summary = next(line for line in run["out"].splitlines() if line.startswith("Wrote"))
    alone = subprocess.run([sys.executable, "-c", ENGINE_ALONE, str(book), chapters],
                           capture_output=True, text=True, check=True)  # fmt: skip
    engine = int(alone.stdout.split()[-1]) / 1024
    whole = run["peak_kb"] / 1024
    print(f"piper, {book.name} chapters {chapters}: whole run peak RSS {whole:.0f} MB, "
          f"wall {wall:.0f} s | {summary}")  # fmt: skip
    print(f"piper engine alone on the same clips: peak RSS {engine:.0f} MB")
    print(f"whole run / engine alone: {whole / engine:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--engine", choices=["tone", "piper"], default="tone")
    parser.add_argument("--book", type=Path, default=DEFAULT_NOVEL)
    parser.add_argument("--chapters", default="2-3")
    args = parser.parse_args()
    if args.engine == "piper":
        with tempfile.TemporaryDirectory() as tmp:
            measure_piper(args.book, args.chapters, Path(tmp))
        return
    peaks = {}
    with tempfile.TemporaryDirectory() as tmp:
        for hours in args.hours:
            book = write_book(
                Path(tmp) / f"book-{hours:g}h.txt", hours, chapters=max(3, int(hours * 3))
            )
            peak, wall, summary = measure(book, Path(tmp))
            peaks[hours] = peak
            print(f"{hours:g} h book: peak RSS {peak:.0f} MB, wall {wall:.0f} s | {summary}")
    low, high = min(args.hours), max(args.hours)
    print(f"peak RSS ratio {high:g} h / {low:g} h: {peaks[high] / peaks[low]:.2f}")


if __name__ == "__main__":
    main()
