"""Text for speech: what a listener should hear for numbers, abbreviations and symbols.

English and French have rules; other languages get only the language-neutral clean-up
(quotes, dashes, ellipses, whitespace), so their text passes through unchanged otherwise.
The rules run in an order: abbreviations and roman numerals where context makes them numbers
(headings, regnal names, centuries), note marks out, phone numbers and dates (dates.py,
phones.py), money, quantities (measures.py), then the remaining numbers, spelled with
num2words (spell.py); whatever number character is left is said by its Unicode value, so no
digit ever reaches the engine. The book's region (en-US, en-GB) orders day and month and
spells "meter" or "metre".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from fractions import Fraction

import langcodes
from num2words import num2words

from audiobook.text.dates import say_dates
from audiobook.text.language import language_tag
from audiobook.text.measures import fraction_words, measure_steps
from audiobook.text.phones import say_phone_numbers
from audiobook.text.spell import cardinal, digits, number_text, ordinal, plural, year

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


def _neutral(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    text = re.sub(r"[“”„‟«»]", '"', text)
    text = re.sub(r"[‘’‚‛]", "'", text)
    text = text.replace("…", "...")
    text = re.sub(r"\s*[—―]\s*", ", ", text)  # an em dash is a pause
    text = re.sub(r",\s+([\"'])(?=\s|$)", r",\1", text)
    text = re.sub(r"(?<=\s)–(?=\s)", ",", text)
    text = re.sub(r"[\u200b\u200c\u200d\ufeff]", "", text)
    return text


# --- English ------------------------------------------------------------------------------

EN_ABBREVIATIONS = [
    (r"\bMrs\.(?=\s)", "Missus"),
    (r"\bMr\.(?=\s)", "Mister"),
    (r"\bMs\.(?=\s)", "Miz"),
    (r"\bDr\.(?=\s+[A-Z])", "Doctor"),
    (r"\bDr\.", "Drive"),
    (r"\b([A-Z][a-z]+) St\.(?=\s*(?:[,;:]|$|\s+[a-z]))", r"\1 Street"),
    (r"\bSt\.", "Saint"),
    (r"\bProf\.(?=\s)", "Professor"),
    (r"\bCapt\.(?=\s)", "Captain"),
    (r"\bCol\.(?=\s)", "Colonel"),
    (r"\bGen\.(?=\s)", "General"),
    (r"\bLt\.(?=\s)", "Lieutenant"),
    (r"\bSgt\.(?=\s)", "Sergeant"),
    (r"\bRev\.(?=\s)", "Reverend"),
    (r"\bHon\.(?=\s)", "Honourable"),
    (r"\bJr\.", "Junior"),
    (r"\bSr\.", "Senior"),
    (r"\bMt\.(?=\s)", "Mount"),
    (r"\bAve\.", "Avenue"),
    (r"\bMessrs\.", "Messieurs"),
    (r"\be\.g\.", "for example"),
    (r"\bi\.e\.", "that is"),
    (r"\betc\.", "et cetera"),
    (r"\bvs\.", "versus"),
    (r"\bapprox\.", "approximately"),
    (r"\bNo\.(?=\s*\d)", "number "),
    (r"\bNos\.(?=\s*\d)", "numbers "),
    (r"\b(?i:fig)\.(?=\s*\d)", "figure "),
    (r"\b(?i:p)\.(?=\s*\d)", "page "),
    (r"\b(?i:pp)\.(?=\s*\d)", "pages "),
    (r"\b(?i:ch)\.(?=\s*\d)", "chapter "),
    (r"\b(?i:vol)\.(?=\s*\d)", "volume "),
    (r"\bft\.(?<=\d ft\.)", "feet"),
]
EN_CURRENCY = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "€": ("euro", "euros", "cent", "cents"),
    "¥": ("yen", "yen", "", ""),
}
EN_SCALE = r"(?:\s+(million|billion|trillion|thousand)|(m|bn|k)\b)?"
SCALE_ABBREVIATIONS = {"m": "million", "bn": "billion", "k": "thousand"}
# Pounds, shillings and pence as Victorian novels write them: "£3 10s. 6d.", "5s. 6d."
EN_LSD = re.compile(
    r"(?:£\s?(\d+)\s+)?\b(\d{1,2})s\.?\s+(\d{1,2})d\b\.?|£\s?(\d+)\s+(\d{1,2})s\b\.?"
)


def _en_lsd(m: re.Match[str]) -> str:
    pounds, shillings, pence = m.group(1) or m.group(4), m.group(2) or m.group(5), m.group(3)
    parts = [f"{cardinal(pounds, 'en')} {plural(pounds, 'pound', 'pounds')}"] if pounds else []
    parts.append(f"{cardinal(shillings, 'en')} {plural(shillings, 'shilling', 'shillings')}")
    if pence:
        parts.append(f"{cardinal(pence, 'en')} {plural(pence, 'penny', 'pence')}")
    spoken = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    rest = m.string[m.end() :]
    if m.group(0).endswith(".") and re.match(r"\s*$|\s+[A-Z\"']", rest):
        spoken += "."  # "6d." closing a sentence also ends it
    return spoken


def _en_money(m: re.Match[str]) -> str:
    one, many, sub_one, sub_many = EN_CURRENCY[m.group(1)]
    whole = m.group(2).replace(",", "")
    cents = m.group(3)
    scale = m.group(4) or SCALE_ABBREVIATIONS.get(m.group(5) or "")
    if scale:
        amount = number_text(whole + ("." + cents if cents else ""), "en", ".", ",")
        return f"{amount} {scale} {many}"
    words = f"{cardinal(whole, 'en')} {plural(whole.lstrip('0') or '0', one, many)}"
    if cents and int(cents) and sub_one:
        c = cents.ljust(2, "0")[:2]
        words += f" and {cardinal(int(c), 'en')} {plural(str(int(c)), sub_one, sub_many)}"
    return words


def _en_time(m: re.Match[str]) -> str:
    hour, minute, meridiem = int(m.group(1)), int(m.group(2)), m.group(3)  # 2 digits each
    spoken = cardinal(hour, "en")
    if minute == 0:
        spoken += "" if meridiem else " o'clock"
    elif minute < 10:
        spoken += f" oh {cardinal(minute, 'en')}"
    else:
        spoken += f" {cardinal(minute, 'en')}"
    if meridiem:
        spoken += " " + " ".join(ch for ch in meridiem.lower() if ch.isalpha())
        rest = m.string[m.end() :]
        if meridiem.endswith(".") and re.match(r"\s*$|\s+[A-Z\"']", rest):
            spoken += "."  # "p.m." closing a sentence also ends it
    return spoken


def _year_en(value: int) -> str:
    return year(value, "en")


def _en_number(m: re.Match[str]) -> str:
    raw = m.group(0)
    plain = raw.replace(",", "")
    if "." not in plain and "," not in raw and len(plain) == 4 and 1001 <= int(plain) <= 2099:
        return _year_en(int(plain))
    return number_text(raw, "en", ".", ",")


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


def _en_decade(m: re.Match[str]) -> str:
    value = int(m.group(1))
    words = _year_en(value) if value >= 1000 else cardinal(value, "en")
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


def _url(m: re.Match[str], lang: str) -> str:
    url = re.sub(r"^(https?|ftp)://", "", m.group(0)).rstrip("/")
    dot, slash = ("dot", "slash") if lang == "en" else ("point", "barre oblique")
    url = url.replace(".", f" {dot} ").replace("/", f" {slash} ")
    return re.sub(r"\s+", " ", url.replace("-", " dash " if lang == "en" else " tiret ")).strip()


def _email(m: re.Match[str], lang: str) -> str:
    user, domain = m.group(1), m.group(2)
    dot, at = ("dot", "at") if lang == "en" else ("point", "arobase")
    return f"{user.replace('.', f' {dot} ')} {at} {domain.replace('.', f' {dot} ')}"


def _common_rules(lang: str, title_words: str) -> list[Rule]:
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


def _steps(rules: list[Rule]) -> list[Step]:
    return [lambda text, p=p, r=r: p.sub(r, text) for p, r in rules]


def _english_steps(region: str | None) -> list[Step]:
    rules: list[Rule] = [(re.compile(p), lambda m, r=r: m.expand(r)) for p, r in EN_ABBREVIATIONS]
    rules += _common_rules("en", TITLE_WORDS)
    steps = _steps(rules) + _spans("en", region)
    steps += _steps([(EN_LSD, _en_lsd)])
    steps += _steps([(re.compile(r"([$£€¥])\s?(\d[\d,]*)(?:\.(\d+))?" + EN_SCALE), _en_money)])
    steps += measure_steps("en", region)
    rules = [
        (re.compile(r"\b(\d{1,2}):(\d{2})(?:\s*([AaPp]\.?\s?[Mm]\b\.?))?(?![\d:])"), _en_time),
        (re.compile(r"\b(\d{1,3}0)'?s\b"), _en_decade),
        (re.compile(r"\b(\d+)([A-Za-z])\b"), lambda m: f"{m.group(1)} {m.group(2)}"),
        (re.compile(r"\b(\d+)(?:st|nd|rd|th)\b"), lambda m: ordinal(m.group(1), "en")),
        (re.compile(r"(\d[\d,]*(?:\.\d+)?)\s?%"), lambda m: f"{_en_number_text(m[1])} percent"),
        (re.compile(r"\b(\d{4})\s?[–-]\s?(\d{4})\b"), lambda m: f"{_year_en(int(m.group(1)))} to "
                                                                f"{_year_en(int(m.group(2)))}"),
        (re.compile(r"(\d)\s?[–-]\s?(\d)"), lambda m: f"{m.group(1)} to {m.group(2)}"),
        (re.compile(r"#\s?(\d)"), lambda m: f"number {m.group(1)}"),
        (re.compile(r"(\d+(?:\.\d+)?)\s?°\s?([CF])\b"), lambda m: f"{_en_number_text(m.group(1))} "
                   f"degrees {'Celsius' if m.group(2) == 'C' else 'Fahrenheit'}"),
        (re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"), _en_number),
        (re.compile(r"\s*&\s*"), lambda m: " and "),
        (re.compile(r"\s\+\s"), lambda m: " plus "),
        (re.compile(r"\s=\s"), lambda m: " equals "),
        (re.compile(r"°"), lambda m: " degrees"),
    ]  # fmt: skip
    return steps + _steps(rules)


def _en_number_text(raw: str) -> str:
    return number_text(raw, "en", ".", ",")


# --- French -------------------------------------------------------------------------------

FR_ABBREVIATIONS = [
    (r"\bMM\.(?=\s)", "Messieurs"),
    (r"\bM\.(?=\s+[A-ZÀ-Ý])", "Monsieur"),
    (r"\bMmes\b\.?", "Mesdames"),
    (r"\bMme\b\.?", "Madame"),
    (r"\bMlles\b\.?", "Mesdemoiselles"),
    (r"\bMlle\b\.?", "Mademoiselle"),
    (r"\bDr\b\.?(?=\s+[A-ZÀ-Ý])", "Docteur"),
    (r"\bSt(?=[\s-]+[A-ZÀ-Ý])", "Saint"),
    (r"\bSte(?=[\s-]+[A-ZÀ-Ý])", "Sainte"),
    (r"\bp\.\s?ex\.", "par exemple"),
    (r"\betc\.", "et cetera"),
    (r"\bc\.-à-d\.", "c'est-à-dire"),
    (r"\bn[°o]\s?(?=\d)", "numéro "),
]
FR_CURRENCY = {
    "€": ("euro", "euros", "centime", "centimes"),
    "$": ("dollar", "dollars", "cent", "cents"),
    "£": ("livre", "livres", "penny", "pence"),
}
FR_NUMBER = r"\d{1,3}(?:[  ]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"


def _fr_number_text(raw: str) -> str:
    return number_text(raw.replace("\u202f", " "), "fr", ",", " ")


def _fr_money(m: re.Match[str]) -> str:
    raw, symbol = m.group(1), m.group(2)
    one, many, sub_one, sub_many = FR_CURRENCY[symbol]
    whole, _, cents = raw.replace(" ", "").replace(" ", "").partition(",")
    words = f"{cardinal(whole, 'fr')} {plural(whole.lstrip('0') or '0', one, many)}"
    if cents and int(cents):
        c = cents.ljust(2, "0")[:2]
        words += f" {cardinal(int(c), 'fr')} {plural(str(int(c)), sub_one, sub_many)}"
    return words


def _fr_time(m: re.Match[str]) -> str:
    hours = int(m.group(1))
    count = cardinal(hours, "fr")
    count += "e" if count.endswith("un") else ""  # une heure, vingt et une heures
    spoken = f"{count} {plural(str(hours), 'heure', 'heures')}"
    if m.group(2) and int(m.group(2)):
        spoken += f" {cardinal(int(m.group(2)), 'fr')}"
    return spoken


def _fr_ordinal(m: re.Match[str]) -> str:
    if len(m.group(1)) > 15:
        return digits(m.group(1), "fr")
    value = int(m.group(1))
    if value == 1:
        return "première" if m.group(2) in ("re", "ère") else "premier"
    return num2words(value, lang="fr", to="ordinal")


def _fr_century(m: re.Match[str]) -> str:
    value = roman_to_int(m.group(1))
    word = "premier" if value == 1 else num2words(value, lang="fr", to="ordinal")
    return f"{word} {m.group(2)}"


def _french_steps(region: str | None) -> list[Step]:
    rules: list[Rule] = [(re.compile(p), lambda m, r=r: r) for p, r in FR_ABBREVIATIONS]
    rules += [(re.compile(rf"\b({ROMAN_RE})(?:e|ème)\s+(siècles?|arrondissement)"), _fr_century)]
    rules += [(re.compile(rf"\b({REGNAL_NAMES})\s+Ier\b"), lambda m: f"{m.group(1)} premier")]
    # "le IIe acte", "la Ve République": a numeral of I, V and X (so "Le", "De", "Ce" are words)
    rules += [(re.compile(r"\b([LC]?[IVX]+)(e|ème)\b"), _fr_roman_ordinal)]
    rules += [(re.compile(r"\b2nde\b"), lambda m: "seconde")]
    rules += [(re.compile(r"\b2nd\b"), lambda m: "second")]
    rules += _common_rules("fr", TITLE_WORDS_FR)
    steps = _steps(rules) + _spans("fr", region)
    steps += _steps([(re.compile(rf"({FR_NUMBER})\s?([€$£])"), _fr_money)])
    steps += measure_steps("fr", region)
    rules = [
        (re.compile(r"\b(\d{1,2})\s?h(?:\s?(\d{2}))?\b"), _fr_time),
        (re.compile(r"\b(\d+)(er|re|ère|e|ème)\b"), _fr_ordinal),
        (re.compile(rf"({FR_NUMBER})\s?%"), lambda m: _fr_number_text(m.group(1)) + " pour cent"),
        (re.compile(r"(\d)\s?[–-]\s?(\d)"), lambda m: f"{m.group(1)} à {m.group(2)}"),
        (re.compile(FR_NUMBER), lambda m: _fr_number_text(m.group(0))),
        (re.compile(r"\s*&\s*"), lambda m: " et "),
        (re.compile(r"°"), lambda m: " degrés"),
    ]
    return steps + _steps(rules)


def _fr_roman_ordinal(m: re.Match[str]) -> str:
    if not re.fullmatch(ROMAN_RE, m.group(1)):
        return m.group(0)
    return ordinal(roman_to_int(m.group(1)), "fr")


# A note mark: "[1]", "[*]", or digits glued to a word's last punctuation ("room.1 And").
NOTE_MARKS = re.compile(r"\s?\[(?:\d{1,3}|[*†‡§])\]|(?<=[^\W\d_]{2}[.,;:!?\"')])\d{1,3}(?=\s|$)")
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
POWER_WORDS = {"en": {"²": "squared", "³": "cubed"}, "fr": {"²": "au carré", "³": "au cube"}}


def _spans(lang: str, region: str | None) -> list[Step]:
    """Note marks out, then what libraries and a date check must see whole: phone numbers, dates."""
    return [
        lambda text: NOTE_MARKS.sub("", text),
        lambda text: say_phone_numbers(text, lang, region),
        lambda text: say_dates(text, lang, region),
    ]


def _superscripts(text: str, lang: str) -> str:
    """A superscript after a word is a note mark; "x²" and "10³" are powers."""

    def power(m: re.Match[str]) -> str:
        if m.group(2) not in ("²", "³") and len(m.group(1)) >= 2 and not m.group(1).isdigit():
            return m.group(1)  # "room¹": a note mark; "mc²" is a power
        said = POWER_WORDS[lang].get(m.group(2)) or "to the power " + digits(
            m.group(2).translate(str.maketrans(SUPERSCRIPTS, "0123456789")), lang
        )
        return f"{m.group(1)} {said}"

    text = re.sub(rf"([^\W_]+)([{SUPERSCRIPTS}]+)", power, text)
    return re.sub(rf"(?<=[.,;:!?\"')])[{SUPERSCRIPTS}]+", "", text)


def _numeric_left(text: str, lang: str) -> str:
    """Any number character no rule read ("①", "H₂O", "٣" in a word): its value in words."""

    def said(ch: str) -> str:
        if unicodedata.category(ch) not in ("Nd", "No", "Nl"):
            return ch
        value = Fraction(unicodedata.numeric(ch)).limit_denominator(1000)
        if value.denominator == 1:
            return f" {cardinal(value.numerator, lang)} "
        return f" {fraction_words(value, lang)} "

    return "".join(said(ch) for ch in text) if any(ch.isnumeric() for ch in text) else text


@functools.lru_cache(maxsize=32)
def _language_steps(code: str, region: str | None) -> list[Step]:
    builders = {"en": _english_steps, "fr": _french_steps}
    if code not in builders:
        return []
    return builders[code](region) + [
        lambda text: _superscripts(text, code),
        lambda text: _numeric_left(text, code),
    ]


@functools.lru_cache(maxsize=64)
def _region(language: str | None) -> str | None:
    tag = language_tag(language) if language else None
    if not tag:
        return None
    try:
        return langcodes.Language.get(tag).territory
    except (LookupError, ValueError):
        return None


def language_code(language: str | None) -> str:
    """ "en" for "en-GB", "en_US" or "English"; English when nothing is known."""
    tag = language_tag(language) if language else "en"
    return (tag or "und").split("-")[0].lower()


def normalize(text: str, language: str | None = "en", *, heading: bool = False) -> str:
    """Rewrite `text` as it should be spoken, for the book's language (BCP 47 or en_US style).
    A `heading` (a chapter title) may be a roman numeral alone: "XLV" is forty-five there."""
    text = _neutral(text)
    code = language_code(language)
    if heading and code in ("en", "fr"):
        text = HEADING_NUMERAL.sub(
            lambda m: cardinal(roman_to_int(m.group(1)), code) + (m.group(2) or ""), text
        )
    for step in _language_steps(code, _region(language)):
        text = step(text)
    return re.sub(r"[ \t]+", " ", text).strip()
