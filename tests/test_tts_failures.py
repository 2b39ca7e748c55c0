"""Every HTTP speech provider against the same failures of its server: each ends in a retry
(marked retryable) or a clear error, never in a silent bad clip."""

from __future__ import annotations

import pytest

from audiobook.plugin.testing import Reply, StubServer, speech_wav
from audiobook.providers import ProviderError

TEXT = "The clocks had all stopped at seven minutes past three."
WAV = speech_wav(TEXT)


def _kokoro(url, timeout):
    import audiobook_kokoro

    return (
        audiobook_kokoro.KokoroProvider(base_url=url, response_format="wav", timeout=timeout),
        ("POST", "/v1/audio/speech"),
        "af_bella",
    )


def _orpheus(url, timeout):
    import audiobook_orpheus

    return (
        audiobook_orpheus.OrpheusProvider(base_url=url, timeout=timeout),
        ("POST", "/v1/audio/speech"),
        "tara",
    )


def _coqui(url, timeout):
    import audiobook_coqui

    provider = audiobook_coqui.CoquiProvider(base_url=url, timeout=timeout)
    return provider, ("GET", "/api/tts"), "default"


def _piper_http(url, timeout):
    import audiobook_piper

    return (
        audiobook_piper.PiperProvider(base_url=url, timeout=timeout),
        ("POST", "/synthesize"),
        "en_US-joe-medium",
    )


# A loaded machine may take longer than the "timeout" case allows to answer at all: only that
# case waits less than the server's delay.
ANSWERS_IN = 5.0
TIMES_OUT_AFTER = 0.3
PROVIDERS = {"kokoro": _kokoro, "orpheus": _orpheus, "coqui": _coqui, "piper-http": _piper_http}
FAILURES = {
    "500": (Reply(500, {"detail": "internal error"}), True, "500"),
    "503-loading": (Reply(503, {"detail": "model loading"}), True, "503"),
    "timeout": (Reply(200, WAV, "audio/wav", delay=1.0), True, "did not answer in time"),
    "truncated-wav": (Reply(200, WAV[: len(WAV) // 3], "audio/wav"), True, "truncated WAV"),
    "empty-44-byte-wav": (Reply(200, WAV[:44], "audio/wav"), True, "empty WAV"),
    "wrong-content-type": (
        Reply(200, "<html>Service Unavailable</html>", "text/html"),
        False,
        "without audio",
    ),
}


def _server(route):
    server = StubServer()
    server.on("GET", "/v1/audio/voices", Reply(200, {"voices": ["tara", "af_bella"]}))
    server.on(
        "GET",
        "/voices",
        Reply(200, {"en_US-joe-medium": {"language": {"code": "en_US"}, "num_speakers": 1}}),
    )
    return server


@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("name", list(PROVIDERS))
def test_each_failure_is_retryable_or_clear(name, failure):
    reply, retryable, message = FAILURES[failure]
    with _server(None) as server:
        timeout = TIMES_OUT_AFTER if failure == "timeout" else ANSWERS_IN
        provider, route, voice = PROVIDERS[name](server.url, timeout)
        server.on(*route, reply)
        with pytest.raises(ProviderError, match=message) as error:
            provider.synthesize(TEXT, voice)
    assert error.value.retryable is retryable
    assert name.split("-")[0] in str(error.value)  # the message names the provider


@pytest.mark.parametrize("name", list(PROVIDERS))
def test_real_wav_is_accepted(name):
    with _server(None) as server:
        provider, route, voice = PROVIDERS[name](server.url, ANSWERS_IN)
        server.on(*route, Reply(200, WAV, "text/html" if name == "piper-http" else "audio/wav"))
        audio = provider.synthesize(TEXT, voice)
    assert audio.sample_rate == 24000 and abs(audio.duration - len(TEXT) / 15) < 0.2
