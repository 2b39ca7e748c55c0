"""Mastering: clips -> chapters -> one M4B with chapter marks, tags and cover.

Each chapter is mastered as soon as its clips exist, while later chapters are still being
synthesised: ffmpeg reads the clips from disk through a concat list (memory does not grow
with the book), measures the chapter's loudness (EBU R128), and encodes it once to AAC with
the gain that brings it to the target and a true-peak limiter. Every chapter meets the same
target, so the book is even from start to end. Encoded chapters are cached like clips, so a
resumed run does not encode them again. The book is then assembled by copying the AAC
streams (ADTS frames concatenate exactly), which takes seconds and keeps chapter times exact.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import mutagen

from audiobook.files import atomic_write
from audiobook.model import Book
from audiobook.providers import Audio
from audiobook.render.ffmpeg import escape_metadata, run_ffmpeg
from audiobook.render.job import Job, wav_info
from audiobook.render.plan import Plan
from audiobook.text.language import iso639_2

PEAK_LIMIT = 0.708  # -3 dBFS
AAC_FRAME = 1024  # samples per AAC frame


@dataclass
class ChapterMark:
    title: str
    start: float
    end: float


@dataclass
class ChapterAudio:
    index: int
    path: Path  # ADTS AAC
    seconds: float  # exact: frames x 1024 / rate


@dataclass(frozen=True)
class Format:
    """How chapters are encoded: one M4B of AAC chapters, or one file per chapter."""

    name: str
    codec: list[str]  # ffmpeg's encoder arguments
    muxer: str
    suffix: str
    rates: tuple[int, ...] = ()  # sample rates the encoder takes; empty: any


FORMATS = {
    "m4b": Format("m4b", ["-c:a", "aac", "-aac_coder", "fast"], "adts", ".aac"),
    "mp3": Format("mp3", ["-c:a", "libmp3lame"], "mp3", ".mp3"),
    "opus": Format("opus", ["-c:a", "libopus", "-application", "voip"], "ogg", ".opus",
                   (8000, 12000, 16000, 24000, 48000)),
}  # fmt: skip


@dataclass
class MasterSettings:
    bitrate: str = "64k"
    loudness: float = -18.0
    format: str = "m4b"


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


def chapter_rate(plan: Plan, job: Job, index: int) -> int:
    """The sample rate most of a chapter's clips have: the book's, from the first chapter done."""
    rates = [wav_info(job.clip_path(c.key))[0] for c in plan.chapter_clips(index)[:50]]
    return max(set(rates), key=rates.count) if rates else 24000


def _quote(path: Path) -> str:
    return "'" + str(path.resolve()).replace("'", "'\\''") + "'"


def chapter_listing(plan: Plan, job: Job, index: int, rate: int) -> Path:
    lines = ["ffconcat version 1.0"]
    for clip in plan.chapter_clips(index):
        path = job.clip_path(clip.key)
        if wav_info(path)[0] != rate:
            path = _conformed(job, path, rate)
        lines.append(f"file {_quote(path)}")
        lines.append(f"file {_quote(_silence(job, clip.pause_after, rate))}")
    listing = job.root / "chapters" / f"chapter-{index + 1:04d}.ffconcat"
    listing.parent.mkdir(parents=True, exist_ok=True)
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return listing


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


def adts_frames(path: Path) -> int:
    """Count the frames of an ADTS AAC file by walking its frame headers."""
    data = path.read_bytes()
    count = pos = 0
    while pos + 7 <= len(data):
        if data[pos] != 0xFF or data[pos + 1] & 0xF6 != 0xF0:
            raise ValueError(f"{path.name}: not an ADTS frame at byte {pos}")
        length = ((data[pos + 3] & 0x03) << 11) | (data[pos + 4] << 3) | (data[pos + 5] >> 5)
        if length < 7:
            raise ValueError(f"{path.name}: bad ADTS frame length at byte {pos}")
        pos += length
        count += 1
    return count


def master_chapter(
    plan: Plan, job: Job, index: int, rate: int, settings: MasterSettings
) -> ChapterAudio:
    """Measure and encode one chapter (cached by what it is made of)."""
    form = FORMATS[settings.format]
    recipe = json.dumps(
        [[(c.key, c.pause_after) for c in plan.chapter_clips(index)], rate, settings.bitrate,
         settings.loudness, PEAK_LIMIT, 2, form.name],
    )  # fmt: skip
    digest = hashlib.sha256(recipe.encode()).hexdigest()[:20]
    out = job.root / "chapters" / f"chapter-{index + 1:04d}-{digest}{form.suffix}"
    out_rate = rate if not form.rates or rate in form.rates else max(form.rates)
    if not out.exists():
        listing = chapter_listing(plan, job, index, rate)
        measured = measure_loudness(listing)
        gain = 0.0 if measured is None else max(-30.0, min(30.0, settings.loudness - measured))
        tmp = out.with_name(f".{out.name}.partial")
        try:
            run_ffmpeg(
                ["-f", "concat", "-safe", "0", "-i", str(listing), "-af",
                 f"volume={gain:.2f}dB,alimiter=limit={PEAK_LIMIT}:level=false:latency=true",
                 *form.codec, "-b:a", settings.bitrate, "-ar", str(out_rate), "-ac", "1",
                 "-f", form.muxer, str(tmp)],
                what=f"encoding chapter {index + 1}",
            )  # fmt: skip
            os.replace(tmp, out)
        finally:
            tmp.unlink(missing_ok=True)
    if form.muxer == "adts":
        return ChapterAudio(index, out, adts_frames(out) * AAC_FRAME / rate)
    return ChapterAudio(index, out, mutagen.File(out).info.length)


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
    if book.year:
        tags["date"] = book.year
    if book.description:
        tags["description"] = book.description[:255]  # desc holds 255; ldes the whole
        tags["synopsis"] = book.description
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


def chapter_marks(
    chapters: list[ChapterAudio], titles: list[str]
) -> tuple[list[ChapterMark], float]:
    """Each chapter's title, start and end, back to back, and the book's length."""
    marks: list[ChapterMark] = []
    position = 0.0
    for chapter in chapters:
        marks.append(ChapterMark(titles[chapter.index], position, position + chapter.seconds))
        position += chapter.seconds
    return marks, position


def assemble(
    chapters: list[ChapterAudio], titles: list[str], book: Book, job: Job, output: Path
) -> tuple[list[ChapterMark], float]:
    """Join the encoded chapters into the M4B, written under a temporary name then renamed."""
    marks, position = chapter_marks(chapters, titles)
    metadata = job.root / "metadata.txt"
    write_metadata(metadata, book, marks)
    joined = job.root / "book.aac"
    with joined.open("wb") as out:  # ADTS streams concatenate byte for byte
        for chapter in chapters:
            with chapter.path.open("rb") as part:
                while block := part.read(1 << 20):
                    out.write(block)
    # The raw AAC demuxer's time base (1/28,224,000) overflows the chapter text track of any
    # chapter over 76 s, and ffmpeg then writes a chapter reference to no track: Apple players
    # see no chapters. Copied into MP4 first, the audio has its sample rate as time base.
    audio = job.root / "book-audio.mp4"
    run_ffmpeg(["-f", "aac", "-i", str(joined), "-map", "0:a", "-c:a", "copy", "-f", "mp4",
                str(audio)], what="joining the chapters")  # fmt: skip
    joined.unlink(missing_ok=True)
    args = ["-i", str(audio), "-i", str(metadata)]
    maps = ["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1", "-c:a", "copy"]
    if language := iso639_2(book.language):
        maps += ["-metadata:s:a:0", f"language={language}"]
    if book.cover:
        cover = job.root / f"cover.{book.cover_type or 'img'}"
        cover.write_bytes(book.cover)
        args += ["-i", str(cover)]
        codec = "copy" if book.cover_type in ("jpeg", "png") else "png"
        maps += ["-map", "2:v", "-c:v", codec, "-disposition:v:0", "attached_pic"]
    tmp = output.with_name(f".{output.name}.partial")
    try:
        run_ffmpeg(
            args + maps + ["-movflags", "+faststart", "-brand", "M4B ", "-f", "mp4", str(tmp)],
            what="writing the audiobook",
        )
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
        audio.unlink(missing_ok=True)
    return marks, position
