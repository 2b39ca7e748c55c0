"""Overhead of the whole conversion over the engine's own synthesis time, with embedded Piper.

    python benchmarks/overhead.py [INPUT] [--chapters 1-2]

Runs `audiobook convert` on a fresh job folder and prints wall time / engine time (the sum of
the time spent inside the TTS provider for the same clips), measured in one run.
Default input: the first two chapters of the PDNC Alice novel (about 25 minutes of audio).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = (
    ROOT.parent / "shared" / "corpus" / "pdnc" / "AlicesAdventuresInWonderland" / "novel_text.txt"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--chapters", default="1-2")
    parser.add_argument("--tts", default="piper")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "audiobook", "convert", str(args.input), "--chapters",
             args.chapters, "--tts", args.tts, "-q", "-o", f"{tmp}/out.m4b", "--work-dir",
             f"{tmp}/work"],
            capture_output=True, text=True,
        )  # fmt: skip
        wall = time.monotonic() - started
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        return 1
    engine = float(re.search(r"engine time ([\d.]+) s", proc.stdout).group(1))
    audio = re.search(r"\((\d+) chapters?, (\d+):(\d+):(\d+) of audio\)", proc.stdout)
    seconds = int(audio.group(2)) * 3600 + int(audio.group(3)) * 60 + int(audio.group(4))
    print(f"input: {args.input.name} chapters {args.chapters}, {seconds / 60:.1f} min of audio")
    print(f"engine time {engine:.1f} s, wall time {wall:.1f} s (whole command)")
    print(f"overhead (wall / engine): {wall / engine:.3f}")
    print(f"real-time factor (wall / audio): {wall / seconds:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
