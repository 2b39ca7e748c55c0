"""The ffmpeg that imageio-ffmpeg ships, and reading what a media file holds (no ffprobe needed)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from audiobook.errors import UserError


@cache
def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as e:  # the package is a dependency; this is a broken install
        raise UserError(f"ffmpeg is not available ({e}); reinstall 'imageio-ffmpeg'") from None


def run_ffmpeg(args: list[str], *, what: str) -> subprocess.CompletedProcess[str]:
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    if proc.returncode != 0:
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        raise UserError(f"ffmpeg failed while {what}: {tail}")
    return proc


@dataclass
class MediaInfo:
    duration: float
    streams: list[str] = field(default_factory=list)  # "Audio: aac (LC) ..." lines
    tags: dict[str, str] = field(default_factory=dict)
    chapters: list[tuple[float, float, str]] = field(default_factory=list)


def probe(path: str | Path) -> MediaInfo:
    """Streams and duration from `ffmpeg -i`, tags and chapters from its ffmetadata output."""
    exe = ffmpeg_exe()
    info = subprocess.run(
        [exe, "-hide_banner", "-nostdin", "-i", str(path)], capture_output=True, text=True
    ).stderr
    m = re.search(r"Duration: (\d+):(\d+):(\d+\.\d+)", info)
    if not m:
        raise UserError(f"{path}: not a readable media file")
    duration = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    streams = re.findall(r"Stream #\d+:\d+.*?: ((?:Audio|Video): .*)", info)
    meta = subprocess.run(
        [exe, "-hide_banner", "-nostdin", "-i", str(path), "-f", "ffmetadata", "-"],
        capture_output=True,
        text=True,
    ).stdout
    return MediaInfo(duration, streams, *_parse_ffmetadata(meta))


def _parse_ffmetadata(text: str) -> tuple[dict[str, str], list[tuple[float, float, str]]]:
    tags: dict[str, str] = {}
    chapters: list[tuple[float, float, str]] = []
    section: dict[str, str] | None = None
    for line in text.splitlines():
        if line.startswith(";") or not line.strip():
            continue
        if line.strip() == "[CHAPTER]":
            section = {}
            chapters.append(section)  # type: ignore[arg-type]
            continue
        if line.startswith("["):
            section = {}
            continue
        key, _, value = line.partition("=")
        (section if section is not None else tags)[key.strip().lower()] = value
    parsed = []
    for ch in chapters:
        num, den = (int(x) for x in ch.get("timebase", "1/1000").split("/"))  # type: ignore[union-attr]
        scale = num / den
        parsed.append(
            (int(ch["start"]) * scale, int(ch["end"]) * scale, ch.get("title", ""))  # type: ignore[index]
        )
    return tags, parsed


def escape_metadata(value: str) -> str:
    """Escape a value for an ffmetadata file."""
    return re.sub(r"([=;#\\\n])", r"\\\1", value)
