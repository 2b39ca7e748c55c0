"""The script, the cast file and rendering an edited script, as a user runs them."""

from __future__ import annotations

import json
import re

import pytest
from helpers import EXAMPLE, run_audiobook

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
        assert set(row) >= {"chapter", "kind", "speaker", "text", "span"}
        assert "voice" not in row  # every line follows the cast in the header
        start, end = row["span"]
        assert " ".join(text[start:end].split()) == row["text"]
    quotes = [r for r in rows if r["kind"] == "quote"]
    assert {r["speaker"] for r in quotes} >= {"Nell", "Mrs. Alder"}
    assert header["narrator"] == "en_US-joe-medium"
    voices = {name: entry["voice"] for name, entry in header["cast"].items()}
    assert {r["speaker"] for r in quotes} <= set(voices)
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
    target["voice"] = "low" if header["cast"][target["speaker"]]["voice"] == "high" else "high"
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
    header, rows = _lines(out)
    assert header["cast"]["Nell"] == {"voice": "en_US-joe-medium:deep", "speed": 1.2,
                                      "gender": "female"}  # fmt: skip
    from audiobook.script import read_script

    script = read_script(out)
    assert script.genders["Nell"] == "female"  # read back, for the review page
    nell = [s for s in script.segments if s.speaker == "Nell" and s.how != "unsure"]
    assert nell and all(s.voice == "en_US-joe-medium:deep" and s.speed == 1.2 for s in nell)


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


def test_cast_file_names_match_any_case_or_other_name_and_a_typo_is_reported(tmp_path, work_dir):
    from click.testing import CliRunner

    from audiobook.cli import main

    cast = tmp_path / "cast.toml"
    cast.write_text(
        '[characters."nell"]\nvoice = "en_US-joe-medium:deep"\n'
        '[characters."Mrs Aldre"]\nvoice = "en_US-joe-medium:deep"\n',
        encoding="utf-8",
    )
    out = tmp_path / "new" / "folder" / "story.jsonl"
    result = CliRunner().invoke(main, ["script", str(EXAMPLE), "--cast", str(cast), "-o", str(out)])
    assert result.exit_code == 0, result.output
    header, _ = _lines(out)
    assert header["cast"]["Nell"]["voice"] == "en_US-joe-medium:deep"
    warning = next(line for line in result.output.splitlines() if "Mrs Aldre" in line)
    assert "no character 'Mrs Aldre'" in warning and "closest: Mrs. Alder" in warning


def test_output_into_a_folder_that_does_not_exist_yet(tmp_path, work_dir):
    from audiobook.errors import UserError
    from audiobook.pipeline import output_target

    made, fmt = output_target(EXAMPLE, tmp_path / "books" / "2026" / "story.m4b")
    assert made.parent.is_dir() and not made.exists() and fmt == "m4b"
    folder, fmt = output_target(EXAMPLE, tmp_path / "new" / "chapters.opus")
    assert folder == tmp_path / "new" / "chapters" and folder.is_dir() and fmt == "opus"
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(UserError, match="it is a file, not a folder"):
        output_target(EXAMPLE, tmp_path / "a-file" / "story.m4b")


def test_a_speaker_only_edit_changes_the_voice_and_a_new_speaker_is_reported(tmp_path, work_dir):
    from click.testing import CliRunner

    from audiobook.cli import main

    script = tmp_path / "story.jsonl"
    runner = CliRunner()
    made = runner.invoke(main, ["script", str(EXAMPLE), "--tts", "tone", "-o", str(script)])
    assert made.exit_code == 0, made.output
    header, rows = _lines(script)
    nell = header["cast"]["Nell"]["voice"]
    alder = header["cast"]["Mrs. Alder"]["voice"] = "low" if nell != "low" else "high"
    script.write_text("\n".join(json.dumps(r) for r in [header, *rows]) + "\n", "utf-8")
    out = tmp_path / "story.m4b"
    first = runner.invoke(main, ["render", str(script), "--tts", "tone", "-q", "-o", str(out)])
    assert first.exit_code == 0, first.output
    target = next(r for r in rows if r["speaker"] == "Nell" and r.get("how") != "unsure")
    target["speaker"] = "mrs. alder"  # any case: the cast's name is found
    stranger = next(r for r in rows if r["speaker"] == "Nell" and r is not target
                    and r.get("how") != "unsure")  # fmt: skip
    stranger["speaker"] = "Mr. Stranger"
    script.write_text("\n".join(json.dumps(r) for r in [header, *rows]) + "\n", "utf-8")
    second = runner.invoke(main, ["render", str(script), "--tts", "tone", "-q", "-o", str(out)])
    assert second.exit_code == 0, second.output
    counts = re.search(r"Clips \(\w+\): (\d+) synthesised, (\d+) reused", second.output)
    assert counts and int(counts.group(1)) == 2, second.output  # the two edited lines
    assert "'Mr. Stranger' speaks but is not in the cast" in second.output

    from audiobook.script import read_script

    segments = read_script(script).segments
    edited = next(
        s for s in segments if s.text == target["text"] and s.span.start == target["span"][0]
    )
    assert edited.speaker == "Mrs. Alder" and edited.voice == alder


def test_say_shows_what_is_spoken_and_an_edit_of_say_or_text_is_what_is_made(tmp_path, work_dir):
    from click.testing import CliRunner

    from audiobook.cli import main

    runner = CliRunner()
    script = tmp_path / "story.jsonl"
    made = runner.invoke(main, ["script", str(EXAMPLE), "--tts", "tone", "-o", str(script)])
    assert made.exit_code == 0, made.output
    header, rows = _lines(script)
    alder = next(r for r in rows if r["text"] == "Mrs. Alder?")
    assert alder["say"] == "Missus Alder?"  # normalised: what the engine will be given
    assert all("say" in r and not re.search(r"\d", r["say"]) for r in rows)
    out = tmp_path / "story.m4b"
    render = ["render", str(script), "--tts", "tone", "-q", "-o", str(out)]
    assert runner.invoke(main, render).exit_code == 0

    def rerender(edit) -> tuple[int, int]:
        header, rows = _lines(script)
        edit(next(r for r in rows if r["text"].startswith("Mrs. Alder")))
        script.write_text("\n".join(json.dumps(r) for r in [header, *rows]) + "\n", "utf-8")
        result = runner.invoke(main, render)
        assert result.exit_code == 0, result.output
        counts = re.search(r"Clips \(tone\): (\d+) synthesised, (\d+) reused", result.output)
        return int(counts.group(1)), int(counts.group(2))

    def say_it_otherwise(row):
        row["say"] = "Mistress Alder?"

    made_now, reused = rerender(say_it_otherwise)
    assert made_now == 1 and reused > 20

    def change_the_text_only(row):
        row["text"] = "Mrs. Alder, are you here?"  # "say" left as it was: made again from this

    made_now, _ = rerender(change_the_text_only)
    assert made_now == 1
    from audiobook.script import read_script

    line = next(s for s in read_script(script).segments if s.text.startswith("Mrs. Alder,"))
    assert line.say is None  # stale: rendered from the new text, "Missus Alder, are you here?"
