"""XHTML and HTML documents as blocks of text (paragraphs and headings) with anchors.

Shared by the EPUB reader (one document per spine item) and the HTML reader (one file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from audiobook.ingest.frontmatter import GUTENBERG_END, GUTENBERG_START
from audiobook.ingest.headings import is_chapter_heading
from audiobook.ingest.sections import drop_title_headings
from audiobook.model import Chapter, Paragraph, Span

BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "dt", "dd", "div", "blockquote",
    "td", "th", "caption", "figcaption", "section", "article", "aside", "header", "footer",
}  # fmt: skip
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
MIN_INNER_HEADINGS = 2
SKIP_TAGS = {"script", "style", "head", "title", "img", "svg", "math", "nav", "table", "audio"}
NOTE_TYPES = {"footnote", "endnote", "noteref", "rearnote", "footnotes", "endnotes", "note"}
NOTE_ROLES = {"doc-footnote", "doc-endnote", "doc-endnotes", "doc-footnotes", "doc-noteref"}
NOTE_CLASSES = {"footnote", "footnotes", "endnote", "endnotes", "fnanchor", "noteref", "fn"}
# What a link to a note says: "1", "[12]", "*", "†"
NOTE_MARK = re.compile(r"^\s*\[?\s*(?:\d{1,3}|[*†‡§]|[ivx]{1,4})\s*\]?\s*$")
TIE = 0.01  # charset-normalizer's "chaos" within which two code pages read a text as well
DECLARED_CHARSET = re.compile(
    rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)|<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""",
    re.I,
)
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
    notes: int = 0  # footnotes and endnotes left out


def decode_html(content: bytes) -> str:
    """The document's text in the charset it declares (XML declaration or meta tag), else
    UTF-8 when it is valid UTF-8, else what charset-normalizer finds (cp1252, Latin-1 ...)."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    declared = DECLARED_CHARSET.search(content[:4096])
    if declared:
        name = (declared.group(1) or declared.group(2)).decode("ascii")
        try:
            return content.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(content))
    if not matches:
        return content.decode("cp1252", errors="replace")
    # Short Western texts fit several code pages equally well; the web's default wins a tie.
    least = min(m.chaos for m in matches)
    tied = {m.encoding for m in matches if m.chaos <= least + TIE}
    if tied & {"cp1252", "latin_1", "iso8859_15"}:
        return content.decode("cp1252", errors="replace")
    return str(min(matches, key=lambda m: m.chaos))


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _is_note(el) -> bool:
    """A footnote or endnote (left out of the reading), or a mark that refers to one."""
    kinds = set((el.get("epub:type") or el.get("{http://www.idpf.org/2007/ops}type") or "").split())
    if el.tag == "aside" or kinds & NOTE_TYPES or (el.get("role") or "") in NOTE_ROLES:
        return True
    if _classes(el) & NOTE_CLASSES:
        return True
    return _is_note_link(el) or (
        el.tag == "sup" and any(_is_note_link(a) for a in el.iter("a")) and _marks_only(el)
    )


def _is_note_link(el) -> bool:
    href = el.get("href") or "" if el.tag == "a" else ""
    return "#" in href and _marks_only(el)


def _marks_only(el) -> bool:
    return bool(NOTE_MARK.match(el.text_content()))


def _is_note_body(el) -> bool:
    return _is_note(el) and not _is_note_link(el) and el.tag != "sup"


def _is_page_marker(el) -> bool:
    """Page numbers, page-break markers and links to full-size images are not read aloud."""
    kinds = (el.get("epub:type") or "") + " " + (el.get("role") or "")
    if "pagebreak" in kinds or any("pagenum" in c or "page-number" in c for c in _classes(el)):
        return True
    href = (el.get("href") or "").lower() if el.tag == "a" else ""
    return href.endswith((".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp"))


def _text_of(el, keep_notes: bool = False) -> str:
    parts: list[str] = []

    def visit(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        note = _is_note(node) and node is not el and not (keep_notes and _is_note_body(node))
        left_out = note or _is_page_marker(node)  # el itself may be a kept note
        if not tag or tag in SKIP_TAGS or left_out:
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


def _inline_text(el) -> str:
    """An inline element's text, with the spaces at its edges that part it from the rest."""
    if _is_page_marker(el):
        return ""
    raw = el.text_content()
    inner = _text_of(el)
    if not inner:
        return " " if raw[:1].isspace() else ""
    return (" " if raw[:1].isspace() else "") + inner + (" " if raw[-1:].isspace() else "")


def _is_figure(el) -> bool:
    """Figures hold images and their alt text or captions: not part of the read text."""
    return el.tag == "figure" or any(c.startswith("fig") for c in _classes(el))


def _only_a_link(el, text: str) -> bool:
    """A paragraph that is nothing but a link is navigation ("Larger image", "Back to top")."""
    links = [a for a in el.iter("a") if a.text_content().strip()]
    return len(links) == 1 and " ".join(links[0].text_content().split()) == text


def _has_block_child(el) -> bool:
    return any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in el.iterdescendants())


def _left_out(el) -> bool:
    """Scripts, images, navigation, note marks, figures and Gutenberg's boilerplate."""
    return el.tag in SKIP_TAGS or _is_note(el) or _is_figure(el) or el.get("id") in BOILERPLATE_IDS


def _is_container(el) -> bool:
    """An element to walk into (it holds blocks or leaves things out), not inline text."""
    if not isinstance(el.tag, str):
        return False
    return el.tag in BLOCK_TAGS or el.tag in SKIP_TAGS or _is_note(el) or _has_block_child(el)


def parse_document(href: str, content: bytes, *, keep_notes: bool = False) -> Doc:
    import lxml.html

    doc = Doc(href, [], {})
    if not content.strip():
        return doc
    try:
        root = lxml.html.document_fromstring(_without_declaration(decode_html(content)))
    except Exception:
        return doc
    offset = 0

    def add(text: str, tag: str) -> None:
        nonlocal offset
        start = offset
        offset += len(text) + 2
        doc.blocks.append(Block(text, tag, start, start + len(text)))

    def note_anchor(el) -> None:
        for attr in ("id", "name"):
            value = el.get(attr)
            if value and value not in doc.anchors:
                doc.anchors[value] = len(doc.blocks)

    def walk(el) -> None:
        if not isinstance(el.tag, str):
            return
        note_anchor(el)
        if _is_note_body(el):
            doc.notes += 1
            if not keep_notes:
                return
        elif _left_out(el):
            return
        if el.tag in BLOCK_TAGS and not _has_block_child(el):
            for sub in el.iterdescendants():
                if isinstance(sub.tag, str):
                    note_anchor(sub)
                    doc.notes += _is_note_body(sub)
            text = _text_of(el, keep_notes)
            if text and not _only_a_link(el, text):
                add(text, el.tag)
            return
        # Text beside blocks ("<div>text<p>..</p>text</div>") is read in order, as paragraphs.
        tag = el.tag if el.tag in HEADINGS else "p"
        run: list[str] = [el.text or ""]
        for child in el:
            if _is_container(child):
                flush(run, tag)
                walk(child)
                run = [child.tail or ""]
            elif isinstance(child.tag, str):
                note_anchor(child)
                run += [_inline_text(child), child.tail or ""]
            else:
                run.append(child.tail or "")
        flush(run, tag)

    def flush(run: list[str], tag: str) -> None:
        text = " ".join("".join(run).split())
        if text:
            add(text, tag)

    body = root.find("body")
    walk(body if body is not None else root)
    return doc


def _without_declaration(text: str) -> str:
    """lxml refuses a str that still declares an encoding; the bytes are decoded already."""
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)


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
    marks = marks or document_marks(docs)
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


def document_marks(docs: list[Doc]) -> list[tuple[int, int, str]]:
    """A chapter per document, named by its first heading: when nothing else marks them."""
    return [(i, 0, _first_heading(d) or f"Chapter {i + 1}") for i, d in enumerate(docs)]


def _first_heading(doc: Doc) -> str | None:
    return next((b.text for b in doc.blocks if b.heading), None)


def _first_heading_of(paragraphs: list[Paragraph], flags: list[bool]) -> str | None:
    return next((p.text for p, h in zip(paragraphs, flags, strict=True) if h), None)


def chapter_heading_marks(doc: Doc, index: int) -> list[tuple[int, int, str]]:
    """Chapter starts inside one document by what its lines say ("CHAPITRE II", "第三回"): a
    heading tag, or any block that names itself a chapter (bare "3." only in a heading tag)."""
    named = [is_chapter_heading(b.text, bare_numbers=b.heading) for b in doc.blocks]
    found = []
    for i, block in enumerate(doc.blocks):
        # A heading with text after it; lines that are all headings are a contents list.
        if named[i] and i + 1 < len(named) and not named[i + 1]:
            block.tag = block.tag if block.heading else "h2"  # read as the title, not twice
            found.append((index, i, block.text))
    return found


def with_inner_headings(
    docs: list[Doc], marks: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """Where a document holds more chapter headings than the table of contents lists for it
    (a Chinese book of a hundred 第N回 in one file), its headings start the chapters."""
    marks = marks or document_marks(docs)
    result: list[tuple[int, int, str]] = []
    for index, doc in enumerate(docs):
        listed = [m for m in marks if m[0] == index]
        found = chapter_heading_marks(doc, index)
        if len(found) >= MIN_INNER_HEADINGS and len(found) > len(listed):
            result += [m for m in listed if m[1] < found[0][1]] + found
        else:
            result += listed
    return sorted(result, key=lambda m: (m[0], m[1]))


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
    doc = parse_document(path.name, content, keep_notes=keep_front_matter)
    cut_gutenberg([doc], keep_front_matter)
    marks = heading_marks(doc)
    inner = with_inner_headings([doc], [])
    if len(inner) > max(len(marks), 1):
        marks = inner
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
    chapters, left_out = select_body(chapters, keep_front_matter)
    return Book(
        book_title, author, language, chapters, path, left_out=left_out, notes_left_out=doc.notes
    )
