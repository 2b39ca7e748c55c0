"""A book's job folder: clips cached under the hash of what made them, written atomically.

A clip file exists only once it is complete (written to a temporary name, then renamed), so a
run killed at any moment leaves nothing half-written behind, and the next run reuses every
clip that is there.
"""

from __future__ import annotations

import hashlib
import json
import wave
from pathlib import Path
from typing import Any

from audiobook.files import atomic_write
from audiobook.providers import Audio


def clip_key(provider: str, identity: dict[str, Any], voice: str, speed: float, text: str) -> str:
    payload = json.dumps(
        {"provider": provider, "options": identity, "voice": voice, "speed": speed, "text": text},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def book_id(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    stem = "".join(c if c.isalnum() else "-" for c in path.stem)[:40].strip("-") or "book"
    return f"{stem}-{digest.hexdigest()[:12]}"


class Job:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.clips = root / "clips"

    def clip_path(self, key: str) -> Path:
        return self.clips / key[:2] / f"{key}.wav"

    def has_clip(self, key: str) -> bool:
        return self.clip_path(key).is_file()

    def save_clip(self, key: str, pcm: bytes, sample_rate: int) -> Path:
        path = self.clip_path(key)
        atomic_write(path, Audio(pcm=pcm, sample_rate=sample_rate).to_wav())
        return path

    def remove_stale_temporaries(self) -> None:
        if self.clips.is_dir():
            for tmp in self.clips.glob("*/.*.tmp"):
                tmp.unlink(missing_ok=True)


def wav_info(path: Path) -> tuple[int, int]:
    """(sample rate, frame count) of a clip, read from its header."""
    with wave.open(str(path), "rb") as w:
        return w.getframerate(), w.getnframes()
