"""Killing a conversion half way loses nothing: the same command finishes without redoing clips."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

from conftest import EXAMPLE, run_audiobook

from audiobook.render.ffmpeg import probe

MIN_CLIPS = 10  # kill once this many clips are on disk (the example has over 30)


def _clips(work_dir):
    return sorted(p.name for p in work_dir.rglob("*.wav") if "clips" in p.parts)


def _counts(stdout: str) -> tuple[int, int]:
    m = re.search(r"Clips \(\w+\): (\d+) synthesised, (\d+) reused", stdout)
    assert m, stdout
    return int(m.group(1)), int(m.group(2))


def _start(tmp_path, out):
    return subprocess.Popen(
        [sys.executable, "-m", "audiobook", "convert", str(EXAMPLE), "-o", str(out), "-q"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_clips(work_dir, proc, count, timeout=120):
    deadline = time.monotonic() + timeout
    while len(_clips(work_dir)) < count:
        assert proc.poll() is None, "finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_kill_9_half_way_then_resume_resynthesises_nothing(tmp_path, work_dir):
    out = tmp_path / "story.m4b"
    proc = _start(tmp_path, out)
    _wait_for_clips(work_dir, proc, MIN_CLIPS)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = _clips(work_dir)
    assert not out.exists() and not list(tmp_path.glob(".*partial"))

    result = run_audiobook("convert", str(EXAMPLE), "-o", str(out), "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    made, reused = _counts(result.stdout)
    assert reused == len(done) and made > 0
    assert set(done) <= set(_clips(work_dir)) and len(_clips(work_dir)) == made + reused
    assert not [p for p in work_dir.rglob("*.tmp")]

    # The resumed book is the book an uninterrupted run makes.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    env = {"AUDIOBOOK_OUTPUT_WORK_DIR": str(fresh / "work")}
    clean = run_audiobook("convert", str(EXAMPLE), "-o", str(fresh / "s.m4b"), "-q", env=env)
    assert clean.returncode == 0, clean.stderr
    resumed, uninterrupted = probe(out), probe(fresh / "s.m4b")
    # Piper samples noise inside its model, so two syntheses differ by a few milliseconds.
    assert [c[2] for c in resumed.chapters] == [c[2] for c in uninterrupted.chapters]
    for a, b in zip(resumed.chapters, uninterrupted.chapters, strict=True):
        assert abs(a[0] - b[0]) < 1.0 and abs(a[1] - b[1]) < 1.0
    assert abs(resumed.duration - uninterrupted.duration) < 0.02 * uninterrupted.duration


def test_ctrl_c_says_how_to_resume_and_leaves_no_output(tmp_path, work_dir):
    out = tmp_path / "story.m4b"
    proc = _start(tmp_path, out)
    _wait_for_clips(work_dir, proc, 3)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "interrupted; clips made so far are kept: run the same command to resume" in stderr
    assert "Traceback" not in stderr
    assert not out.exists()
    assert os.listdir(work_dir)
