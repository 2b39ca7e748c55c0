"""Orpheus against a local server speaking Orpheus-FastAPI's API, with its pitfalls."""

from __future__ import annotations

import audiobook_orpheus
import pytest

from audiobook.plugin import ProviderError, TTSProvider, Voice, VoiceNotFound
from audiobook.plugin.testing import (
    SAMPLE_BOOK,
    Reply,
    StubServer,
    free_port,
    run_cli,
    speakable,
    speech_wav,
)

VOICES = {"voices": ["tara", "leah", "jess", "leo", "dan", "mia", "zac", "zoe"]}
TEXT = "Well, that is the strangest thing I have heard all day."
EMPTY_WAV = speech_wav("")[:44]


def speech(seen) -> Reply:
    return Reply(200, speech_wav(seen.body["input"], chars_per_second=14), "audio/wav")


def server_with(*replies):
    server = StubServer()
    server.on("GET", "/v1/audio/voices", Reply(200, VOICES))
    server.on("POST", "/v1/audio/speech", *(replies or (speech,)))
    return server


def test_voices_with_gender_and_language_and_health_from_the_voice_list():
    with server_with() as server:
        provider = audiobook_orpheus.OrpheusProvider(base_url=server.url)
        voices = {v.id: (v.language, v.gender) for v in provider.voices()}
        assert provider.health().ok
    assert voices["tara"] == ("en", "female") and voices["leo"] == ("en", "male")
    down = audiobook_orpheus.OrpheusProvider(base_url=f"http://127.0.0.1:{free_port()}")
    assert not down.health().ok


def test_speech_request_and_wav():
    with server_with() as server:
        provider = audiobook_orpheus.OrpheusProvider(base_url=server.url)
        audio = provider.synthesize(TEXT, "leo")
        body = server.requests[-1].body
    assert body["input"] == TEXT and body["model"] == "orpheus" and body["voice"] == "leo"
    assert audio.sample_rate == 24000 and audio.duration > 3


def test_empty_44_byte_wav_is_a_failure_not_a_clip():
    assert len(EMPTY_WAV) == 44
    with server_with(Reply(200, EMPTY_WAV, "audio/wav")) as server:
        provider = audiobook_orpheus.OrpheusProvider(base_url=server.url)
        with pytest.raises(ProviderError, match="empty WAV") as error:
            provider.synthesize(TEXT, "tara")
    assert error.value.retryable


def test_unknown_voice_is_refused_before_the_server_turns_it_into_tara():
    with server_with() as server:
        provider = audiobook_orpheus.OrpheusProvider(base_url=server.url)
        with pytest.raises(VoiceNotFound, match="orpheus has no voice 'bob'"):
            provider.synthesize(TEXT, "bob")
        assert all(r.path != "/v1/audio/speech" for r in server.requests)


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_retryable(status):
    with server_with(Reply(status, {"detail": "model server not ready"})) as server:
        provider = audiobook_orpheus.OrpheusProvider(base_url=server.url)
        with pytest.raises(ProviderError, match=f"{status}: model server not ready") as error:
            provider.synthesize(TEXT, "tara")
    assert error.value.retryable


def test_emotion_tags_reach_orpheus_and_are_stripped_for_others():
    provider = audiobook_orpheus.OrpheusProvider()
    assert speakable("Ha! Very good.", provider, "laugh") == "<laugh> Ha! Very good."
    assert provider.max_chars <= 300
    assert speakable("<sigh> Very well.", PlainVoice(), "sigh") == "Very well."
    assert speakable("x", provider, "whisper") == "x"  # Orpheus has no tag for whispers


class PlainVoice(TTSProvider):
    """An engine without emotion tags."""

    name = "plain"

    def voices(self):
        return [Voice("one", "One", "en")]

    def synthesize(self, text, voice, *, speed=1.0):
        raise NotImplementedError


def test_end_to_end_conversion_through_the_contract_server(tmp_path, monkeypatch):
    with server_with() as server:
        monkeypatch.setenv("AUDIOBOOK_OUTPUT_WORK_DIR", str(tmp_path / "work"))
        result = run_cli(
            "convert",
            str(SAMPLE_BOOK),
            "--tts",
            "orpheus",
            "--set",
            f"tts.orpheus.base_url={server.url}",
            "-q",
            "-o",
            str(tmp_path / "o.m4b"),
        )
        voices = {r.body["voice"] for r in server.requests if r.path == "/v1/audio/speech"}
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "o.m4b").stat().st_size > 10_000 and len(voices) >= 3


def test_voices_command_lists_gender_and_language():
    with server_with() as server:
        result = run_cli(
            "voices", "--tts", "orpheus", "--set", f"tts.orpheus.base_url={server.url}"
        )
    assert result.returncode == 0, result.stderr
    rows = [line.split()[:3] for line in result.stdout.splitlines()[1:]]
    assert ["tara", "en", "female"] in rows and ["leo", "en", "male"] in rows
