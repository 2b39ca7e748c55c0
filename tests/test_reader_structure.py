"""What the reader keeps and leaves out: text beside blocks, charsets, footnotes, back matter,
credits and contents pages, in EPUB 2, EPUB 3 and HTML, English and French."""

from __future__ import annotations

from pathlib import Path

import pytest
from ebooklib import epub
from helpers import SHARED, run_audiobook

from audiobook.ingest import read_book


def _texts(book) -> list[str]:
    return [p.text for c in book.chapters for p in c.paragraphs]


def _html(tmp_path: Path, body: str, name: str = "book.html", head: str = "") -> Path:
    path = tmp_path / name
    path.write_text(f"<html><head>{head}<title>T</title></head><body>{body}</body></html>")
    return path


def _epub(tmp_path: Path, sections: list[tuple[str, str]], *, language: str = "en",
          version: int = 3) -> Path:  # fmt: skip
    book = epub.EpubBook()
    book.set_identifier("test-book")
    book.set_title("A Test Book")
    book.set_language(language)
    book.add_author("A. Writer")
    items = []
    for n, (title, body) in enumerate(sections, start=1):
        item = epub.EpubHtml(title=title, file_name=f"s{n}.xhtml", lang=language)
        item.content = f"<html><body><h2>{title}</h2>{body}</body></html>"
        book.add_item(item)
        items.append(item)
    book.toc = [epub.Link(i.file_name, i.title, f"s{n}") for n, i in enumerate(items, 1)]
    book.add_item(epub.EpubNcx())
    if version == 3:
        book.add_item(epub.EpubNav())
    book.spine = items
    path = tmp_path / f"book{version}.epub"
    epub.write_epub(str(path), book, {"epub3_pages": False} if version == 3 else {})
    return path


STORY = "<p>" + "It was a dark and stormy night, and the rain fell in torrents. " * 30 + "</p>"


def test_text_beside_blocks_is_read_in_order(tmp_path):
    path = _html(
        tmp_path,
        "<h1>One</h1><div>Before the list.<p>Inside it.</p>After <em>it</em>.</div>"
        "<blockquote>Quoted words.<p>A paragraph.</p>More quoted.</blockquote>" + STORY,
    )
    texts = _texts(read_book(path))
    start = texts.index("Before the list.")
    assert texts[start : start + 6] == [
        "Before the list.", "Inside it.", "After it.", "Quoted words.", "A paragraph.",
        "More quoted.",
    ]  # fmt: skip


def test_a_paragraph_holding_a_footnote_keeps_its_text_and_leaves_the_note_out(tmp_path):
    body = (
        '<p>The room was dark.<a epub:type="noteref" href="#n1">1</a>'
        '<aside epub:type="footnote" id="n1">A note about rooms.</aside> She left.</p>' + STORY
    )
    book = read_book(_epub(tmp_path, [("Chapter 1", body)]))
    text = " ".join(_texts(book))
    assert "The room was dark." in text and "She left." in text
    assert "A note about rooms" not in text and "dark.1" not in text
    assert book.notes_left_out == 1
    inline = '<p>Dark.<span class="footnote">An inline note.</span> Then light.</p>' + STORY
    path = _epub(tmp_path, [("Chapter 1", inline)])
    assert "An inline note" not in " ".join(_texts(read_book(path)))
    kept = " ".join(_texts(read_book(path, keep_front_matter=True)))
    assert "Dark.An inline note. Then light." in kept


def test_footnotes_of_every_kind_are_left_out_and_counted_and_kept_on_request(tmp_path):
    body = (
        '<p>He came home.<sup><a href="#fn2">2</a></sup> Then <a class="fnanchor" '
        'href="#f3">[3]</a>he slept.</p>' + STORY
        + '<section role="doc-endnotes"><ol><li id="fn2">An endnote.</li></ol></section>'
        '<div class="footnote"><p id="f3">[3] A Gutenberg footnote.</p></div>'
        '<aside>An aside.</aside>'
    )  # fmt: skip
    path = _epub(tmp_path, [("Chapter 1", body), ("Chapter 2", STORY)])
    book = read_book(path)
    text = " ".join(_texts(book))
    assert "He came home. Then he slept." in text
    for note in ("An endnote", "Gutenberg footnote", "An aside"):
        assert note not in text
    assert book.notes_left_out == 3
    kept = " ".join(_texts(read_book(path, keep_front_matter=True)))
    assert "An endnote." in kept and "A Gutenberg footnote." in kept


def test_utf8_html_without_a_charset_is_utf8_and_a_declared_charset_wins(tmp_path):
    plain = tmp_path / "plain.html"
    plain.write_bytes(f"<html><body><h1>Café</h1><p>Naïve — déjà vu.</p>{STORY}</body></html>"
                      .encode())  # fmt: skip
    assert "Naïve — déjà vu." in _texts(read_book(plain))
    declared = tmp_path / "declared.html"
    declared.write_bytes(
        '<html><head><meta charset="windows-1252"></head><body><h1>A</h1><p>Naïve “quote”.</p>'
        f"{STORY}</body></html>".encode("cp1252")
    )
    assert "Naïve “quote”." in _texts(read_book(declared))
    latin = tmp_path / "latin.html"
    latin.write_bytes(
        "<html><body><h1>A</h1><p>Le garçon était très fâché, à côté de la fenêtre ouverte.</p>"
        f"{STORY}</body></html>".encode("latin-1")
    )
    assert "Le garçon était très fâché, à côté de la fenêtre ouverte." in _texts(read_book(latin))
    cyrillic = tmp_path / "cyrillic.html"
    line = "Мальчик был очень сердит, сидя у открытого окна, и думал о своей матери."
    cyrillic.write_bytes(f"<html><body><h1>A</h1><p>{line}</p>{STORY}</body></html>"
                         .encode("cp1251"))  # fmt: skip
    assert line in _texts(read_book(cyrillic))


def test_back_matter_credits_and_a_contents_page_whatever_its_title_are_left_out(tmp_path):
    sections = [
        ("Credits", "<p>Produced by Jane Roe and the Online Distributed Proofreading Team.</p>"),
        ("FIN", "<p>Chapter 1</p><p>Chapter 2</p><p>The Storm</p><p>Acknowledgements</p>"),
        ("Chapter 1", STORY),
        ("Chapter 2", STORY),
        ("The Storm", STORY),
        ("Acknowledgements", "<p>My thanks to my editor, who was patient.</p>"),
        ("About the Author", "<p>A. Writer lives by the sea with two cats.</p>"),
    ]
    for version in (2, 3):
        book = read_book(_epub(tmp_path, sections, version=version))
        assert [c.title for c in book.chapters] == ["Chapter 1", "Chapter 2", "The Storm"]
        whys = {part.title: part.why for part in book.left_out}
        assert whys["FIN"] == "contents" and whys["Acknowledgements"] == "back matter"
        assert whys["About the Author"] == "back matter" and whys["Credits"] == "back matter"


def test_a_producers_note_as_the_first_chapter_is_credits(tmp_path):
    sections = [
        ("Chapter 1", "<p>This eBook was produced by David Widger.</p>"),
        ("Chapter 2", STORY),
        ("Chapter 3", STORY),
    ]
    book = read_book(_epub(tmp_path, sections))
    assert [c.title for c in book.chapters] == ["Chapter 2", "Chapter 3"]
    assert book.left_out[0].why == "credits"


def test_french_back_matter_is_left_out(tmp_path):
    histoire = "<p>" + "Il était une fois un petit lapin qui vivait sous un sapin. " * 30 + "</p>"
    sections = [
        ("Chapitre premier", histoire),
        ("Chapitre II", histoire),
        ("TABLE DES MATIÈRES", "<p>Chapitre premier</p><p>Chapitre II</p>"),
        ("Au lecteur.", "<p>Nous avons corrigé quelques fautes.</p>"),
        ("Corrections.", "<p>Page 3 : lapin pour lapins.</p>"),
    ]
    book = read_book(_epub(tmp_path, sections, language="fr"))
    assert [c.title for c in book.chapters] == ["Chapitre premier", "Chapitre II"]
    assert [p.why for p in book.left_out] == ["contents", "back matter", "back matter"]


def test_inspect_says_what_was_left_out_and_why(tmp_path):
    body = '<p>Home.<a epub:type="noteref" href="#n1">1</a></p>'
    body += '<aside epub:type="footnote" id="n1">A note.</aside>' + STORY
    sections = [("Chapter 1", body), ("Chapter 2", STORY), ("Acknowledgements", "<p>Thanks.</p>")]
    result = run_audiobook("inspect", str(_epub(tmp_path, sections)), "--tts", "tone")
    assert result.returncode == 0, result.stderr
    assert "Left out: back matter: Acknowledgements; footnotes: 1" in result.stdout


def _chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n == 100:
        return "一百"
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else digits[tens]) + "十" if tens else "") + (
        digits[ones] if ones else ""
    )


def test_a_chinese_book_of_a_hundred_hui_in_one_document_has_a_hundred_chapters(tmp_path):
    story = "<p>" + "话说天下大势，分久必合，合久必分。" * 20 + "</p>"
    body = "".join(f"<p>第{_chinese(n)}回 英雄{n}</p>{story}" for n in range(1, 101))
    book = read_book(_epub(tmp_path, [("三国演义", body)], language="zh"))
    assert len(book.chapters) == 100
    assert (
        book.chapters[0].title == "第一回 英雄1" and book.chapters[-1].title == "第一百回 英雄100"
    )
    assert all(not c.paragraphs[0].text.startswith("第") for c in book.chapters)  # said once


def test_french_headings_split_one_document_and_a_plain_text(tmp_path):
    histoire = "<p>" + "Il était une fois un petit lapin qui vivait sous un sapin. " * 30 + "</p>"
    body = f"<h2>CHAPITRE PREMIER</h2>{histoire}<h2>CHAPITRE II</h2>{histoire}"
    body += f"<h2>CHAPITRE III</h2>{histoire}"
    book = read_book(_epub(tmp_path, [("Le lapin", body)], language="fr"))
    assert [c.title for c in book.chapters] == ["CHAPITRE PREMIER", "CHAPITRE II", "CHAPITRE III"]
    text = tmp_path / "lapin.txt"
    words = "Il était une fois un petit lapin qui vivait sous un sapin. " * 30
    text.write_text(f"Title: Le lapin\nLanguage: French\n\nCHAPITRE PREMIER\n\n{words}\n\n"
                    f"CHAPITRE II\n\n{words}\n\nCHAPITRE III\n\n{words}\n")  # fmt: skip
    book = read_book(text)
    assert [c.title for c in book.chapters] == ["CHAPITRE PREMIER", "CHAPITRE II", "CHAPITRE III"]


def test_a_plain_text_contents_list_is_left_out_not_merged_into_a_title(tmp_path):
    words = "It was a dark and stormy night, and the rain fell in torrents. " * 30
    path = tmp_path / "storm.txt"
    path.write_text(
        "THE STORM\n\nCONTENTS\nChapter I. The Rain\nChapter II. The Wind\n\n"
        f"CHAPTER I. The Rain\n\n{words}\n\nCHAPTER II. The Wind\n\n{words}\n"
    )
    book = read_book(path)
    assert [c.title for c in book.chapters] == ["CHAPTER I. The Rain", "CHAPTER II. The Wind"]
    assert "contents" in {part.why for part in book.left_out}
    assert not any("Chapter II" in p.text for c in book.chapters for p in c.paragraphs)


def test_a_contents_page_of_headings_does_not_split_into_chapters(tmp_path):
    contents = "".join(f"<p>Chapter {n}</p>" for n in range(1, 6))
    sections = [("Contents", contents)] + [(f"Chapter {n}", STORY) for n in range(1, 6)]
    book = read_book(_epub(tmp_path, sections))
    assert [c.title for c in book.chapters] == [f"Chapter {n}" for n in range(1, 6)]


def test_a_title_running_over_several_lines_under_its_heading_is_the_heading(tmp_path):
    # Oliver Twist and A Room with a View as Gutenberg prints them: half their chapters
    # were read into the chapter before.
    words = "It was a dark and stormy night, and the rain fell in torrents. " * 30
    path = tmp_path / "storm.txt"
    path.write_text(
        f"CHAPTER I.\nTHE RAIN\n\n{words}\n\n"
        "CHAPTER II.\nWHICH CONTAINS THE SUBSTANCE OF A PLEASANT CONVERSATION BETWEEN MR.\n"
        f"BUMBLE AND A LADY; AND SHOWS THAT EVEN A BEADLE MAY BE SUSCEPTIBLE ON\nSOME POINTS\n\n"
        f"{words}\n\n"
        "Chapter III: The Reverend Arthur Beebe, Mr. George Emerson, Miss Charlotte\n"
        f"Bartlett, and Miss Lucy Honeychurch Drive Out in Carriages\n\n{words}\n\n"
        "CHAPTER IV.\nThe rain had stopped at last, and the sun came out over the hills; it\n"
        f"was a fine morning.\n\n{words}\n"
    )
    book = read_book(path)
    assert [c.title[:26] for c in book.chapters] == [
        "CHAPTER I. THE RAIN", "CHAPTER II. WHICH CONTAINS", "Chapter III: The Reverend ",
        "CHAPTER IV.",
    ]  # fmt: skip
    assert book.chapters[1].title.endswith("SOME POINTS")
    # the first paragraph of a chapter, printed under its heading, is no title: it is read
    first = book.chapters[3].paragraphs[0]
    assert first.text.startswith("The rain had stopped at last")
    assert path.read_text()[first.span.start : first.span.end].startswith("The rain had")


def test_a_sentence_that_opens_with_chapter_two_is_no_heading(tmp_path):
    words = "It was a dark and stormy night, and the rain fell in torrents. " * 30
    path = tmp_path / "storm.txt"
    path.write_text(
        f"CHAPTER I. The Rain\n\n{words}\n\n"
        f"Chapter two was found, and she glanced at its opening sentences.\n\n{words}\n\n"
        f"CHAPTER II. The Wind\n\n{words}\n"
    )
    book = read_book(path)
    assert [c.title for c in book.chapters] == ["CHAPTER I. The Rain", "CHAPTER II. The Wind"]


def test_every_chapter_of_oliver_twist_is_found(tmp_path):
    # Its Gutenberg text prints half its titles over two or three lines under the heading.
    path = SHARED / "corpus" / "pdnc" / "OliverTwist" / "novel_text.txt"
    if not path.exists():
        pytest.skip(f"{path} is not present")
    titles = [c.title for c in read_book(path).chapters]
    assert [t.split(".")[0] for t in titles if t.startswith("CHAPTER")] == [
        f"CHAPTER {_roman(n)}" for n in range(1, 54)
    ]


def _roman(n: int) -> str:
    out = ""
    steps = ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    for value, letters in steps:
        while n >= value:
            out, n = out + letters, n - value
    return out
