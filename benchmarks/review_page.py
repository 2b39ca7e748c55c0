"""How fast the review page opens on a long book, in one run.

    python benchmarks/review_page.py [BOOK]   # default: Pride and Prejudice from ../shared

Writes the book's script (tone voices, so no synthesis), serves the page with the real server,
and prints the time to answer the page and its longest chapter over HTTP, and, where Chromium
is installed, the time a real browser takes from navigation to the first chapter shown. The
target: under 2 s for a one-hour book; the default book is about twelve hours.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AUDIOBOOK_SHARED", ROOT.parent / "shared"))
DEFAULT = SHARED / "corpus" / "pdnc" / "PrideAndPrejudice" / "novel_text.txt"


def main() -> None:
    book = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, AUDIOBOOK_OUTPUT_WORK_DIR=str(Path(tmp) / "work"))
        copy = Path(tmp) / (book.stem + ".txt")
        shutil.copyfile(book, copy)
        script = copy.with_suffix(".jsonl")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "audiobook", "script", str(copy), "-o", str(script),
                        "--tts", "tone"], check=True, env=env, capture_output=True)  # fmt: skip
        print(f"analysis and script: {time.perf_counter() - started:.1f} s "
              f"({script.stat().st_size / 1e6:.1f} MB of script)")  # fmt: skip
        proc = subprocess.Popen(
            [sys.executable, "-m", "audiobook", "review", str(script), "--no-browser",
             "--tts", "tone"], stdout=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        try:
            url = proc.stdout.readline().split("Review page: ")[1].strip()
            measure(url, script)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def measure(url: str, script: Path) -> None:
    import json

    rows = [json.loads(line) for line in script.read_text().splitlines()[1:]]
    words = sum(len(r["text"].split()) for r in rows)
    hours = sum(len(r["text"]) for r in rows) / 19 / 3600  # Piper's pace, ~19 characters a second
    longest, lines = Counter(r["chapter"] for r in rows).most_common(1)[0]
    print(f"{len(rows)} lines, {words} words, about {hours:.1f} h of audio; "
          f"longest chapter {longest} ({lines} lines)")  # fmt: skip
    base, token = url.split("/?token=")
    timed = []
    for what, path in (("page", "/"), ("longest chapter", f"/chapter/{longest}")):
        started = time.perf_counter()
        answer = requests.get(base + path, params={"token": token}, timeout=60)
        answer.raise_for_status()
        seconds, size = time.perf_counter() - started, len(answer.content) // 1024
        timed.append(f"{what} {seconds:.3f} s ({size} KB)")
    print("HTTP: " + ", ".join(timed))
    chromium = shutil.which("chromium")
    if chromium is None:
        print("browser: not measured (no chromium)")
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_selector("li.line")
        opened = time.perf_counter() - started
        started = time.perf_counter()
        page.select_option("#chapter-select", str(longest))
        shown = f"document.querySelector('ol.lines')?.dataset.chapter == '{longest}'"
        page.wait_for_function(shown)
        switched = time.perf_counter() - started
        browser.close()
    print(f"browser: page open with chapter 1 shown {opened:.2f} s; "
          f"longest chapter shown {switched:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
