"""Quotes found in a book as printed: Project Gutenberg's EPUB of Alice quotes in curly single
marks, with the same mark for its apostrophes, and PDNC annotates every quotation of the same
novel (in its own text, set in straight double marks)."""

import csv
import re
from ast import literal_eval

from helpers import ALICE_EPUB, SHARED, needs_shared

from audiobook.agents.quotes import QuoteStyle, detect_style, find_quotes
from audiobook.ingest import read_book

ALICE_PDNC = SHARED / "corpus" / "pdnc" / "AlicesAdventuresInWonderland"


def words(text: str) -> str:
    return re.sub(r"[^a-z]+", " ", re.sub(r"['’]", "", text.lower())).strip()


@needs_shared(ALICE_EPUB)
@needs_shared(ALICE_PDNC)
def test_the_printed_single_marks_give_back_the_annotated_quotes():
    paragraphs = [p.source_text for c in read_book(ALICE_EPUB).chapters for p in c.paragraphs]
    style = detect_style(paragraphs)
    found = {words(p[q.start : q.end]) for p in paragraphs for q in find_quotes(p, style)}
    with open(ALICE_PDNC / "quotation_info.csv", encoding="utf-8") as f:
        annotated = [
            words(text)
            for row in csv.DictReader(f)
            for text in literal_eval(row["subQuotationList"])
            if words(text)
        ]
    assert style == QuoteStyle("single")
    # The few left are PDNC's own splits of one printed quote ("I've tried to say 'How doth
    # the little busy bee', but it all came different!" is two in its annotation).
    assert sum(a in found for a in annotated) / len(annotated) >= 0.97
