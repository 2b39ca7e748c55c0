"""Decoding encoded provider audio (WAV, MP3, FLAC, Opus ...) to 16-bit mono PCM."""

from __future__ import annotations

import subprocess

from audiobook.providers import Audio, ProviderError
from audiobook.render.ffmpeg import ffmpeg_exe


def decode_audio(audio: Audio, sample_rate: int | None = None) -> Audio:
    data = audio.encoded or b""
    if data[:4] == b"RIFF" and sample_rate is None:
        return Audio.from_wav(data)
    rate = sample_rate or 24000
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", "pipe:0", "-f", "s16le", "-ac", "1",
         "-ar", str(rate), "pipe:1"],
        input=data,
        capture_output=True,
    )  # fmt: skip
    if proc.returncode != 0 or not proc.stdout:
        raise ProviderError(
            f"undecodable {audio.encoding or 'audio'} from the provider", retryable=True
        )
    return Audio(pcm=proc.stdout, sample_rate=rate)
