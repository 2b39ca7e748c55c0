"""The script, the cast file and rendering an edited script, as a user runs them."""

from __future__ import annotations

import json
import re

from conftest import EXAMPLE, run_audiobook

from audiobook.render.ffmpeg import probe


def _lines(path):
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return rows[0], rows[1:]


def test_script_has_speakers_voices_and_spans_into_the_file(tmp_path, work_dir):
    out = tmp_path / "story.jsonl"
    result = run_audiobook("script", str(EXAMPLE), "-o", str(out))
    assert result.returncode == 0, result.stderr
    header, rows = _lines(out)
    assert header["title"] == "The Clockmaker's Apprentice" and set(header["chapters"]) == {
        "1",
        "2",
    }
    text = EXAMPLE.read_text(encoding="utf-8")
    for row in rows:
        assert set(row) >= {"chapter", "kind", "speaker", "voice", "text", "span"}
        start, end = row["span"]
        assert " ".join(text[start:end].split()) == row["text"]
    quotes = [r for r in rows if r["kind"] == "quote"]
    assert {r["speaker"] for r in quotes} >= {"Nell", "Mrs. Alder"}
    narrator = {r["voice"] for r in rows if r["kind"] == "narration"}
    assert narrator == {"en_US-joe-medium"}
    voices = {r["speaker"]: r["voice"] for r in quotes if r.get("how") != "unsure"}
    assert all(r["voice"] == "en_US-joe-medium" for r in quotes if r.get("how") == "unsure")
    assert len({voices["Nell"], voices["Mrs. Alder"], "en_US-joe-medium"}) == 3
    assert all(v.endswith((":high", ":light", ":soft")) for k, v in voices.items()
               if k in ("Nell", "Mrs. Alder"))  # fmt: skip


def test_render_an_edited_script_resynthesises_only_the_edit(tmp_path, work_dir):
    script = tmp_path / "story.jsonl"
    assert run_audiobook("script", str(EXAMPLE), "--tts", "tone", "-o", str(script)).returncode == 0
    out = tmp_path / "story.m4b"
    first = run_audiobook("render", str(script), "--tts", "tone", "-o", str(out))
    assert first.returncode == 0, first.stderr
    info = probe(out)
    assert [c[2] for c in info.chapters] == [
        "Chapter 1: The Stopped Clock",
        "Chapter 2: The Note in the Clock",
    ]
    header, rows = _lines(script)
    target = next(r for r in rows if r["kind"] == "quote" and r["text"] == "Go on.")
    target["voice"] = "low" if target["voice"] == "high" else "high"
    lines = [json.dumps(header)] + [json.dumps(r) for r in rows]
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    second = run_audiobook("render", str(script), "--tts", "tone", "-o", str(out))
    assert second.returncode == 0, second.stderr
    counts = re.search(r"Clips \(\w+\): (\d+) synthesised, (\d+) reused", second.stdout)
    made, reused = map(int, counts.groups())
    assert made == 1 and reused > 20


def test_cast_file_overrides_voices_and_speeds(tmp_path, work_dir):
    cast = tmp_path / "cast.toml"
    result = run_audiobook("cast", str(EXAMPLE), "-o", str(cast))
    assert result.returncode == 0, result.stderr
    text = cast.read_text(encoding="utf-8")
    assert '[characters."Nell"]' in text and "[narrator]" in text
    edited = re.sub(
        r'(\[characters\."Nell"\]\nvoice = )"[^"]+"',
        r'\1"en_US-joe-medium:deep"\nspeed = 1.2',
        text,
    )
    cast.write_text(edited, encoding="utf-8")
    out = tmp_path / "story.jsonl"
    assert (
        run_audiobook("script", str(EXAMPLE), "--cast", str(cast), "-o", str(out)).returncode == 0
    )
    _, rows = _lines(out)
    nell = [r for r in rows if r["speaker"] == "Nell"]
    assert nell and all(r["voice"] == "en_US-joe-medium:deep" and r["speed"] == 1.2 for r in nell)


def test_bad_cast_and_script_files_are_one_clear_error(tmp_path, work_dir):
    cast = tmp_path / "cast.toml"
    cast.write_text('[characters."Nell"]\nvoice = "nobody"\n', encoding="utf-8")
    result = run_audiobook("script", str(EXAMPLE), "--cast", str(cast), "-o", str(tmp_path / "s"))
    assert result.returncode != 0 and "voice 'nobody' for Nell is not offered" in result.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"audiobook_script": 1, "chapters": {"1": "One"}}\n{not json\n')
    result = run_audiobook("render", str(bad), "--tts", "tone")
    assert result.returncode != 0 and "line 2 is not valid JSON" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
