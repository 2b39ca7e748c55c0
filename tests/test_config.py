from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from audiobook.cli import main
from audiobook.config import load_settings, mask
from audiobook.errors import UserError
from audiobook.plugins import Registry
from audiobook.providers import Audio, Option, TTSProvider, Voice


class KeyedTTS(TTSProvider):
    name = "keyed"
    options = (
        Option("api_key", str, "", "secret", secret=True),
        Option("rate", float, 1.0, "rate"),
        Option("verbose", bool, False, "verbose"),
    )

    def voices(self):
        return [Voice("v")]

    def synthesize(self, text, voice, *, speed=1.0):
        return Audio(pcm=b"\0\0", sample_rate=8000)


@pytest.fixture
def registry():
    return Registry(tts={"keyed": KeyedTTS})


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    import os

    for var in [v for v in os.environ if v.startswith("AUDIOBOOK_")]:
        monkeypatch.delenv(var)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_precedence_defaults_file_env_cli(registry, clean_env, monkeypatch):
    cfg = write(clean_env / "audiobook.toml", '[tts]\nvoice = "file"\nspeed = 1.5\n'
                '[tts.keyed]\nrate = 2.0\n')  # fmt: skip
    s = load_settings(registry)
    assert s.config_file == cfg
    assert (s.get("tts.voice"), s.get("tts.speed"), s.get("output.bitrate")) == ("file", 1.5, "64k")
    monkeypatch.setenv("AUDIOBOOK_TTS_VOICE", "env")
    monkeypatch.setenv("AUDIOBOOK_TTS_KEYED_RATE", "3")
    s = load_settings(registry)
    assert s.get("tts.voice") == "env" and s.provider_settings("tts", "keyed") == {"rate": 3.0}
    s = load_settings(registry, overrides={"tts.voice": "cli", "tts.keyed.rate": "4"})
    assert s.get("tts.voice") == "cli" and s.get("tts.keyed.rate") == 4.0
    assert s.sources["tts.voice"] == "command line" and s.sources["tts.speed"] == str(cfg)


def test_tts_and_llm_environment_shorthands(registry, clean_env, monkeypatch):
    monkeypatch.setenv("AUDIOBOOK_TTS", "keyed")
    monkeypatch.setenv("AUDIOBOOK_LLM", "none")
    s = load_settings(registry)
    assert s.get("tts.provider") == "keyed" and s.get("llm.provider") == "none"
    monkeypatch.setenv("AUDIOBOOK_LLM", "none-yet")  # a plugin that is not installed
    with pytest.raises(UserError, match="llm.provider: unknown LLM provider 'none-yet'"):
        load_settings(registry)


def test_explicit_config_file_wins_and_must_exist(registry, clean_env):
    write(clean_env / "audiobook.toml", '[tts]\nvoice = "local"\n')
    other = write(clean_env / "other.toml", '[tts]\nvoice = "other"\n')
    assert load_settings(registry, other).get("tts.voice") == "other"
    with pytest.raises(UserError, match="config file not found"):
        load_settings(registry, clean_env / "nope.toml")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[tts]\nvocie = "x"\n', "unknown setting 'tts.vocie'"),
        ("[tts.keyed]\nspeed = 2\n", r"unknown setting 'tts.keyed.speed' \(keyed accepts: api_key"),
        ('[tts.keyed]\nrate = "fast"\n', "'tts.keyed.rate' must be a number, got 'fast'"),
        ('[tts.keyed]\nverbose = "maybe"\n', "must be true or false"),
        ("[tts\nvoice=1", "not valid TOML"),
    ],
)
def test_bad_config_is_one_clear_error_naming_the_key(registry, clean_env, toml, message):
    cfg = write(clean_env / "bad.toml", toml)
    with pytest.raises(UserError, match=message):
        load_settings(registry, cfg)


def test_sections_of_uninstalled_providers_are_ignored(registry, clean_env):
    cfg = write(clean_env / "c.toml", '[tts.someday]\nanything = 1\n[tts]\nvoice = "v"\n')
    assert load_settings(registry, cfg).get("tts.voice") == "v"


def test_config_command_masks_secrets(clean_env, monkeypatch):
    monkeypatch.setenv("AUDIOBOOK_TTS_TONE_FREQUENCY", "330")
    write(clean_env / "audiobook.toml", '[tts]\nprovider = "tone"\n')
    runner = CliRunner()
    result = runner.invoke(main, ["config", "--set", "tts.voice=high"])
    assert result.exit_code == 0, result.output
    assert 'tts.provider = "tone"    # ' in result.output
    assert "tts.tone.frequency = 330.0    # environment" in result.output
    assert 'tts.voice = "high"    # command line' in result.output


def test_secret_values_never_printed(registry, clean_env):
    cfg = write(clean_env / "c.toml", '[tts.keyed]\napi_key = "sk-very-secret"\n')
    s = load_settings(registry, cfg)
    assert s.get("tts.keyed.api_key") == "sk-very-secret"
    assert "sk-very-secret" not in repr(s)
    assert mask("tts.keyed.api_key", "sk-very-secret") == "****"


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("tts.speed=-1", "tts.speed = -1.0 must be from 0.25 to 4"),
        ("output.bitrate=64kbps", "output.bitrate = '64kbps' must be a bitrate"),
        ("tts.provider=keyd", "unknown TTS provider 'keyd'.*did you mean 'keyed'"),
        ("llm.concurrency=0", "llm.concurrency = 0 must be 1 or more"),
        ("output.loudness=3", "must be a loudness"),
    ],
)
def test_values_are_checked_where_they_are_read(registry, clean_env, assignment, message):
    key, value = assignment.split("=")
    with pytest.raises(UserError, match=message):
        load_settings(registry, overrides={key: value})


def test_config_and_doctor_fail_on_a_bad_value_naming_the_key(clean_env):
    write(clean_env / "audiobook.toml", '[output]\nbitrate = "64kbps"\n')
    for command in ("config", "doctor"):
        result = CliRunner().invoke(main, [command])
        assert result.exit_code != 0 and "output.bitrate" in result.output


def test_a_misspelt_environment_variable_is_reported(clean_env, monkeypatch):
    monkeypatch.setenv("AUDIOBOOK_TTS_SPED", "1.2")
    result = CliRunner().invoke(main, ["config"])
    assert result.exit_code == 0
    assert "AUDIOBOOK_TTS_SPED is set but matches no setting" in result.output
    assert "did you mean AUDIOBOOK_TTS_SPEED?" in result.output
