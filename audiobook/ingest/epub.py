"""EPUB 2 and 3: spine order, chapter titles from the NCX or nav document, cover image."""

from __future__ import annotations

import posixpath
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from audiobook.errors import UserError
from audiobook.ingest.frontmatter import GUTENBERG_END, GUTENBERG_START
from audiobook.ingest.sections import drop_title_headings, select_body
from audiobook.model import Book, Chapter, Paragraph, Span

MAX_UNCOMPRESSED = 512 * 1024 * 1024
BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "dt", "dd", "div", "blockquote",
    "td", "th", "caption", "figcaption", "section", "article", "aside", "header", "footer",
}  # fmt: skip
PAGE_LABEL = re.compile(r"^\s*(\[\s*\w+\s*\]|\d+|pages?)\s*$", re.I)
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIP_TAGS = {"script", "style", "head", "title", "img", "svg", "math", "nav", "table", "audio"}
NOTE_TYPES = {"footnote", "endnote", "noteref", "rearnote", "footnotes", "endnotes"}
BOILERPLATE_IDS = {"pg-header", "pg-footer", "pg-machine-header"}


@dataclass
class _Block:
    text: str
    heading: bool
    start: int
    end: int


@dataclass
class _Doc:
    href: str
    blocks: list[_Block]
    anchors: dict[str, int]  # element id -> index of the first block at or after it


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

    docs: list[_Doc] = []
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or item.get_type() != ebooklib.ITEM_DOCUMENT:
            continue
        docs.append(_parse_document(item.get_name(), item.get_content()))
    _cut_gutenberg(docs, keep_front_matter)

    marks = _toc_marks(book, docs)
    sections = _sections(docs, marks)
    chapters, skipped = select_body(sections, keep_front_matter)
    cover, cover_type = _cover(book)
    return Book(
        title=_meta(book, "title") or path.stem,
        author=_meta(book, "creator"),
        language=_meta(book, "language"),
        chapters=chapters,
        source=path,
        cover=cover,
        cover_type=cover_type,
        skipped=skipped,
    )


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


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _is_note(el) -> bool:
    kinds = set((el.get("epub:type") or el.get("{http://www.idpf.org/2007/ops}type") or "").split())
    role = el.get("role") or ""
    return (
        bool(kinds & NOTE_TYPES)
        or role.startswith("doc-noteref")
        or role
        in (
            "doc-footnote",
            "doc-endnote",
        )
    )


def _is_page_marker(el) -> bool:
    """Page numbers, page-break markers and links to full-size images are not read aloud."""
    kinds = (el.get("epub:type") or "") + " " + (el.get("role") or "")
    if "pagebreak" in kinds or any("pagenum" in c or "page-number" in c for c in _classes(el)):
        return True
    href = (el.get("href") or "").lower() if el.tag == "a" else ""
    return href.endswith((".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp"))


def _text_of(el) -> str:
    parts: list[str] = []

    def visit(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if not tag or tag in SKIP_TAGS or _is_note(node) or _is_page_marker(node):
            if node.tail:
                parts.append(node.tail)
            return
        if tag == "br":
            parts.append(" ")
        elif node.text:
            parts.append(node.text)
        for child in node:
            visit(child)
        if node.tail and node is not el:
            parts.append(node.tail)

    visit(el)
    return " ".join("".join(parts).split())


def _has_block_child(el) -> bool:
    return any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in el.iterdescendants())


def _parse_document(href: str, content: bytes) -> _Doc:
    import lxml.html

    doc = _Doc(href, [], {})
    if not content.strip():
        return doc
    try:
        root = lxml.html.document_fromstring(content)
    except Exception:
        return doc
    offset = 0

    def note_anchor(el) -> None:
        for attr in ("id", "name"):
            value = el.get(attr)
            if value and value not in doc.anchors:
                doc.anchors[value] = len(doc.blocks)

    def walk(el) -> None:
        nonlocal offset
        if not isinstance(el.tag, str):
            return
        note_anchor(el)
        if el.tag in SKIP_TAGS or _is_note(el) or el.get("id") in BOILERPLATE_IDS:
            return
        if el.tag in BLOCK_TAGS and not _has_block_child(el):
            for sub in el.iterdescendants():
                if isinstance(sub.tag, str):
                    note_anchor(sub)
            text = _text_of(el)
            if text:
                start = offset
                offset += len(text) + 2
                doc.blocks.append(_Block(text, el.tag in HEADINGS, start, start + len(text)))
            return
        for child in el:
            walk(child)

    body = root.find("body")
    walk(body if body is not None else root)
    return doc


def _cut_gutenberg(docs: list[_Doc], keep: bool) -> None:
    """Drop the Project Gutenberg header (up to its START line) and everything from its END line."""
    if keep:
        return
    for i, doc in enumerate(docs):
        for j, block in enumerate(doc.blocks):
            if GUTENBERG_START.search(block.text):
                for earlier in docs[:i]:
                    earlier.blocks.clear()
                _remove_leading(doc, j + 1)
                break
    for i, doc in enumerate(docs):
        for j, block in enumerate(doc.blocks):
            if GUTENBERG_END.search(block.text):
                del doc.blocks[j:]
                for later in docs[i + 1 :]:
                    later.blocks.clear()
                return


def _remove_leading(doc: _Doc, count: int) -> None:
    del doc.blocks[:count]
    doc.anchors = {k: max(0, v - count) for k, v in doc.anchors.items()}


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


def _toc_marks(book, docs: list[_Doc]) -> list[tuple[int, int, str]]:
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


def _sections(docs: list[_Doc], marks: list[tuple[int, int, str]]) -> list[Chapter]:
    if not marks:
        marks = [(i, 0, _first_heading(d) or f"Chapter {i + 1}") for i, d in enumerate(docs)]
    chapters: list[Chapter] = []
    if marks[0][:2] != (0, 0):
        marks = [(0, 0, "")] + marks  # text before the first entry: front matter unless long
    for n, (doc_i, block_i, title) in enumerate(marks):
        end_doc, end_block = (
            (marks[n + 1][0], marks[n + 1][1])
            if n + 1 < len(marks)
            else (
                len(docs) - 1,
                len(docs[-1].blocks),
            )
        )
        paragraphs: list[Paragraph] = []
        flags: list[bool] = []
        for d in range(doc_i, end_doc + 1):
            blocks = docs[d].blocks
            lo = block_i if d == doc_i else 0
            hi = end_block if d == end_doc else len(blocks)
            for b in blocks[lo:hi]:
                paragraphs.append(Paragraph(b.text, Span(docs[d].href, b.start, b.end)))
                flags.append(b.heading)
        chapter = drop_title_headings(Chapter(title, paragraphs), flags)
        if not title and paragraphs:
            chapter.title = _first_heading_of(paragraphs, flags) or ""
        chapters.append(chapter)
    return chapters


def _first_heading(doc: _Doc) -> str | None:
    return next((b.text for b in doc.blocks if b.heading), None)


def _first_heading_of(paragraphs: list[Paragraph], flags: list[bool]) -> str | None:
    return next((p.text for p, h in zip(paragraphs, flags, strict=True) if h), None)


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
