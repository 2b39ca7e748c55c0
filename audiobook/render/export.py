"""One file per chapter (MP3 or Opus), tagged as an album, with an .m3u playlist.

What podcast apps, older players and audiobook servers' folder mode take. The files are
written into a hidden folder inside the output folder and moved into place only when every
chapter is done, the playlist last, so a folder with a playlist is a finished book.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
from pathlib import Path

from mutagen import id3
from mutagen.flac import Picture
from mutagen.mp3 import MP3
from mutagen.oggopus import OggOpus

from audiobook.model import Book
from audiobook.render.master import ChapterAudio, ChapterMark, chapter_marks
from audiobook.text.language import iso639_2

MIME = {"jpeg": "image/jpeg", "jpg": "image/jpeg", "png": "image/png", "gif": "image/gif"}


def file_name(number: int, total: int, title: str, suffix: str) -> str:
    """ "03 - The Pool of Tears.mp3": numbered to sort, titled to read, safe on any disk."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title)
    safe = " ".join(safe.split()).strip(" .")[:80] or "Chapter"
    return f"{number:0{max(2, len(str(total)))}d} - {safe}{suffix}"


def _tag_mp3(path: Path, book: Book, title: str, number: int, total: int) -> None:
    audio = MP3(path)
    if audio.tags is None:
        audio.add_tags()
    tags = audio.tags
    tags.add(id3.TIT2(encoding=3, text=title))
    tags.add(id3.TALB(encoding=3, text=book.title))
    tags.add(id3.TRCK(encoding=3, text=f"{number}/{total}"))
    tags.add(id3.TCON(encoding=3, text="Audiobook"))
    if book.author:
        tags.add(id3.TPE1(encoding=3, text=book.author))
        tags.add(id3.TPE2(encoding=3, text=book.author))
    if book.year:
        tags.add(id3.TDRC(encoding=3, text=book.year))
    if language := iso639_2(book.language):
        tags.add(id3.TLAN(encoding=3, text=language))
    if book.description:
        tags.add(id3.COMM(encoding=3, lang="eng", desc="", text=book.description))
    if book.cover:
        mime = MIME.get(book.cover_type or "", "image/jpeg")
        tags.add(id3.APIC(encoding=3, mime=mime, type=3, desc="Cover", data=book.cover))
    audio.save()


def _tag_opus(path: Path, book: Book, title: str, number: int, total: int) -> None:
    audio = OggOpus(path)
    tags = audio.tags
    tags["title"] = title
    tags["album"] = book.title
    tags["tracknumber"] = str(number)
    tags["tracktotal"] = str(total)
    tags["genre"] = "Audiobook"
    if book.author:
        tags["artist"] = book.author
        tags["albumartist"] = book.author
    if book.year:
        tags["date"] = book.year
    if book.language:
        tags["language"] = book.language
    if book.description:
        tags["description"] = book.description
    if book.cover:
        picture = Picture()
        picture.type = 3
        picture.mime = MIME.get(book.cover_type or "", "image/jpeg")
        picture.desc = "Cover"
        picture.data = book.cover
        tags["metadata_block_picture"] = base64.b64encode(picture.write()).decode("ascii")
    audio.save()


TAGGERS = {".mp3": _tag_mp3, ".opus": _tag_opus}


def write_chapter_files(
    chapters: list[ChapterAudio], titles: list[str], book: Book, folder: Path
) -> tuple[list[ChapterMark], float]:
    """Copy each encoded chapter into `folder` under its number and title, tag it, and write
    `<folder name>.m3u`; files an earlier run listed in that playlist are replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f".partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    marks, length = chapter_marks(chapters, titles)
    lines = ["#EXTM3U", f"#PLAYLIST:{book.title}"]
    names: list[str] = []
    try:
        for number, chapter in enumerate(chapters, start=1):
            title = titles[chapter.index]
            name = file_name(number, len(chapters), title, chapter.path.suffix)
            shutil.copyfile(chapter.path, staging / name)
            TAGGERS[chapter.path.suffix](staging / name, book, title, number, len(chapters))
            lines += [f"#EXTINF:{round(chapter.seconds)},{title}", name]
            names.append(name)
        playlist = folder / f"{folder.name}.m3u"
        for old in _listed(playlist):
            (folder / old).unlink(missing_ok=True)
        for name in names:
            os.replace(staging / name, folder / name)
        (staging / playlist.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(staging / playlist.name, playlist)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return marks, length


def _listed(playlist: Path) -> list[str]:
    """The files an earlier run's playlist names (only plain names inside the folder)."""
    if not playlist.is_file():
        return []
    names = playlist.read_text(encoding="utf-8", errors="replace").splitlines()
    return [n for n in names if n and not n.startswith("#") and not re.search(r"[/\\]|^\.\.$", n)]
