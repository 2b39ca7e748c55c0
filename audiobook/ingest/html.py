"""XHTML and HTML documents as blocks of text (paragraphs and headings) with anchors.

Shared by the EPUB reader (one document per spine item) and the HTML reader (one file).
"""

from __future__ import annotations

from dataclasses import dataclass

from audiobook.ingest.frontmatter import GUTENBERG_END, GUTENBERG_START
from audiobook.ingest.sections import drop_title_headings
from audiobook.model import Chapter, Paragraph, Span

BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "dt", "dd", "div", "blockquote",
    "td", "th", "caption", "figcaption", "section", "article", "aside", "header", "footer",
}  # fmt: skip
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIP_TAGS = {"script", "style", "head", "title", "img", "svg", "math", "nav", "table", "audio"}
NOTE_TYPES = {"footnote", "endnote", "noteref", "rearnote", "footnotes", "endnotes"}
BOILERPLATE_IDS = {"pg-header", "pg-footer", "pg-machine-header"}


@dataclass
class Block:
    text: str
    tag: str
    start: int
    end: int

    @property
    def heading(self) -> bool:
        return self.tag in HEADINGS


@dataclass
class Doc:
    href: str
    blocks: list[Block]
    anchors: dict[str, int]  # element id -> index of the first block at or after it


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


def _is_figure(el) -> bool:
    """Figures hold images and their alt text or captions: not part of the read text."""
    return el.tag == "figure" or any(c.startswith("fig") for c in _classes(el))


def _only_a_link(el, text: str) -> bool:
    """A paragraph that is nothing but a link is navigation ("Larger image", "Back to top")."""
    links = [a for a in el.iter("a") if a.text_content().strip()]
    return len(links) == 1 and " ".join(links[0].text_content().split()) == text


def _has_block_child(el) -> bool:
    return any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in el.iterdescendants())


def parse_document(href: str, content: bytes) -> Doc:
    import lxml.html

    doc = Doc(href, [], {})
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
        if el.tag in SKIP_TAGS or _is_note(el) or el.get("id") in BOILERPLATE_IDS or _is_figure(el):
            return
        if el.tag in BLOCK_TAGS and not _has_block_child(el):
            for sub in el.iterdescendants():
                if isinstance(sub.tag, str):
                    note_anchor(sub)
            text = _text_of(el)
            if text and not _only_a_link(el, text):
                start = offset
                offset += len(text) + 2
                doc.blocks.append(Block(text, el.tag, start, start + len(text)))
            return
        for child in el:
            walk(child)

    body = root.find("body")
    walk(body if body is not None else root)
    return doc


def cut_gutenberg(docs: list[Doc], keep: bool) -> None:
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


def _remove_leading(doc: Doc, count: int) -> None:
    del doc.blocks[:count]
    doc.anchors = {k: max(0, v - count) for k, v in doc.anchors.items()}


def sections_from_marks(docs: list[Doc], marks: list[tuple[int, int, str]]) -> list[Chapter]:
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
            chapter.title = _first_heading_of(paragraphs, flags) or "Front matter"
        chapters.append(chapter)
    return chapters


def _first_heading(doc: Doc) -> str | None:
    return next((b.text for b in doc.blocks if b.heading), None)


def _first_heading_of(paragraphs: list[Paragraph], flags: list[bool]) -> str | None:
    return next((p.text for p, h in zip(paragraphs, flags, strict=True) if h), None)


def heading_marks(doc: Doc) -> list[tuple[int, int, str]]:
    """Chapter starts in a single document: every heading of the top level used twice or more."""
    for level in ("h1", "h2", "h3"):
        found = [(0, i, b.text) for i, b in enumerate(doc.blocks) if b.tag == level]
        if len(found) >= 2:
            return found
    return []


def read_html(path, *, keep_front_matter: bool = False):
    import lxml.html

    from audiobook.errors import UserError
    from audiobook.ingest.sections import select_body
    from audiobook.ingest.text import MAX_TEXT_BYTES
    from audiobook.model import Book

    if path.stat().st_size > MAX_TEXT_BYTES:
        raise UserError(f"{path.name}: over {MAX_TEXT_BYTES >> 20} MB, too large for one book")
    content = path.read_bytes()
    if b"\x00" in content[:4096]:
        raise UserError(f"{path.name}: this is a binary file, not HTML")
    doc = parse_document(path.name, content)
    cut_gutenberg([doc], keep_front_matter)
    marks = heading_marks(doc)
    title = author = language = None
    try:
        root = lxml.html.document_fromstring(content)
        title = (root.findtext(".//title") or "").strip() or None
        for meta in root.iter("meta"):
            if (meta.get("name") or "").lower() in ("author", "dc.creator"):
                author = meta.get("content")
        language = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    except Exception:
        pass
    first_heading = next((b.text for b in doc.blocks if b.heading), None)
    book_title = title or first_heading or path.stem
    chapters = sections_from_marks([doc], marks or [(0, 0, book_title)])
    chapters, skipped = select_body(chapters, keep_front_matter)
    return Book(book_title, author, language, chapters, path, skipped=skipped)
