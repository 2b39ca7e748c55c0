"""Bad input: one clear line on stderr, a non-zero exit, no traceback, no output file."""

from __future__ import annotations

import pytest
from helpers import EXAMPLE, run_audiobook


def check_one_line_failure(result, expected: str, tmp_path):
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("audiobook: error: ") and expected in lines[0], lines[0]
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.m4b")) and not list(tmp_path.glob(".*partial"))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["missing.epub"], "no such file: missing.epub"),
        (["book.pdfx"], "unsupported format '.pdfx'"),
        ([str(EXAMPLE), "--tts", "nosuch"], "unknown TTS provider 'nosuch' (installed: "),
        ([str(EXAMPLE), "--voice", "nobody"], "piper has no voice 'nobody' (available: "),
        ([str(EXAMPLE), "--tts", "tone", "--voice", "nobody"], "tone has no voice 'nobody'"),
        ([str(EXAMPLE), "--chapters", "3"], "the book has 2 chapters; '3' is out of range"),
        ([str(EXAMPLE), "--chapters", "x"], "'x' is not a number"),
        ([str(EXAMPLE), "--set", "tts.piper.colour=red"], "unknown setting 'tts.piper.colour'"),
        ([str(EXAMPLE), "--set", "tts.speed=fast"], "'tts.speed' must be a number"),
        ([str(EXAMPLE), "-o", "out.wav"], "output must end in .m4b"),
        ([str(EXAMPLE), "--config", "nope.toml"], "config file not found"),
        ([str(EXAMPLE), "--llm", "openai", "--pull"], "the openai provider does not download"),
    ],
)
def test_bad_input_is_one_line_and_no_output(tmp_path, work_dir, args, expected):
    (tmp_path / "book.pdfx").write_text("x")
    result = run_audiobook("convert", *args, cwd=tmp_path)
    check_one_line_failure(result, expected, tmp_path)


def test_bad_config_key_in_file(tmp_path, work_dir):
    (tmp_path / "audiobook.toml").write_text('[output]\nbitrat = "32k"\n')
    result = run_audiobook("convert", str(EXAMPLE), cwd=tmp_path)
    check_one_line_failure(result, "unknown setting 'output.bitrat'", tmp_path)
