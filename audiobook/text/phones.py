"""Telephone numbers read as a person reads them: digit by digit in the groups they are written
in ("five five five, one two three four"), French numbers by pairs ("zéro un, vingt-trois").

Google's libphonenumber (the `phonenumbers` port) finds them: a number valid for the book's
region, or written in the shape of a local number ("555-1234", "(555) 123-4567"), which
fictional numbers keep although no real exchange has them. A year range (1914-1918) is neither.
"""

from __future__ import annotations

import re

import phonenumbers

from audiobook.text.spell import cardinal, digits

LOCAL_SHAPE = re.compile(r"(?:\(\d{3}\)\s?|\d{3}[-.\s])?\d{3}-\d{4}")
MIN_DIGITS = 7
DEFAULT_REGION = {"en": "US", "fr": "FR"}


def _group(group: str, lang: str) -> str:
    if lang == "fr" and len(group) == 2:
        return ("zéro " if group[0] == "0" else "") + cardinal(int(group), "fr")
    return digits(group, lang)


def _say(raw: str, lang: str) -> str:
    groups = re.findall(r"\d+", raw)
    spoken = ", ".join(_group(g, lang) for g in groups)
    return ("plus " if raw.lstrip().startswith("+") else "") + spoken


def say_phone_numbers(text: str, lang: str, region: str | None) -> str:
    if sum(ch.isdigit() for ch in text) < MIN_DIGITS:
        return text
    region = region or DEFAULT_REGION.get(lang, "US")
    pieces, last = [], 0
    matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        raw = match.raw_string
        if not (phonenumbers.is_valid_number(match.number) or LOCAL_SHAPE.fullmatch(raw)):
            continue
        pieces += [text[last : match.start], _say(raw, lang)]
        last = match.end
    return "".join(pieces) + text[last:] if pieces else text
