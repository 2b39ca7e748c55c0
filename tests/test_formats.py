"""What players get: M4B chapters in both forms (QuickTime text track and Nero list), tags,
and one tagged file per chapter in MP3 or Opus with a playlist."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

import mutagen
import pytest
from click.testing import CliRunner
from helpers import EXAMPLE
from mp4boxes import quicktime_chapters, tracks

from audiobook.cli import main
from audiobook.model import Book
from audiobook.render.export import file_name, write_chapter_files
from audiobook.render.ffmpeg import ffmpeg_exe
from audiobook.render.job import Job
from audiobook.render.master import AAC_FRAME, ChapterAudio, adts_frames, assemble


def _png(width: int = 4, height: int = 4) -> bytes:
    """A small valid PNG (grey), enough for a cover tag to carry."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))  # fmt: skip


PNG = _png()


def _tone_chapter(folder: Path, index: int, seconds: float, codec: str = "aac") -> ChapterAudio:
    suffix, muxer, args = {
        "aac": (".aac", "adts", ["-c:a", "aac"]),
        "mp3": (".mp3", "mp3", ["-c:a", "libmp3lame"]),
        "opus": (".opus", "ogg", ["-c:a", "libopus", "-ar", "24000"]),
    }[codec]
    path = folder / f"chapter-{index}{suffix}"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
         f"sine=frequency={300 + index}:duration={seconds}:sample_rate=24000", "-ac", "1",
         *args, "-b:a", "32k", "-f", muxer, str(path)],
        check=True,
    )  # fmt: skip
    if codec == "aac":
        return ChapterAudio(index, path, adts_frames(path) * AAC_FRAME / 24000)
    return ChapterAudio(index, path, mutagen.File(path).info.length)


def _book(**kw) -> Book:
    fields = dict(
        title="A Test Book",
        author="A. Writer",
        language="en-GB",
        chapters=[],
        source=Path("book.epub"),
        year="1899",
        description="A book made for tests.",
    )
    return Book(**(fields | kw))


def _ffmpeg_says(path: Path) -> str:
    return subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True
    ).stderr


@pytest.mark.parametrize("lengths", [[100.0], [2.0] * 39 + [90.0]], ids=["one", "forty"])
def test_m4b_chapters_are_read_by_apple_and_nero_players(tmp_path, lengths):
    # Chapters over 76 s once overflowed the chapter track: "Referenced QT chapter track
    # not found", no chapters in Apple Books.
    parts = [_tone_chapter(tmp_path, i, s) for i, s in enumerate(lengths)]
    titles = [f"Chapter {i + 1}: Über the “hill”" for i in range(len(lengths))]
    out = tmp_path / "book.m4b"
    job = Job(tmp_path / "job")
    job.root.mkdir(parents=True)
    marks, duration = assemble(parts, titles, _book(cover=PNG, cover_type="png"), job, out)
    assert duration == pytest.approx(sum(lengths), abs=0.1 * len(lengths))  # AAC priming

    said = _ffmpeg_says(out)
    assert "not found" not in said and f"Chapter #0:{len(lengths) - 1}" in said
    qt = quicktime_chapters(out)
    assert [t for _, t in qt] == titles
    assert [s for s, _ in qt] == pytest.approx([m.start for m in marks], abs=0.01)
    nero = mutagen.File(out).chapters
    assert [c.title for c in nero] == titles
    assert [c.start for c in nero] == pytest.approx([m.start for m in marks], abs=0.01)

    audio = next(t for t in tracks(out) if t.handler == "soun")
    assert audio.language == "eng"  # from en-GB
    tags = mutagen.File(out).tags
    assert tags["©nam"] == ["A Test Book"] and tags["©ART"] == ["A. Writer"]
    assert tags["©day"] == ["1899"] and tags["©gen"] == ["Audiobook"]
    assert tags["desc"] == ["A book made for tests."] and tags["stik"] == [2]
    assert bytes(tags["covr"][0]) == PNG
    assert not list(tmp_path.glob(".*partial"))


@pytest.mark.parametrize("codec", ["mp3", "opus"])
def test_chapter_files_are_tagged_as_an_album_with_a_playlist(tmp_path, codec):
    parts = [_tone_chapter(tmp_path, i, s, codec) for i, s in enumerate([3.0, 4.0, 2.0])]
    titles = ["Front: a/b", "Chapter 2", "Chapter 3"]
    folder = tmp_path / "out" / "book"
    marks, duration = write_chapter_files(parts, titles, _book(cover=PNG, cover_type="png"), folder)
    assert duration == pytest.approx(9.0, abs=0.2)
    names = [file_name(i + 1, 3, t, f".{codec}") for i, t in enumerate(titles)]
    assert names[0] == f"01 - Front a b.{codec}"
    assert sorted(p.name for p in folder.iterdir()) == sorted([*names, "book.m3u"])
    playlist = (folder / "book.m3u").read_text(encoding="utf-8").splitlines()
    assert playlist[0] == "#EXTM3U" and [x for x in playlist if not x.startswith("#")] == names
    for number, name in enumerate(names, start=1):
        f = mutagen.File(folder / name)
        assert f.info.length == pytest.approx(marks[number - 1].end - marks[number - 1].start)
        if codec == "mp3":
            t = f.tags
            assert str(t["TIT2"]) == titles[number - 1] and str(t["TALB"]) == "A Test Book"
            assert str(t["TRCK"]) == f"{number}/3" and str(t["TPE1"]) == "A. Writer"
            assert str(t["TLAN"]) == "eng" and t.getall("APIC")[0].data == PNG
        else:
            t = f.tags
            assert t["title"] == [titles[number - 1]] and t["album"] == ["A Test Book"]
            assert t["tracknumber"] == [str(number)] and t["tracktotal"] == ["3"]
            assert t["artist"] == ["A. Writer"] and "metadata_block_picture" in t


def test_a_second_export_replaces_the_files_the_first_listed(tmp_path):
    folder = tmp_path / "book"
    first = [_tone_chapter(tmp_path, i, 1.0, "mp3") for i in range(3)]
    write_chapter_files(first, ["One", "Two", "Three"], _book(), folder)
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    write_chapter_files(first[:2], ["Uno", "Dos"], _book(), folder)
    assert sorted(p.name for p in folder.iterdir()) == [
        "01 - Uno.mp3", "02 - Dos.mp3", "book.m3u", "notes.txt"]  # fmt: skip


def test_convert_writes_mp3_chapters_into_the_folder_o_names(tmp_path, work_dir):
    result = CliRunner().invoke(
        main, ["convert", str(EXAMPLE), "--tts", "tone", "-q", "-o", str(tmp_path / "s.mp3")]
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "s"
    assert f"Wrote {folder} (2 chapters" in result.output
    files = sorted(folder.glob("*.mp3"))
    assert [f.name for f in files] == [
        "01 - Chapter 1 The Stopped Clock.mp3",
        "02 - Chapter 2 The Note in the Clock.mp3",
    ]
    assert str(mutagen.File(files[1]).tags["TIT2"]) == "Chapter 2: The Note in the Clock"


def test_format_opus_with_a_folder(tmp_path, work_dir):
    result = CliRunner().invoke(
        main, ["convert", str(EXAMPLE), "--tts", "tone", "-q", "--format", "opus",
               "-o", str(tmp_path / "listen")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "listen").glob("*.opus"))) == 2
    assert (tmp_path / "listen" / "listen.m3u").is_file()


def test_a_format_that_contradicts_the_output_name_is_one_clear_line(tmp_path, work_dir):
    result = CliRunner().invoke(
        main, ["convert", str(EXAMPLE), "--tts", "tone", "--format", "mp3", "-o", "b.m4b"]
    )
    assert result.exit_code != 0
    assert "--format mp3 does not go with the output name 'b.m4b'" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "b.m4b").exists()
