"""Several endpoints of one engine: work is spread over them, and a failing one is rested."""

from __future__ import annotations

import threading
import time

import pytest
from helpers import EXAMPLE, run_audiobook

from audiobook.plugin.testing import Reply, StubServer, free_port, speech_pcm

kokoro = pytest.importorskip("audiobook_kokoro")
VOICES = Reply(
    200, {"voices": [{"id": "af_bella", "name": "af_bella"}, {"id": "am_adam", "name": "am_adam"}]}
)


def slow_speech(seen):
    time.sleep(0.05)
    return Reply(200, speech_pcm(seen.body["input"]), "audio/pcm")


def engine(speech):
    server = StubServer()
    server.on("GET", "/v1/audio/voices", VOICES)
    server.on("GET", "/health", Reply(200, {"status": "healthy"}))
    server.on("POST", "/v1/audio/speech", speech)
    return server


def _speech_requests(server):
    return sum(1 for r in server.requests if r.path == "/v1/audio/speech")


def convert_with_kokoro(tmp_path, *urls: str, extra: tuple[str, ...] = ()):
    """`audiobook convert` of the example on Kokoro at the given base URLs."""
    return run_audiobook(
        "convert", str(EXAMPLE), "--tts", "kokoro", "-q",
        "--set", f"tts.kokoro.base_url={','.join(urls)}", *extra,
        "-o", str(tmp_path / "x.m4b"),
    )  # fmt: skip


def test_clips_are_spread_over_endpoints(tmp_path, work_dir):
    with engine(slow_speech) as a, engine(slow_speech) as b:
        result = convert_with_kokoro(tmp_path, a.url, b.url)
        served = (_speech_requests(a), _speech_requests(b))
    assert result.returncode == 0, result.stderr
    assert min(served) >= 5, served


@pytest.mark.parametrize("bad_first", [True, False], ids=["bad-first", "bad-second"])
def test_a_failing_endpoint_is_benched_at_once_and_its_clips_go_to_the_other(
    bad_first, tmp_path, work_dir
):
    with (
        engine(Reply(500, {"detail": {"message": "GPU lost"}})) as bad,
        engine(slow_speech) as good,
    ):
        urls = (bad.url, good.url) if bad_first else (good.url, bad.url)
        result = convert_with_kokoro(tmp_path, *urls)
        failed, served = _speech_requests(bad), _speech_requests(good)
    assert result.returncode == 0, result.stderr
    assert failed <= 4 and served >= 30  # benched after its first failure, for longer each time
    assert "0 retried" in result.stdout  # a clip that failed on bad was made on good at once


def test_voices_come_from_any_endpoint_that_answers(tmp_path, work_dir):
    down = f"http://127.0.0.1:{free_port()}"
    with engine(slow_speech) as good:
        result = convert_with_kokoro(tmp_path, down, good.url)
    assert result.returncode == 0, result.stderr


def test_an_error_names_the_endpoint(tmp_path, work_dir):
    refusal = Reply(400, {"detail": {"message": "voice not allowed"}})
    with engine(refusal) as one, engine(refusal) as two:
        result = convert_with_kokoro(tmp_path, one.url, two.url)
    assert result.returncode != 0 and not (tmp_path / "x.m4b").exists()
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "voice not allowed" in lines[0]
    assert one.url in lines[0] or two.url in lines[0]


def test_concurrency_is_bounded_by_the_setting(tmp_path, work_dir):
    state = {"now": 0, "peak": 0}
    lock = threading.Lock()

    def counting(seen):
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return Reply(200, speech_pcm(seen.body["input"]), "audio/pcm")

    with engine(counting) as server:
        result = convert_with_kokoro(tmp_path, server.url, extra=("--set", "tts.concurrency=3"))
    assert result.returncode == 0, result.stderr
    assert state["peak"] == 3
