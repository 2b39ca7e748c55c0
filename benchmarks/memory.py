"""Peak memory converting a synthetic 1-hour and a 10-hour book with the fast `tone` provider.

    python benchmarks/memory.py [--hours 1 10]

Each conversion runs in its own process; the peak resident set of that process and everything
it started (ffmpeg included) is printed, and the ratio of the longest to the shortest book.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, nargs="+", default=[1.0, 10.0])
    args = parser.parse_args()
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
