"""End to end: real audio from the embedded engine, checked the way ffprobe would."""

from __future__ import annotations

import re

import pytest
from helpers import ALICE_EPUB, EXAMPLE, SHARED, needs_shared, run_audiobook
from mp4boxes import quicktime_chapters

from audiobook.ingest import read_book
from audiobook.render.ffmpeg import probe


@pytest.mark.slow
def test_example_becomes_a_chaptered_tagged_m4b_with_piper(tmp_path, work_dir):
    out = tmp_path / "story.m4b"
    result = run_audiobook("convert", str(EXAMPLE), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"Wrote {out}" in result.stdout
    info = probe(out)
    assert len(info.streams) == 1 and info.streams[0].startswith("Audio: aac")
    assert "mono" in info.streams[0]
    assert info.tags["title"] == "The Clockmaker's Apprentice"
    assert info.tags["artist"] == "The audiobook project"
    assert [c[2] for c in info.chapters] == [
        "Chapter 1: The Stopped Clock",
        "Chapter 2: The Note in the Clock",
    ]
    assert info.chapters[0][0] == 0 and info.chapters[0][1] == pytest.approx(info.chapters[1][0])
    assert info.chapters[-1][1] == pytest.approx(info.duration, abs=0.3)
    # Apple's players read the QuickTime chapter track, not the Nero list probe() shows.
    qt = quicktime_chapters(out)
    assert [t for _, t in qt] == [c[2] for c in info.chapters]
    assert [s for s, _ in qt] == pytest.approx([c[0] for c in info.chapters], abs=0.01)
    book = read_book(EXAMPLE)
    chars = sum(len(c.title) + sum(len(p.text) for p in c.paragraphs) for c in book.chapters)
    assert 13 <= chars / info.duration <= 17, chars / info.duration
    assert not list(tmp_path.glob(".*partial"))


def test_same_command_again_reuses_every_clip(tmp_path, work_dir):
    args = ("convert", str(EXAMPLE), "--tts", "tone", "-o", str(tmp_path / "a.m4b"))
    first = run_audiobook(*args, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    made = int(re.search(r"Clips \(tone\): (\d+) synthesised, 0 reused", first.stdout).group(1))
    duration = probe(tmp_path / "a.m4b").duration
    second = run_audiobook(*args, cwd=tmp_path)
    assert f"Clips (tone): 0 synthesised, {made} reused" in second.stdout
    assert probe(tmp_path / "a.m4b").duration == pytest.approx(duration)


@pytest.mark.slow
@needs_shared(ALICE_EPUB)
def test_alice_first_two_chapters_named_as_the_book_names_them(tmp_path, work_dir):
    # The tone engine keeps the suite under ten minutes (real Piper took 90 s here); real
    # speech end to end is the example's test above.
    out = tmp_path / "alice.m4b"
    result = run_audiobook(
        "convert", str(ALICE_EPUB), "--chapters", "1-2", "--tts", "tone", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    info = probe(out)
    assert [c[2] for c in info.chapters] == [
        "CHAPTER I. Down the Rabbit-Hole",
        "CHAPTER II. The Pool of Tears",
    ]
    assert info.tags["title"] == "Alice's Adventures in Wonderland"
    assert info.tags["artist"] == "Lewis Carroll"
    assert 20 * 60 < info.duration < 35 * 60


@needs_shared(SHARED / "corpus" / "epub" / "Row-Your-Boat-3.0.epub")
def test_cover_is_embedded(tmp_path, work_dir):
    out = tmp_path / "boat.m4b"
    epub = SHARED / "corpus" / "epub" / "Row-Your-Boat-3.0.epub"
    result = run_audiobook("convert", str(epub), "--tts", "tone", "-o", str(out))
    assert result.returncode == 0, result.stderr
    info = probe(out)
    assert any(s.startswith("Video: mjpeg") and "attached pic" in s for s in info.streams)
    assert info.tags["title"] == "Row, Row, Row Your Boat"
