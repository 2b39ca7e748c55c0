"""Where a run writes: the output file or folder, and the book a rendered script is tagged as."""

from __future__ import annotations

from pathlib import Path

from audiobook.errors import UserError
from audiobook.ingest import read_book
from audiobook.model import Book
from audiobook.script import Script

# What an output name says about the format: an M4B file, or a folder of chapter files.
OUTPUT_SUFFIXES = {".m4b": "m4b", ".m4a": "m4b", ".mp4": "m4b", ".mp3": "mp3", ".opus": "opus",
                   ".ogg": "opus"}  # fmt: skip


def output_target(
    input_path: Path, output: str | Path | None, fmt: str | None = None
) -> tuple[Path, str]:
    """Where the book goes and as what: an .m4b file, or for mp3 and opus the folder that
    takes one file per chapter (`-o book.mp3` is the folder `book`). The format is `fmt`,
    else what the output name ends in, else m4b."""
    path = Path(output) if output is not None else None
    suffix = path.suffix.lower() if path is not None and not path.is_dir() else ""
    if suffix in OUTPUT_SUFFIXES:
        named = OUTPUT_SUFFIXES[suffix]
        if fmt and fmt != named:
            raise UserError(
                f"--format {fmt} does not go with the output name '{path.name}' "
                f"(a {named} name); change one of them"
            )
        fmt = named
    fmt = fmt or "m4b"
    if fmt == "m4b":
        if path is None:
            return Path.cwd() / (input_path.stem + ".m4b"), fmt
        if path.is_dir():
            return path / (input_path.stem + ".m4b"), fmt
        if suffix not in OUTPUT_SUFFIXES:
            raise UserError(
                f"output must end in .m4b (or .m4a/.mp4), got '{path.name}'; for one file "
                "per chapter give a folder with --format mp3 or opus"
            )
        return output_folder(path), fmt
    folder = Path.cwd() / input_path.stem if path is None else path
    if suffix:
        folder = folder.with_suffix("")
    if folder.exists() and not folder.is_dir():
        raise UserError(f"cannot write the {fmt} chapters into {folder}: it is a file")
    return output_folder(folder / f"{folder.name}.m3u").parent, fmt


def output_folder(path: Path) -> Path:
    """`path`, with the folders it goes in made (`-o out/book.m4b` into a new folder)."""
    if path.parent.exists() and not path.parent.is_dir():
        raise UserError(f"cannot write into {path.parent}: it is a file, not a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create the output folder {path.parent}: {e.strerror}") from None
    return path


def book_for_script(script: Script) -> Book:
    """Tags and cover for rendering a script: from its header, the cover from its source."""
    book = Book(script.title, script.author, script.language, [], Path(script.source))
    source = Path(script.source)
    if source.is_file() and source.suffix.lower() == ".epub":
        try:
            original = read_book(source)
            book.cover, book.cover_type = original.cover, original.cover_type
        except UserError:
            pass
    return book
