"""kill -9 at about half way, run again: count clips synthesised twice, and compare the resumed
book with an uninterrupted one (the deterministic `tone` provider makes them comparable).

    python benchmarks/resume.py [--minutes 30] [--tts tone]
"""

from __future__ import annotations

import argparse
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_book  # noqa: E402

from audiobook.render.ffmpeg import probe  # noqa: E402


def convert(book: Path, out: Path, work: Path, tts: str, **popen) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "audiobook",
        "convert",
        str(book),
        "--tts",
        tts,
        "-q",
        "-o",
        str(out),
        "--work-dir",
        str(work),
    ]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def clips(work: Path) -> set[str]:
    return {p.name for p in work.rglob("*.wav") if "clips" in p.parts}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--tts", default="tone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        book = write_book(tmp / "book.txt", args.minutes / 60, chapters=4)
        clean = convert(book, tmp / "clean.m4b", tmp / "clean-work", args.tts)
        clean.communicate()
        total = len(clips(tmp / "clean-work"))
        work = tmp / "work"
        run = convert(book, tmp / "resumed.m4b", work, args.tts)
        while len(clips(work)) < total // 2 and run.poll() is None:
            time.sleep(0.02)
        run.send_signal(signal.SIGKILL)
        run.wait()
        kept = clips(work)
        again = convert(book, tmp / "resumed.m4b", work, args.tts)
        out, err = again.communicate()
        if again.returncode != 0:
            print(err, file=sys.stderr)
            return 1
        made, reused = map(
            int, re.search(r"Clips \(\w+\): (\d+) synthesised, (\d+) reused", out).groups()
        )
        twice = made - (total - len(kept))
        a, b = probe(tmp / "resumed.m4b"), probe(tmp / "clean.m4b")
        print(
            f"{args.minutes:g} min book, {total} clips; killed with {len(kept)} clips on disk "
            f"({len(kept) / total:.0%})"
        )
        print(f"resumed run: {made} synthesised, {reused} reused; synthesised twice: {twice}")
        print(
            f"duration resumed {a.duration:.3f} s, uninterrupted {b.duration:.3f} s; "
            f"chapters identical: {a.chapters == b.chapters}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
