"""Voice samples: a few seconds of each voice, so a user can choose before a long run."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from audiobook.errors import UserError
from audiobook.files import atomic_write
from audiobook.providers import Audio, ProviderError, TTSProvider, VoiceNotFound

SAMPLE_TEXT = (
    "It was late in the evening when the letter came. “Read it to me,” she said, "
    "and I began: “My dear friend, I have news that cannot wait.”"
)
PLAYERS = (
    ["afplay"],
    ["paplay"],
    ["aplay", "-q"],
    ["ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet"],
)


def sample_name(voice: str) -> str:
    return "voice-" + re.sub(r"[^A-Za-z0-9._-]+", "_", voice) + ".wav"


def player() -> list[str] | None:
    """The first command-line audio player found on this machine, or None."""
    return next((cmd for cmd in PLAYERS if shutil.which(cmd[0])), None)


def write_samples(
    provider: TTSProvider,
    voices: list[str],
    folder: Path,
    text: str = SAMPLE_TEXT,
    done: Callable[[str, Path, float], None] | None = None,
) -> list[Path]:
    """Synthesise `text` in each voice into `folder`/voice-<id>.wav; unknown voices are one
    error naming the ones there are, before anything is synthesised."""
    for voice in voices:
        try:
            provider.check_voice(voice)  # the provider's own test: Kokoro takes blends
        except VoiceNotFound as e:
            raise UserError(str(e)) from None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create the folder {folder}: {e.strerror}") from None
    written = []
    for voice in voices or [v.id for v in provider.voices()]:
        try:
            audio = provider.synthesize(text, voice)
            if audio.encoded is not None:
                from audiobook.render.decode import decode_audio

                audio = decode_audio(audio)
        except ProviderError as e:
            raise UserError(f"{provider.name} failed on a sample of '{voice}': {e}") from None
        if not audio.pcm:
            raise UserError(f"{provider.name} returned no audio for a sample of '{voice}'")
        path = folder / sample_name(voice)
        atomic_write(path, Audio(pcm=audio.pcm, sample_rate=audio.sample_rate).to_wav())
        written.append(path)
        if done is not None:
            done(voice, path, audio.duration)
    return written


def play(path: Path, command: list[str]) -> None:
    subprocess.run([*command, str(path)], check=False)
