"""What a chapter heading looks like, in the languages books here come in: "CHAPTER XII",
"Chapter the Last", "PART ONE", "XLV.", "CHAPITRE PREMIER", "Livre deuxième", "Kapitel 3",
"Capítulo IV", "第一回", "第十二章 ...". A line is a heading when it is one of these, alone or
followed by a short title on the same line."""

from __future__ import annotations

import re

ROMAN = r"[IVXLCDM]+"
EN_NUMBER_WORD = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|first|second|"
    r"third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|last|the\s+\w+"
)
FR_NUMBER_WORD = (
    r"premier|première|premiere|second|seconde|deuxième|troisième|quatrième|cinquième|"
    r"sixième|septième|huitième|neuvième|dixième|dernier|dernière|un|une|deux|trois|quatre|"
    r"cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt"
)
WORDS = (
    r"chapter|chap\.|book|part|volume|stave|letter|canto|section|"
    r"chapitre|livre|partie|tome|lettre|chant|kapitel|teil|buch|capítulo|capitulo|parte|"
    r"libro|capitolo"
)
NUMBER = rf"(?:{ROMAN}|\d+|(?:{EN_NUMBER_WORD}|{FR_NUMBER_WORD})(?:[- ]\w+)?)"
CJK_NUMBER = r"[一二三四五六七八九十百千零〇两\d]+"
CHAPTER_HEADING = re.compile(
    rf"^\s*(?:"
    rf"(?:{WORDS})\s+{NUMBER}\b[^\n]{{0,80}}"  # CHAPTER XII. The Trial
    rf"|{ROMAN}\.?"  # XLV
    rf"|\d{{1,3}}\."  # 12.
    rf"|(?:prologue|epilogue|épilogue|preface|préface|introduction|avant-propos|foreword)\.?"
    rf"(?:[ :.-][^\n]{{0,60}})?"
    rf"|第{CJK_NUMBER}[回章节節卷部篇幕][^\n]{{0,40}}"  # 第一回 宴桃园豪杰三结义
    rf")\s*$",
    re.I,
)
MAX_HEADING_CHARS = 100


NAMED_HEADING = re.compile(
    rf"^\s*(?:(?:{WORDS})\s+{NUMBER}\b|第{CJK_NUMBER}[回章节節卷部篇幕])", re.I
)

# After "Chapter two", a title starts with a capital or after a stop ("Chapter II: in which");
# a word in lower case goes on with a sentence that only begins with the words.
NEXT_WORD = re.compile(r"\s+(\w)")


def is_chapter_heading(line: str, *, bare_numbers: bool = True) -> bool:
    """`bare_numbers=False`: only headings that say what they are ("Chapter 3", "第三回"), for
    lines that are not marked as headings, where "3." may open a numbered list."""
    if len(line) > MAX_HEADING_CHARS or not CHAPTER_HEADING.match(line):
        return False
    named = NAMED_HEADING.match(line)
    if named and (goes_on := NEXT_WORD.match(line, named.end())) and goes_on[1].islower():
        return False  # "Chapter two was found, and she glanced at its opening sentences."
    return bare_numbers or bool(named)
