"""Read an MP4's tracks box by box, as a player does: handler, chapter reference, text samples.

mutagen reads the tags and the Nero chapter list; the QuickTime chapter track (what Apple's
players read) is a text track that the audio track's `tref/chap` points at, which only the
boxes show.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"tref", b"udta", b"edts", b"dinf"}


@dataclass
class Track:
    track_id: int = 0
    handler: str = ""
    language: str = ""
    timescale: int = 0
    chapter_refs: list[int] = field(default_factory=list)
    durations: list[int] = field(default_factory=list)  # per sample, in `timescale`
    samples: list[bytes] = field(default_factory=list)


def _boxes(data: bytes, start: int, end: int):
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header:
            raise ValueError(f"bad box size at byte {pos}")
        yield kind, pos + header, pos + size
        pos += size


def _language(code: int) -> str:
    return "".join(chr(((code >> shift) & 0x1F) + 0x60) for shift in (10, 5, 0))


def _read_trak(data: bytes, start: int, end: int) -> Track:
    track = Track()
    tables: dict[bytes, tuple[int, int]] = {}

    def walk(a: int, b: int) -> None:
        for kind, s, e in _boxes(data, a, b):
            if kind in CONTAINERS:
                walk(s, e)
            elif kind == b"tkhd":
                version = data[s]
                track.track_id = struct.unpack(">I", data[s + (20 if version else 12) :][:4])[0]
            elif kind == b"mdhd":
                version = data[s]
                at = s + (20 if version else 12)
                track.timescale = struct.unpack(">I", data[at : at + 4])[0]
                lang_at = at + (12 if version else 8)
                track.language = _language(struct.unpack(">H", data[lang_at : lang_at + 2])[0])
            elif kind == b"hdlr":
                track.handler = data[s + 8 : s + 12].decode("latin-1")
            elif kind == b"chap":
                track.chapter_refs = list(struct.unpack(f">{(e - s) // 4}I", data[s:e]))
            elif kind in (b"stts", b"stsz", b"stsc", b"stco", b"co64"):
                tables[kind] = (s, e)

    walk(start, end)
    if "stts" not in {k.decode() for k in tables}:
        return track
    s, _ = tables[b"stts"]
    (count,) = struct.unpack(">I", data[s + 4 : s + 8])
    for i in range(count):
        n, delta = struct.unpack(">II", data[s + 8 + 8 * i : s + 16 + 8 * i])
        track.durations += [delta] * n
    if track.handler == "text":
        track.samples = _samples(data, tables)
    return track


def _samples(data: bytes, tables: dict[bytes, tuple[int, int]]) -> list[bytes]:
    s, _ = tables[b"stsz"]
    uniform, count = struct.unpack(">II", data[s + 4 : s + 12])
    sizes = (
        [uniform] * count
        if uniform
        else list(struct.unpack(f">{count}I", data[s + 12 : s + 12 + 4 * count]))
    )
    if b"co64" in tables:
        s, _ = tables[b"co64"]
        (n,) = struct.unpack(">I", data[s + 4 : s + 8])
        offsets = list(struct.unpack(f">{n}Q", data[s + 8 : s + 8 + 8 * n]))
    else:
        s, _ = tables[b"stco"]
        (n,) = struct.unpack(">I", data[s + 4 : s + 8])
        offsets = list(struct.unpack(f">{n}I", data[s + 8 : s + 8 + 4 * n]))
    s, _ = tables[b"stsc"]
    (n,) = struct.unpack(">I", data[s + 4 : s + 8])
    runs = [struct.unpack(">III", data[s + 8 + 12 * i : s + 20 + 12 * i]) for i in range(n)]
    samples: list[bytes] = []
    index = 0
    for chunk_number, offset in enumerate(offsets, start=1):
        per_chunk = next(r[1] for r in reversed(runs) if r[0] <= chunk_number)
        for _ in range(per_chunk):
            if index >= len(sizes):
                break
            samples.append(data[offset : offset + sizes[index]])
            offset += sizes[index]
            index += 1
    return samples


def tracks(path: Path) -> list[Track]:
    data = path.read_bytes()
    found: list[Track] = []
    for kind, s, e in _boxes(data, 0, len(data)):
        if kind == b"moov":
            found += [_read_trak(data, a, b) for k, a, b in _boxes(data, s, e) if k == b"trak"]
    return found


def quicktime_chapters(path: Path) -> list[tuple[float, str]]:
    """(start in seconds, title) from the text track the audio track's tref/chap points at;
    raises AssertionError when the reference or the track is missing."""
    found = tracks(path)
    audio = [t for t in found if t.handler == "soun"]
    assert audio, "no audio track"
    refs = audio[0].chapter_refs
    assert refs, "the audio track has no tref/chap chapter reference"
    text = [t for t in found if t.track_id in refs]
    assert text, f"tref/chap points at track {refs}, which does not exist"
    assert text[0].handler == "text", f"the chapter track's handler is {text[0].handler!r}"
    chapters, position = [], 0
    for duration, sample in zip(text[0].durations, text[0].samples, strict=True):
        (length,) = struct.unpack(">H", sample[:2])
        chapters.append((position / text[0].timescale, sample[2 : 2 + length].decode("utf-8")))
        position += duration
    return chapters
