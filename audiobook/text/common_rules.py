"""What the English and French rules share: roman numerals where context makes them numbers
(after a title word, a regnal name, alone in a heading), web addresses, note marks, and the
spans that libraries and a date check must see whole (telephone numbers, dates)."""

from __future__ import annotations

import re
from collections.abc import Callable

from num2words import num2words

from audiobook.text.dates import say_dates
from audiobook.text.phones import say_phone_numbers
from audiobook.text.spell import cardinal

Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
Step = Callable[[str], str]

ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
# The lookbehinds make sure a numeral is never matched as the empty string.
ROMAN_RE = r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?<=[IVXLCDM])"
REGNAL_RE = r"X{0,3}(?:IX|IV|V?I{0,3})(?<=[IVX])"  # 1 to 39: kings, not initials like "C."
REGNAL_NAMES = (
    "Henry|Edward|George|William|Richard|Charles|James|Elizabeth|Mary|Louis|John|Philip|"
    "Frederick|Peter|Catherine|Napoleon|Alexander|Nicholas|Pius|Leo|Gregory|Benedict|Innocent|"
    "Clement|Urban|Paul|Boniface|Ferdinand|Francis|Joseph|Leopold|Otto|Gustav|Gustavus|"
    "Christian|Olaf|Harald|Haakon|Victor|Umberto|Alfonso|Juan|Carlos|Felipe|Pedro|Manuel|"
    "Ivan|Constantine|Justinian|Ptolemy|Ramesses|Rameses|Amenhotep|Thutmose|Darius|Xerxes|"
    "Antiochus|Cyrus|Artaxerxes|Stephen|Matilda|Anne|Victoria|Duncan|David|Robert|"
    "Kenneth|Donald|Alexandre|Henri|Charles|Jean|Louis|Napoléon|François|Philippe|Guillaume"
)
# A heading that is, or begins with, a roman numeral: "XLV", "XLV.", "XLV. The End".
HEADING_NUMERAL = re.compile(rf"^({ROMAN_RE})(?:([.:])(?=\s|$)|$)")
TITLE_WORDS = "Chapter|Chap|Book|Part|Volume|Vol|Act|Scene|Canto|Stave|Section|Psalm|Article"
TITLE_WORDS_FR = "Chapitre|Livre|Partie|Tome|Acte|Scène|Chant|Section|Article"


def roman_to_int(text: str) -> int:
    total = 0
    for i, ch in enumerate(text):
        value = ROMAN_VALUES[ch]
        if i + 1 < len(text) and ROMAN_VALUES[text[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def _roman_after_title(m: re.Match[str], lang: str) -> str:
    return f"{m.group(1)} {cardinal(roman_to_int(m.group(2)), lang)}{m.group(3) or ''}"


def _regnal(m: re.Match[str], lang: str) -> str:
    after = m.string[m.end() : m.end() + 4]
    if m.group(2) == "I" and not re.match(r"[,.;:!?)]|\s+of\b|\s*$", after):
        return m.group(0)  # "John I think": the pronoun, not the first of his name
    value = roman_to_int(m.group(2))
    if lang == "fr":
        word = "premier" if value == 1 else cardinal(value, "fr")
        return f"{m.group(1)} {word}"
    return f"{m.group(1)} the {num2words(value, lang='en', to='ordinal').capitalize()}"


def _numeral_after_name(m: re.Match[str], lang: str) -> str:
    if not re.fullmatch(ROMAN_RE, m.group(2)):
        return m.group(0)
    return f"{m.group(1)} {cardinal(roman_to_int(m.group(2)), lang)}"


def _url(m: re.Match[str], lang: str) -> str:
    url = re.sub(r"^(https?|ftp)://", "", m.group(0)).rstrip("/")
    dot, slash = ("dot", "slash") if lang == "en" else ("point", "barre oblique")
    url = url.replace(".", f" {dot} ").replace("/", f" {slash} ")
    return re.sub(r"\s+", " ", url.replace("-", " dash " if lang == "en" else " tiret ")).strip()


def _email(m: re.Match[str], lang: str) -> str:
    user, domain = m.group(1), m.group(2)
    dot, at = ("dot", "at") if lang == "en" else ("point", "arobase")
    return f"{user.replace('.', f' {dot} ')} {at} {domain.replace('.', f' {dot} ')}"


def common_rules(lang: str, title_words: str) -> list[Rule]:
    return [
        (
            re.compile(r"\b(?:https?://|www\.)[^\s\"'<>()]+[^\s\"'<>().,;:!?]"),
            lambda m: _url(m, lang),
        ),
        (re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b"), lambda m: _email(m, lang)),
        (
            re.compile(rf"\b((?i:{title_words}))\.?\s+({ROMAN_RE})\b(\.)?"),
            lambda m: _roman_after_title(m, lang),
        ),
        (re.compile(rf"\b({REGNAL_NAMES})\s+({REGNAL_RE})\b"), lambda m: _regnal(m, lang)),
        (
            # "IV. The Pool", not "M. Poirot", "C. S. Lewis", "L. Frank Baum": a lone M, C, L
            # or D, or a letter before another initial, is a person's initial.
            re.compile(rf"^(?![MCLD]\.)({ROMAN_RE})\.(?=\s|$)(?!\s+[A-Z]\.)"),
            lambda m: cardinal(roman_to_int(m.group(1)), lang) + ".",
        ),
        # "World War II", "Apollo XIII": a name followed by a numeral of two or more letters
        (re.compile(r"\b([A-Z][a-z]+)\s+([IVX]{2,})\b"), lambda m: _numeral_after_name(m, lang)),
    ]


def steps_of(rules: list[Rule]) -> list[Step]:
    return [lambda text, p=p, r=r: p.sub(r, text) for p, r in rules]


NOTE_MARKS = re.compile(r"\s?\[(?:\d{1,3}|[*†‡§])\]|(?<=[^\W\d_]{2}[.,;:!?\"')])\d{1,3}(?=\s|$)")


def spans(lang: str, region: str | None) -> list[Step]:
    """Note marks out, then what libraries and a date check must see whole: phone numbers, dates."""
    return [
        lambda text: NOTE_MARKS.sub("", text),
        lambda text: say_phone_numbers(text, lang, region),
        lambda text: say_dates(text, lang, region),
    ]
