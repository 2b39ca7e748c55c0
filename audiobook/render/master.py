"""Mastering: clips -> one M4B with chapter marks, tags and cover, streamed through ffmpeg.

ffmpeg reads the clips from disk through a concat list, so memory does not grow with the
book. Loudness is measured over the whole book once (EBU R128) and corrected with one gain
and a true-peak limiter in the single encode, which keeps chapter times exact.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from audiobook.model import Book
from audiobook.providers import Audio
from audiobook.render.ffmpeg import escape_metadata, run_ffmpeg
from audiobook.render.job import Job, atomic_write, wav_info
from audiobook.render.narrator import Plan

PEAK_LIMIT = 0.708  # -3 dBFS


@dataclass
class ChapterMark:
    title: str
    start: float
    end: float


def _silence(job: Job, seconds: float, rate: int) -> Path:
    path = job.root / "silence" / f"{rate}-{int(round(seconds * 1000))}ms.wav"
    if not path.exists():
        zeros = b"\0\0" * int(round(seconds * rate))
        atomic_write(path, Audio(pcm=zeros, sample_rate=rate).to_wav())
    return path


def _conformed(job: Job, path: Path, rate: int) -> Path:
    """A copy of the clip at the book's sample rate (only when a provider mixed rates)."""
    out = job.root / "resampled" / f"{rate}" / path.name
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(".tmp-" + out.name)
        run_ffmpeg(["-i", str(path), "-ar", str(rate), "-ac", "1", "-c:a", "pcm_s16le", "-f",
                    "wav", str(tmp)], what="resampling a clip")  # fmt: skip
        os.replace(tmp, out)
    return out


def build_timeline(plan: Plan, job: Job) -> tuple[Path, list[ChapterMark], float, int]:
    """Write the concat list; return it with chapter marks, total seconds and sample rate."""
    infos = {c.key: wav_info(job.clip_path(c.key)) for c in plan.clips}
    rates = [rate for rate, _ in infos.values()]
    rate = max(set(rates), key=rates.count)
    lines = ["ffconcat version 1.0"]
    marks: list[ChapterMark] = []
    frames = 0
    for index, title in enumerate(plan.titles):
        start = frames
        for clip in plan.chapter_clips(index):
            clip_rate, n = infos[clip.key]
            path = job.clip_path(clip.key)
            if clip_rate != rate:
                path = _conformed(job, path, rate)
                n = wav_info(path)[1]
            lines.append(f"file {_quote(path)}")
            frames += n
            pause = _silence(job, clip.pause_after, rate)
            lines.append(f"file {_quote(pause)}")
            frames += wav_info(pause)[1]
        marks.append(ChapterMark(title, start / rate, frames / rate))
    listing = job.root / "timeline.ffconcat"
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return listing, marks, frames / rate, rate


def _quote(path: Path) -> str:
    return "'" + str(path.resolve()).replace("'", "'\\''") + "'"


def measure_loudness(listing: Path) -> float | None:
    proc = run_ffmpeg(
        ["-f", "concat", "-safe", "0", "-i", str(listing), "-af", "ebur128=framelog=quiet",
         "-f", "null", "-"],
        what="measuring loudness",
    )  # fmt: skip
    found = re.findall(r"I:\s+(-?[\d.]+|-inf) LUFS", proc.stderr)
    if not found or found[-1] == "-inf":
        return None
    return float(found[-1])


def write_metadata(path: Path, book: Book, marks: list[ChapterMark]) -> None:
    tags = {
        "title": book.title,
        "album": book.title,
        "artist": book.author or "",
        "album_artist": book.author or "",
        "composer": book.author or "",
        "genre": "Audiobook",
        "media_type": "2",
        "comment": "Made with audiobook",
    }
    if book.language:
        tags["language"] = book.language
    lines = [";FFMETADATA1"]
    lines += [f"{k}={escape_metadata(v)}" for k, v in tags.items() if v]
    for mark in marks:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={int(round(mark.start * 1000))}",
            f"END={int(round(mark.end * 1000))}",
            f"title={escape_metadata(mark.title)}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def master(
    plan: Plan,
    book: Book,
    job: Job,
    output: Path,
    *,
    bitrate: str = "64k",
    loudness: float = -18.0,
) -> tuple[list[ChapterMark], float]:
    """Encode the book to `output`, written under a temporary name and renamed when complete."""
    listing, marks, total, rate = build_timeline(plan, job)
    metadata = job.root / "metadata.txt"
    write_metadata(metadata, book, marks)
    measured = measure_loudness(listing)
    gain = 0.0 if measured is None else max(-30.0, min(30.0, loudness - measured))
    args = ["-f", "concat", "-safe", "0", "-i", str(listing), "-i", str(metadata)]
    maps = ["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1"]
    if book.cover:
        cover = job.root / f"cover.{book.cover_type or 'img'}"
        cover.write_bytes(book.cover)
        args += ["-i", str(cover)]
        codec = "copy" if book.cover_type in ("jpeg", "png") else "png"
        maps += ["-map", "2:v", "-c:v", codec, "-disposition:v:0", "attached_pic"]
    tmp = output.with_name(f".{output.name}.partial")
    audio_filter = f"volume={gain:.2f}dB,alimiter=limit={PEAK_LIMIT}:level=false:latency=true"
    try:
        run_ffmpeg(
            args + maps + ["-af", audio_filter, "-c:a", "aac", "-b:a", bitrate, "-ar", str(rate),
                           "-ac", "1", "-movflags", "+faststart", "-brand", "M4B ", "-f", "mp4",
                           str(tmp)],
            what="encoding the audiobook",
        )  # fmt: skip
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    return marks, total
