"""French: abbreviations (M., Mme, Mlle), money, times (14h30), ordinals (1er, XIXe), roman
numerals of kings and centuries, percentages, ranges, then every remaining number."""

from __future__ import annotations

import re

from num2words import num2words

from audiobook.text.common_rules import (
    REGNAL_NAMES,
    ROMAN_RE,
    TITLE_WORDS_FR,
    Rule,
    Step,
    common_rules,
    roman_to_int,
    spans,
    steps_of,
)
from audiobook.text.measures import measure_steps
from audiobook.text.spell import cardinal, digits, number_text, ordinal, plural

FR_ABBREVIATIONS = [
    (r"\bMM\.(?=\s)", "Messieurs"),
    (r"\bM\.(?=\s+[A-ZÀ-Ý]|\s+et\s+Mm?e)", "Monsieur"),  # "M. Dupont", "M. et Mme Dupont"
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
        change = f"{cardinal(int(c), 'fr')} {plural(str(int(c)), sub_one, sub_many)}"
        words = change if not int(whole or 0) else f"{words} {change}"  # 0,99 €: centimes
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


def french_steps(region: str | None) -> list[Step]:
    rules: list[Rule] = [(re.compile(p), lambda m, r=r: r) for p, r in FR_ABBREVIATIONS]
    rules += [(re.compile(rf"\b({ROMAN_RE})(?:e|ème)\s+(siècles?|arrondissement)"), _fr_century)]
    rules += [(re.compile(rf"\b({REGNAL_NAMES})\s+Ier\b"), lambda m: f"{m.group(1)} premier")]
    # "le IIe acte", "la Ve République": a numeral of I, V and X (so "Le", "De", "Ce" are words)
    rules += [(re.compile(r"\b([LC]?[IVX]+)(e|ème)\b"), _fr_roman_ordinal)]
    rules += [(re.compile(r"\b2nde\b"), lambda m: "seconde")]
    rules += [(re.compile(r"\b2nd\b"), lambda m: "second")]
    rules += common_rules("fr", TITLE_WORDS_FR)
    steps = steps_of(rules) + spans("fr", region)
    steps += steps_of([(re.compile(rf"({FR_NUMBER})\s?([€$£])"), _fr_money)])
    steps += measure_steps("fr", region)
    rules = [
        (re.compile(r"\b(\d{1,2})\s?h(?:\s?(\d{2}))?\b"), _fr_time),
        (re.compile(r"\b(\d+)(er|re|ère|e|ème)\b"), _fr_ordinal),
        (re.compile(rf"({FR_NUMBER})\s?%"), lambda m: _fr_number_text(m.group(1)) + " pour cent"),
        (re.compile(r"(\d)\s?[–-]\s?(\d)"), lambda m: f"{m.group(1)} à {m.group(2)}"),
        (re.compile(FR_NUMBER), lambda m: _fr_number_text(m.group(0))),
        (re.compile(r"&c\.?(?!\w)"), lambda m: "et cætera"),
        (re.compile(r"\s*&\s*"), lambda m: " et "),
        (re.compile(r"°"), lambda m: " degrés"),
    ]
    return steps + steps_of(rules)


def _fr_roman_ordinal(m: re.Match[str]) -> str:
    if not re.fullmatch(ROMAN_RE, m.group(1)):
        return m.group(0)
    return ordinal(roman_to_int(m.group(1)), "fr")


# A note mark: "[1]", "[*]", or digits glued to a word's last punctuation ("room.1 And").
