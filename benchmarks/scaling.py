"""Throughput at concurrency 1, 2, 4 and 8 against a local HTTP TTS server that takes a fixed
time per request and serves up to 8 at once (Kokoro-FastAPI's API, on loopback).

    python benchmarks/scaling.py [--clips 48] [--seconds 0.1]

Prints clips per second at each concurrency and the ratio to concurrency 1, measured in one run.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

from audiobook.plugin.testing import Reply, StubServer, speech_pcm
from audiobook.render.job import Job, clip_key
from audiobook.render.narrator import Clip, Plan, narrate

TEXT = "It was the best of times, it was the worst of times, it was the age of wisdom."


def main() -> None:
    import audiobook_kokoro

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=96)
    parser.add_argument("--seconds", type=float, default=0.1, help="server time per request")
    args = parser.parse_args()
    slots = threading.BoundedSemaphore(8)
    audio = speech_pcm(TEXT)

    def speech(seen):
        with slots:  # the server serves up to 8 requests at once
            time.sleep(args.seconds)
        return Reply(200, audio, "audio/pcm")

    results = {}
    with StubServer() as server, tempfile.TemporaryDirectory() as tmp:
        server.on("GET", "/v1/audio/voices", Reply(200, {"voices": [{"id": "af_bella"}]}))
        server.on("POST", "/v1/audio/speech", speech)
        provider = audiobook_kokoro.KokoroProvider(base_url=server.url)
        for workers in (1, 2, 4, 8):
            clips = [
                Clip(0, f"{TEXT} ({workers}-{n})", "af_bella",
                     clip_key("bench", {}, "af_bella", 1.0, f"{workers}-{n}"), 0.2)
                for n in range(args.clips)
            ]  # fmt: skip
            job = Job(Path(tmp) / f"job-{workers}")
            started = time.perf_counter()
            stats = narrate(Plan(["bench"], clips), provider, job, concurrency=workers)
            elapsed = time.perf_counter() - started
            assert stats.made == args.clips
            results[workers] = args.clips / elapsed
    base = results[1]
    print(f"{args.clips} clips, {args.seconds * 1000:.0f} ms per request, server serves 8 at once")
    for workers, rate in results.items():
        print(f"concurrency {workers}: {rate:6.1f} clips/s  ({rate / base:.2f}x concurrency 1)")


if __name__ == "__main__":
    main()
