"""Hearing voices before choosing (`voices --sample`) and freeing the job folders (`jobs`)."""

from __future__ import annotations

import os
import time
import wave

from click.testing import CliRunner

from audiobook.cli import main


def test_voice_samples_are_written_for_every_voice_by_default(tmp_path, work_dir):
    out = tmp_path / "samples"
    result = CliRunner().invoke(main, ["voices", "--sample", "--tts", "tone", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["voice-high.wav", "voice-low.wav"]
    for path in out.iterdir():
        with wave.open(str(path)) as w:
            assert w.getnframes() / w.getframerate() > 3  # a sentence, not a blip
    assert "Wrote 2 sample(s) from tone" in result.output


def test_named_voices_only_and_an_unknown_voice_is_one_line(tmp_path, work_dir):
    out = tmp_path / "samples"
    runner = CliRunner()
    one = runner.invoke(
        main, ["voices", "--sample", "high", "--tts", "tone", "-o", str(out), "--text", "Hello."]
    )
    assert one.exit_code == 0, one.output
    assert [p.name for p in out.iterdir()] == ["voice-high.wav"]
    bad = runner.invoke(main, ["voices", "--sample", "hihg", "--tts", "tone", "-o", str(out)])
    assert bad.exit_code != 0 and "tone has no voice 'hihg' (available: low, high)" in bad.output
    assert "Traceback" not in bad.output


def _job(root, name: str, days_old: float, size: int = 1000):
    folder = root / name
    (folder / "clips" / "ab").mkdir(parents=True)
    clip = folder / "clips" / "ab" / "abcd.wav"
    clip.write_bytes(b"\0" * size)
    then = time.time() - days_old * 86400
    for path in (clip, clip.parent, clip.parent.parent, folder):
        os.utime(path, (then, then))
    return folder


def test_jobs_lists_and_cleans_only_job_folders(tmp_path, work_dir):
    old = _job(work_dir, "old-book-0123456789ab", days_old=40, size=3 * 1024 * 1024)
    new = _job(work_dir, "new-book-ba9876543210", days_old=1)
    mine = work_dir / "my-notes"
    mine.mkdir()
    runner = CliRunner()
    listed = runner.invoke(main, ["jobs"])
    assert listed.exit_code == 0, listed.output
    assert "2 job folder(s)" in listed.output and "my-notes" not in listed.output
    assert "3.0 MB" in listed.output and "40 days ago" in listed.output

    dry = runner.invoke(main, ["jobs", "clean", "--older-than", "30d", "--dry-run"])
    assert f"would remove {old}" in dry.output and old.exists()
    cleaned = runner.invoke(main, ["jobs", "clean", "--older-than", "30d"])
    assert cleaned.exit_code == 0, cleaned.output
    assert "Removed 1 job folder(s), freed 3.0 MB" in cleaned.output
    assert not old.exists() and new.exists()
    runner.invoke(main, ["jobs", "clean"])
    assert not new.exists() and mine.exists()


def test_a_bad_age_is_one_line(work_dir):
    result = CliRunner().invoke(main, ["jobs", "clean", "--older-than", "soon"])
    assert result.exit_code != 0
    assert "--older-than takes an age such as 30d" in result.output
