"""EPUB 2 and 3: spine order, chapter titles from the NCX or nav document, cover image."""

from __future__ import annotations

import posixpath
import re
import warnings
import zipfile
from pathlib import Path
from urllib.parse import unquote

import lxml.etree
import lxml.html

from audiobook.errors import UserError
from audiobook.ingest.html import (
    Doc,
    cut_gutenberg,
    parse_document,
    sections_from_marks,
    with_inner_headings,
)
from audiobook.ingest.sections import select_body
from audiobook.model import Book

MAX_UNCOMPRESSED = 512 * 1024 * 1024
PAGE_LABEL = re.compile(r"^\s*(\[\s*\w+\s*\]|\d+|pages?)\s*$", re.I)


def read_epub(path: Path, *, keep_front_matter: bool = False) -> Book:
    _check_archive(path)
    import ebooklib
    from ebooklib import epub

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = epub.read_epub(str(path), options={"ignore_ncx": False})
    except Exception as e:
        raise UserError(f"{path.name}: not a readable EPUB ({type(e).__name__}: {e})") from None

    docs: list[Doc] = []
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or item.get_type() != ebooklib.ITEM_DOCUMENT:
            continue
        docs.append(
            parse_document(item.get_name(), item.get_content(), keep_notes=keep_front_matter)
        )
    cut_gutenberg(docs, keep_front_matter)

    marks = with_inner_headings(docs, _toc_marks(book, docs))
    sections = sections_from_marks(docs, marks)
    chapters, left_out = select_body(sections, keep_front_matter)
    cover, cover_type = _cover(book)
    return Book(
        title=_meta(book, "title") or path.stem,
        author=_meta(book, "creator"),
        language=_meta(book, "language"),
        chapters=chapters,
        source=path,
        cover=cover,
        cover_type=cover_type,
        left_out=left_out,
        notes_left_out=sum(d.notes for d in docs),
        year=_year(_meta(book, "date")),
        description=_plain(_meta(book, "description")),
    )


def _year(date: str | None) -> str | None:
    found = re.search(r"\b(1[5-9]|20)\d\d\b", date or "")
    return found.group(0) if found else None


def _plain(html: str | None) -> str | None:
    """A description as text: EPUBs often hold it as escaped HTML."""
    if not html:
        return None
    try:
        text = lxml.html.fromstring(html).text_content()
    except (ValueError, lxml.etree.ParserError):
        text = html
    return " ".join(text.split()) or None


def _check_archive(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError) as e:
        raise UserError(f"{path.name}: not a valid EPUB archive ({e})") from None
    names = {i.filename for i in infos}
    if "META-INF/encryption.xml" in names:
        raise UserError(f"{path.name}: the EPUB is encrypted (DRM); it cannot be read")
    if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
        raise UserError(f"{path.name}: the archive unpacks to over {MAX_UNCOMPRESSED >> 20} MB")
    for name in names:
        if name.startswith("/") or ".." in name.split("/"):
            raise UserError(f"{path.name}: unsafe member name in archive: {name}")


def _meta(book, name: str) -> str | None:
    values = book.get_metadata("DC", name)
    if not values:
        return None
    return " ".join(values[0][0].split()) or None


def _flatten_toc(toc) -> list[tuple[str, str]]:
    entries: list[tuple[str, str]] = []
    for node in toc:
        if isinstance(node, tuple) and len(node) == 2:
            section, children = node
            href = getattr(section, "href", None)
            if href:
                entries.append((href, section.title or ""))
            entries.extend(_flatten_toc(children))
        elif getattr(node, "href", None):
            entries.append((node.href, node.title or ""))
    return entries


def _toc_marks(book, docs: list[Doc]) -> list[tuple[int, int, str]]:
    """(document index, block index, title) for each table-of-contents entry found in the spine."""
    by_name = {d.href: i for i, d in enumerate(docs)}
    by_base = {posixpath.basename(d.href): i for i, d in enumerate(docs)}
    marks: list[tuple[int, int, str]] = []
    for href, title in _flatten_toc(book.toc):
        file, _, frag = unquote(href).partition("#")
        # NCX hrefs are relative to the OPF folder like item names; nav hrefs to the nav file.
        doc_index = by_name.get(posixpath.normpath(file), by_base.get(posixpath.basename(file)))
        if doc_index is None or PAGE_LABEL.match(title):
            continue
        block = docs[doc_index].anchors.get(frag, 0) if frag else 0
        marks.append((doc_index, block, " ".join(title.split())))
    marks.sort(key=lambda m: (m[0], m[1]))
    unique: list[tuple[int, int, str]] = []
    for mark in marks:
        if unique and unique[-1][:2] == mark[:2]:
            continue  # two entries at one place: keep the first (outermost) title
        unique.append(mark)
    return unique


def _cover(book) -> tuple[bytes | None, str | None]:
    import ebooklib

    candidates = list(book.get_items_of_type(ebooklib.ITEM_COVER))
    cover_id = None
    for _value, attrs in book.get_metadata("OPF", "cover"):
        cover_id = attrs.get("content")
    if cover_id:
        item = book.get_item_with_id(cover_id)
        if item is not None:
            candidates.insert(0, item)
    for item in book.get_items_of_type(ebooklib.ITEM_IMAGE):
        if "cover-image" in (getattr(item, "properties", None) or []) or re.search(
            r"cover", item.get_name(), re.I
        ):
            candidates.append(item)
    for item in candidates:
        media = (item.media_type or "").lower()
        if media in ("image/jpeg", "image/jpg"):
            return item.get_content(), "jpeg"
        if media == "image/png":
            return item.get_content(), "png"
        if media.startswith("image/"):
            return item.get_content(), media.split("/", 1)[1]
    return None, None
