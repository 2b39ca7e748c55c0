"""Plain text and Markdown: decoding, Gutenberg header and licence, chapter headings, paragraphs.

Spans are character offsets into the decoded file, so `text[span.start:span.end]` is the
paragraph as written (line breaks inside it included).
"""

from __future__ import annotations

import re
from pathlib import Path

from audiobook.errors import UserError
from audiobook.ingest.frontmatter import GUTENBERG_END, GUTENBERG_START
from audiobook.ingest.headings import CHAPTER_HEADING, is_chapter_heading
from audiobook.ingest.sections import select_body, title_key
from audiobook.model import Book, Chapter, Paragraph, Span

MAX_TEXT_BYTES = 256 * 1024 * 1024
HEADING = CHAPTER_HEADING  # the PDF reader reads its lines with the same pattern
LISTED_SHARE = 0.6  # a block most of whose lines are headings is a table of contents
MD_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*$")
MD_FRONT = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.S)
MD_INLINE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"<[^>\n]+>"), ""),
]
MD_LINE_MARKERS = re.compile(r"(?m)^\s{0,3}(?:>\s?|[-*+]\s+|\d+[.)]\s+)")
MD_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
META_LINE = re.compile(r"^(Title|Author|Language):\s*(.+)$", re.M)
PARA_BREAK = re.compile(r"\n[ \t]*\n")


def decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:4096]:
        raise UserError(f"{name}: this is a binary file, not text")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(f"{name}: cannot decode the text")  # unreachable: latin-1 decodes anything


def read_text(path: Path, *, keep_front_matter: bool = False) -> Book:
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise UserError(f"{path.name}: over {MAX_TEXT_BYTES >> 20} MB, too large for one book")
    text = decode(path.read_bytes(), path.name).replace("\r\n", "\n").replace("\r", "\n")
    markdown = path.suffix.lower() in (".md", ".markdown")
    meta = {k.lower(): v.strip() for k, v in META_LINE.findall(text[:5000])}
    start, end = 0, len(text)
    if markdown and (front := MD_FRONT.match(text)):
        meta.update(_front_matter(front.group(1)))
        start = front.end()
    if not keep_front_matter:
        if m := GUTENBERG_START.search(text):
            start = text.index("\n", m.end()) + 1 if "\n" in text[m.end() :] else len(text)
        if m := GUTENBERG_END.search(text, start):
            end = m.start()
    sections = split_sections(text, start, end, markdown, path.name)
    if markdown:
        _clean_markdown(sections, text)
        if "title" in meta:
            meta["title"] = strip_markdown(meta["title"])
    if not keep_front_matter and sections and not sections[0].title:
        _drop_header_lines(sections[0])
    chapters, left_out = select_body(sections, keep_front_matter)
    if not chapters and sections and any(s.paragraphs for s in sections):
        chapters, left_out = [s for s in sections if s.paragraphs], []
    title = meta.get("title") or path.stem.replace("_", " ").replace("-", " ").strip()
    for chapter in chapters:
        chapter.title = chapter.title or title
    return Book(
        title=title,
        author=meta.get("author"),
        language=meta.get("language"),
        chapters=chapters,
        source=path,
        left_out=left_out,
    )


def _paragraphs(text: str, start: int, end: int, name: str, markdown: bool) -> list[Paragraph]:
    paragraphs = []
    pos = start
    for m in list(PARA_BREAK.finditer(text, start, end)) + [None]:
        stop = m.start() if m else end
        pieces = _heading_lines(text, pos, stop) if markdown else _listed_lines(text, pos, stop)
        for lo, hi in pieces:
            if (paragraph := _paragraph(text[lo:hi], lo, name)) is not None:
                paragraphs.append(paragraph)
        pos = m.end() if m else end
    return paragraphs


def _paragraph(chunk: str, at: int, name: str) -> Paragraph | None:
    """The paragraph of `chunk` (found at offset `at` of `name`), its spaces trimmed; None if
    it is nothing but spaces."""
    stripped = chunk.strip()
    if not stripped:
        return None
    s = at + len(chunk) - len(chunk.lstrip())
    flat = " ".join(stripped.split())
    return Paragraph(flat, Span(name, s, s + len(stripped)), stripped if stripped != flat else None)


def _heading_lines(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """Split a Markdown block so that each '#' heading line stands alone."""
    pieces: list[tuple[int, int]] = []
    lo = start
    for line in re.finditer(r"(?m)^#{1,6}\s.*$", text[start:stop]):
        a, b = start + line.start(), start + line.end()
        if a > lo:
            pieces.append((lo, a))
        pieces.append((a, b))
        lo = b
    if lo < stop:
        pieces.append((lo, stop))
    return pieces


def _listed_lines(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """A block of lines that are mostly chapter headings (a contents list) is a line each, so
    that no heading swallows the others; any other block stays whole."""
    lines = [m.span() for m in re.finditer(r"[^\n]+", text[start:stop]) if m.group().strip()]
    if len(lines) < 2:
        return [(start, stop)]
    listed = sum(is_chapter_heading(text[start + a : start + b].strip()) for a, b in lines)
    if listed < max(2, LISTED_SHARE * len(lines)):
        return [(start, stop)]
    return [(start + a, start + b) for a, b in lines]


def _front_matter(block: str) -> dict[str, str]:
    import yaml

    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    found = {}
    for key in ("title", "author", "language", "lang"):
        value = data.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        if value:
            found["language" if key == "lang" else key] = str(value)
    return found


def strip_markdown(text: str) -> str:
    text = MD_LINE_MARKERS.sub("", text)
    for pattern, replacement in MD_INLINE:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+([.,;:!?])", r"\1", " ".join(text.split()))


def _clean_markdown(sections: list[Chapter], text: str) -> None:
    for section in sections:
        section.title = strip_markdown(section.title)
        kept = []
        for p in section.paragraphs:
            if MD_RULE.match(p.text) or p.text.startswith("```"):
                continue
            p.text = strip_markdown(text[p.span.start : p.span.end])
            if p.text:
                kept.append(p)
        section.paragraphs = kept


def _heading_title(paragraph: Paragraph, markdown: bool) -> str | None:
    if markdown:
        m = MD_HEADING.match(paragraph.text)
        return m.group(2) if m else None
    if is_chapter_heading(paragraph.text) or _long_heading(paragraph):
        return paragraph.text
    return None


MAX_HEADING_BLOCK = 300  # characters of a heading whose title runs on over several lines
TITLE_CASED = 0.6  # share of capitalised words that makes a line part of a title, not prose


def _long_heading(paragraph: Paragraph) -> bool:
    """A heading line whose title goes on, with no blank line, over the lines below it:
    "CHAPTER XXIII. / WHICH CONTAINS THE SUBSTANCE OF A PLEASANT CONVERSATION BETWEEN MR. /
    BUMBLE AND A LADY ...", "Chapter VI: The Reverend Arthur Beebe, ... / Mr. Emerson, ...".
    The lines below are a title, not the chapter's first paragraph, when most of their words
    are capitalised, as titles are written and prose is not."""
    lines = [line.strip() for line in paragraph.source_text.splitlines() if line.strip()]
    if len(lines) < 2 or len(paragraph.text) > MAX_HEADING_BLOCK:
        return False
    if not is_chapter_heading(lines[0]):
        return False
    words = re.findall(r"[^\W\d_][\w'’-]*", " ".join(lines[1:]))
    return bool(words) and sum(w[0].isupper() for w in words) >= TITLE_CASED * len(words)


def split_sections(text: str, start: int, end: int, markdown: bool, name: str) -> list[Chapter]:
    sections = [Chapter("")]
    pending_subtitle = False
    for para in _paragraphs(text, start, end, name, markdown):
        title = _heading_title(para, markdown)
        first = None  # the chapter's first paragraph, printed under its heading
        if title is None and not markdown and (over := _heading_over(para)) is not None:
            title, first = over
        if title is not None:
            if sections[-1].paragraphs or sections[-1].title:
                sections.append(Chapter(title))
            else:
                sections[-1].title = title
            if first is not None:
                sections[-1].paragraphs.append(first)
            pending_subtitle = not markdown and first is None
            continue
        if pending_subtitle and _is_subtitle(para.text):
            sections[-1].title = f"{sections[-1].title.rstrip('.')}. {para.text}"
            pending_subtitle = False
            continue
        pending_subtitle = False
        sections[-1].paragraphs.append(para)
    return _merge_empty(sections)


def _heading_over(paragraph: Paragraph) -> tuple[str, Paragraph] | None:
    """A heading that says what it is ("CHAPTER IV."), printed on the line above the
    chapter's first paragraph with no blank line between: the heading, and the paragraph."""
    source = paragraph.source_text
    first, newline, rest = source.partition("\n")
    if not newline or not rest.strip() or not is_chapter_heading(first.strip(), bare_numbers=False):
        return None
    below = _paragraph(rest, paragraph.span.start + len(first) + 1, paragraph.span.source)
    return (first.strip(), below) if below is not None else None


def _is_subtitle(text: str) -> bool:
    """A short line with no sentence end right after a heading names the chapter."""
    return len(text) <= 80 and not re.search(r"[.!?\"”’]$", text) and len(text.split()) <= 12


def _merge_empty(sections: list[Chapter]) -> list[Chapter]:
    """A heading directly followed by another (PART ONE / CHAPTER 1) prefixes the next title.

    Empty headings in a row that are three or more, or that name chapters still to come, are a
    table of contents: they become one empty "Contents" section, which is left out.
    """
    keys = [title_key(s.title) if s.paragraphs else None for s in sections]
    result: list[Chapter] = []
    run: list[str] = []
    for n, section in enumerate(sections):
        if not section.paragraphs and section.title:
            run.append(section.title)
            continue
        if run and (len(run) >= 3 or {title_key(t) for t in run} & set(keys[n + 1 :])):
            result.append(Chapter("Contents"))
        elif run and section.title:
            section.title = ". ".join(t.rstrip(".") for t in run + [section.title])
        run = []
        result.append(section)
    return result


def _drop_header_lines(section: Chapter) -> None:
    section.paragraphs = [p for p in section.paragraphs if not META_LINE.match(p.text)]
