"""Dates as they are said: "12/25/2023" is "December twenty-fifth, twenty twenty-three" in
American English, "25/12/2023" "the twenty-fifth of December ..." in British English and
"vingt-cinq décembre deux mille vingt-trois" in French.

A pattern only finds what may be a date; `datetime.date` decides whether it is one (13/45/2023,
2.0.1 and 1914-1918 are not), and the order of day and month comes from the digits where they
tell (a day over 12) and from the book's region where they do not.
"""

from __future__ import annotations

import datetime
import re

from audiobook.text.spell import cardinal, ordinal, year

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}
MONTH_NAMES = {lang: names.split() for lang, names in MONTHS.items()}
EN_SHORT = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
            "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}  # fmt: skip
# Regions that write the month first in numeric dates; everyone else writes the day first.
MONTH_FIRST_REGIONS = {"US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "UM", "VI"}

_SEP = r"[/.-]"
NUMERIC = re.compile(
    rf"(?<![\d/.,-])(\d{{1,4}})({_SEP})(\d{{1,2}})\2(\d{{4}}|\d{{2}})(?![\d/-]|[.,]\d)"
)
_EN_MONTH = "|".join(MONTH_NAMES["en"] + [rf"{s}\.?" for s in EN_SHORT])
EN_MONTH_DAY = re.compile(
    rf"\b({_EN_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!:\d|[.,]\d)(?:(,?\s+)(\d{{4}})\b)?"
)
EN_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_EN_MONTH})(?![\w])(?:(,?\s+)(\d{{4}})\b)?"
)
EN_SHORT_MONTH = re.compile(rf"\b({'|'.join(EN_SHORT)})\.(?=\s+\d)")


def _month_number(word: str) -> int:
    word = word.rstrip(".")
    return EN_SHORT.get(word) or MONTH_NAMES["en"].index(word) + 1


def _valid(y: int, m: int, d: int) -> bool:
    try:
        datetime.date(y, m, d)
    except ValueError:
        return False
    return True


def _said_year(raw: str, lang: str) -> str:
    if len(raw) == 2:  # '05 or '87: the two digits as written
        value = int(raw)
        if lang == "en" and value < 10:
            return f"oh {cardinal(value, lang)}"
        return cardinal(value, lang)
    return year(int(raw), lang)


def _say(lang: str, month: int, day: int, year_raw: str | None, day_first: bool) -> str:
    name = MONTH_NAMES[lang][month - 1]
    if lang == "fr":
        spoken = f"{'premier' if day == 1 else cardinal(day, 'fr')} {name}"
        return spoken + (f" {_said_year(year_raw, lang)}" if year_raw else "")
    if day_first:
        spoken = f"the {ordinal(day, 'en')} of {name}"
        return spoken + (f" {_said_year(year_raw, lang)}" if year_raw else "")
    return f"{name} {ordinal(day, 'en')}" + (f", {_said_year(year_raw, lang)}" if year_raw else "")


def _numeric(m: re.Match[str], lang: str, month_first: bool) -> str:
    a, sep, b, c = m.group(1), m.group(2), m.group(3), m.group(4)
    if len(a) == 4:  # ISO: year, month, day
        if len(c) != 2 or not _valid(int(a), int(b), int(c)):
            return m.group(0)
        return _say(lang, int(b), int(c), a, not month_first)
    if len(a) == 3 or (sep == "." and len(c) != 4):
        return m.group(0)
    first, second = int(a), int(b)
    full_year = int(c) if len(c) == 4 else 2000 + int(c)
    orders = [(second, first, False), (first, second, True)]  # (day, month, day first)
    if not month_first:
        orders.reverse()
    for day, month, day_first in orders:
        if _valid(full_year, month, day):
            return _say(lang, month, day, c, day_first)  # said in the order it is written
    return m.group(0)


def _en_month_day(m: re.Match[str]) -> str:
    month, day, year_raw = _month_number(m.group(1)), int(m.group(2)), m.group(4)
    if not _valid(int(year_raw) if year_raw else 2000, month, day):
        return m.group(0)
    return _say("en", month, day, year_raw, day_first=False)


def _en_day_month(m: re.Match[str]) -> str:
    day, month, year_raw = int(m.group(1)), _month_number(m.group(2)), m.group(4)
    if not _valid(int(year_raw) if year_raw else 2000, month, day):
        return m.group(0)
    spoken = _say("en", month, day, year_raw, day_first=True)
    before = m.string[: m.start()]
    if re.search(r"\b(?:the|The)\s+$", before):  # "the 5th of May" already has its article
        spoken = spoken.removeprefix("the ")
    return spoken


def say_dates(text: str, lang: str, region: str | None) -> str:
    """Every date in `text` in words, for English ("en") or French ("fr")."""
    if not any(ch.isdigit() for ch in text):
        return text
    month_first = lang == "en" and (region is None or region in MONTH_FIRST_REGIONS)
    text = NUMERIC.sub(lambda m: _numeric(m, lang, month_first), text)
    if lang == "en":
        text = EN_MONTH_DAY.sub(_en_month_day, text)
        text = EN_DAY_MONTH.sub(_en_day_month, text)
        text = EN_SHORT_MONTH.sub(lambda m: MONTH_NAMES["en"][EN_SHORT[m.group(1)] - 1], text)
    return text
