"""The review page in a real browser (Chromium, driven by Playwright) against the example story:
the cast shows, a sample plays, a speaker changed on the page is in the script with its voice,
and a render made from the page holds the change.

Chromium is Debian's (`apt-get install chromium`; `.ci/run` installs it). Set
AUDIOBOOK_REVIEW_SCREENSHOT=PATH to keep the page's picture (README's is made so)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import EXAMPLE, run_audiobook

playwright = pytest.importorskip("playwright.sync_api")
SCREENSHOT = os.environ.get("AUDIOBOOK_REVIEW_SCREENSHOT")  # read before work_dir clears it
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium: apt-get install chromium"),
]


@pytest.fixture
def review_page(tmp_path, work_dir):
    """`audiobook review` of the example story (tone voices), as a user starts it."""
    book = tmp_path / "story.txt"
    book.write_bytes(EXAMPLE.read_bytes())
    cast = tmp_path / "cast.toml"  # two tones, the narrator on one: Nell shares it
    cast.write_text('[characters.Nell]\nvoice = "low"\n', encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "audiobook", "review", str(book), "--no-browser", "--tts", "tone",
         "--cast", str(cast)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        lines = []
        while not (line := proc.stdout.readline()).startswith("Review page: "):
            lines.append(line)
            if not line:
                raise AssertionError("".join(lines) + proc.stderr.read())
        yield line.split("Review page: ")[1].strip(), book.with_suffix(".jsonl")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def rows(script: Path) -> list[dict]:
    return [json.loads(line) for line in script.read_text().splitlines()]


def test_review_in_the_browser(review_page, tmp_path):
    url, script = review_page
    assert script.is_file()  # the book was analysed and its script written beside it
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)

        # The cast shows, most lines first, each with a voice.
        names = page.locator("table.cast tbody tr").evaluate_all(
            "rows => rows.map(r => r.dataset.name)"
        )
        header = rows(script)[0]
        assert names and set(names) <= set(header["cast"]) | {None}

        # A sample plays: the audio element gets a source that answers 200 with audio.
        page.locator("table.cast tbody tr").first.locator("button.sample").click()
        page.wait_for_function("document.getElementById('player').src.includes('/clips/')")
        src = page.eval_on_selector("#player", "a => a.src")
        answer = page.request.get(src)
        assert answer.status == 200 and answer.headers["content-type"] == "audio/wav"
        assert answer.body()[:4] == b"RIFF"

        # Change a quote's speaker to a cast member of another voice.
        page.wait_for_selector("li.line.quote")
        quote = page.locator("li.line.quote").first
        index = int(quote.get_attribute("data-index"))
        before = rows(script)[index + 1]
        old_voice = quote.get_attribute("data-voice")
        other = next(n for n, c in header["cast"].items() if c["voice"] != old_voice)
        new_voice = header["cast"][other]["voice"]
        quote.locator("button.edit").click()
        quote.locator("input[name=speaker]").fill(other)
        quote.locator("button[type=submit]").click()
        changed = page.locator(f"#line-{index}")
        changed.locator(f"xpath=self::*[@data-voice='{new_voice}']").wait_for()
        saved = rows(script)[index + 1]
        assert saved["speaker"] == other and saved["how"] == "reviewed"
        assert before["speaker"] != other
        assert rows(script)[0]["cast"][other]["voice"] == new_voice  # its voice, from the cast

        # Hear the changed line: its clip is in the new voice.
        changed.locator("button.play").click()
        page.wait_for_function(
            "n => document.getElementById('player').src.includes('/clips/')", arg=index
        )

        # Render from the page; the book is made, and only what changed is synthesised.
        page.click("#render-book")
        page.wait_for_selector(
            "#render-status[data-state=done], #render-status[data-state=failed]",
            timeout=240_000,
        )
        status = page.text_content("#render-status")
        assert page.get_attribute("#render-status", "data-state") == "done", status
        book = script.with_suffix(".m4b")
        assert book.is_file() and book.stat().st_size > 10_000, status
        page.screenshot(path=SCREENSHOT or str(tmp_path / "review.png"))
        assert not errors, errors
        browser.close()

    # The rendered book has the change: rendering the saved script again makes nothing new.
    again = run_audiobook("render", str(script), "-o", str(tmp_path / "again.m4b"),
                          "--tts", "tone", "-q")  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert " 0 synthesised" in again.stdout, again.stdout
