"""Text for speech: what a listener should hear for numbers, abbreviations and symbols.

English and French have rules; other languages get only the language-neutral clean-up
(quotes, dashes, ellipses, whitespace), so their text passes through unchanged otherwise.
The rules (english.py, french.py) run in an order: abbreviations and roman numerals where
context makes them numbers (headings, regnal names, centuries: common_rules.py), note marks
out, phone numbers and dates (phones.py, dates.py), money, quantities (measures.py), then the
remaining numbers, spelled with num2words (spell.py); whatever number character is left is
said by its Unicode value here, so no digit ever reaches the engine. The book's region
(en-US, en-GB) orders day and month and spells "meter" or "metre".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from fractions import Fraction

import langcodes

from audiobook.text.common_rules import HEADING_NUMERAL, Step, roman_to_int
from audiobook.text.english import english_steps, said_oaths
from audiobook.text.french import french_steps
from audiobook.text.language import language_tag
from audiobook.text.measures import fraction_words
from audiobook.text.spell import cardinal, digits


def _neutral(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    text = re.sub(r"[“”„‟«»]", '"', text)
    text = re.sub(r"[‘’‚‛]", "'", text)
    text = text.replace("…", "...")
    text = re.sub(r"\s*[—―]+\s*", ", ", text)  # an em dash is a pause
    text = re.sub(r",\s+([\"'])(?=\s|$)", r",\1", text)
    text = re.sub(r"(?<=\s)–(?=\s)", ",", text)
    text = re.sub(r"[\u200b\u200c\u200d\ufeff]", "", text)
    # Stars are no words: "*very*" is emphasis; "Lord *** said", "He said * * * nothing" a
    # name left out or a break, said as a pause.
    text = re.sub(r"(?<![\w*])\*(?=\w)([^*\n]+?)(?<=\w)\*(?![\w*])", r"\1", text)
    text = re.sub(r"^\s*\*(?:\s*\*)*\s*|\s*\*(?:\s*\*)*\s*$", "", text)
    text = re.sub(r"\s*\*(?:\s*\*)+\s*", ", ", text)  # one star is left to the note marks
    return text


SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
POWER_WORDS = {"en": {"²": "squared", "³": "cubed"}, "fr": {"²": "au carré", "³": "au cube"}}


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
    builders = {"en": english_steps, "fr": french_steps}
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


# Books set the first words of a chapter or paragraph in capitals: "IT is a truth universally
# acknowledged", "MR. BENNET was among the earliest". An engine spells out a short word in
# capitals ("I.T."), so a run of them that opens the text, before lower-case words, is said
# as the words it is.
CAPITAL_WORD = r"[A-ZÀ-ÖØ-Þ](?:[A-ZÀ-ÖØ-Þ'’-]*[A-ZÀ-ÖØ-Þ])?\.?"
OPENING_CAPITALS = re.compile(rf"^(\W*)({CAPITAL_WORD}(?:\s+{CAPITAL_WORD})*)(?=[\s,;:]+[a-zß-ÿ])")


def _opening_capitals(text: str) -> str:
    m = OPENING_CAPITALS.match(text)
    if not m or not re.search(r"[A-ZÀ-ÖØ-Þ]{2}", m.group(2)):
        return text  # "I was", "A man": no capitals but the usual ones
    words = re.sub(r"\S+", lambda w: w.group(0).capitalize(), m.group(2))
    return m.group(1) + words + text[m.end() :]


def normalize(text: str, language: str | None = "en", *, heading: bool = False) -> str:
    """Rewrite `text` as it should be spoken, for the book's language (BCP 47 or en_US style).
    A `heading` (a chapter title) may be a roman numeral alone: "XLV" is forty-five there."""
    code = language_code(language)
    if code == "en":
        text = said_oaths(text)
    text = _neutral(text)
    if not heading:
        text = _opening_capitals(text)
    if heading and code in ("en", "fr"):
        text = HEADING_NUMERAL.sub(
            lambda m: cardinal(roman_to_int(m.group(1)), code) + (m.group(2) or ""), text
        )
    for step in _language_steps(code, _region(language)):
        text = step(text)
    return re.sub(r"[ \t]+", " ", text).strip()
