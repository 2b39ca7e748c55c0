"""Coqui's tts-server: a plugin written against the public plugin API alone."""

from __future__ import annotations

import audiobook_coqui
import pytest

from audiobook.plugin import ProviderError, VoiceNotFound
from audiobook.plugin.testing import SAMPLE_BOOK, Reply, StubServer, free_port, run_cli, speech_wav

TEXT = "It was the best of times, it was the worst of times."


def api_tts(seen) -> Reply:
    from urllib.parse import parse_qs, urlparse

    query = parse_qs(urlparse(seen.path).query)
    return Reply(200, speech_wav(query["text"][0], rate=22050), "audio/wav")


def test_api_tts_with_speakers_and_language():
    with StubServer() as server:
        server.on("GET", "/api/tts", api_tts)
        provider = audiobook_coqui.CoquiProvider(
            base_url=server.url, speakers=["p225", "p226"], language="en"
        )
        assert [v.id for v in provider.voices()] == ["p225", "p226"]
        audio = provider.synthesize(TEXT, "p226")
        path = server.requests[-1].path
    assert "speaker-id=p226" in path and "language-id=en" in path
    assert audio.sample_rate == 22050 and audio.duration > 2
    with pytest.raises(VoiceNotFound):
        provider.check_voice("p999")


def test_openai_endpoint_and_errors():
    with StubServer() as server:
        server.on(
            "POST",
            "/v1/audio/speech",
            lambda seen: Reply(200, speech_wav(seen.body["input"]), "audio/wav"),
        )
        provider = audiobook_coqui.CoquiProvider(base_url=server.url, endpoint="openai")
        assert provider.synthesize(TEXT, "default").duration > 2
        assert server.requests[-1].body["response_format"] == "wav"
    with StubServer() as server:
        server.on("GET", "/api/tts", Reply(500, "Internal Server Error"))
        with pytest.raises(ProviderError, match="500") as error:
            audiobook_coqui.CoquiProvider(base_url=server.url).synthesize(TEXT, "default")
        assert error.value.retryable


def test_end_to_end_conversion_with_no_core_change(tmp_path, monkeypatch):
    with StubServer() as server:
        server.on("GET", "/", Reply(200, "<html><title>TTS engine</title></html>", "text/html"))
        server.on("GET", "/api/tts", api_tts)
        monkeypatch.setenv("AUDIOBOOK_OUTPUT_WORK_DIR", str(tmp_path / "work"))
        result = run_cli(
            "convert",
            str(SAMPLE_BOOK),
            "--tts",
            "coqui",
            "--chapters",
            "2",
            "--set",
            f"tts.coqui.base_url={server.url}",
            "--set",
            "tts.coqui.speakers=p225,p226,p227",
            "-q",
            "-o",
            str(tmp_path / "c.m4b"),
        )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "c.m4b").exists()


def test_convert_with_coqui_down_is_one_line_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIOBOOK_OUTPUT_WORK_DIR", str(tmp_path / "work"))
    url = f"http://127.0.0.1:{free_port()}"
    result = run_cli("convert", str(SAMPLE_BOOK), "--tts", "coqui", "--set",
                           f"tts.coqui.base_url={url}", "-o", str(tmp_path / "x.m4b"))  # fmt: skip
    assert result.returncode != 0 and not (tmp_path / "x.m4b").exists()
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot connect to coqui at {url}" in lines[0]
    assert "audiobook compose --tts coqui" in lines[0]
    assert not (tmp_path / "work").exists() or not list((tmp_path / "work").rglob("*.wav"))
