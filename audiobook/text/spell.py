"""Numbers as words in the languages the normaliser knows (num2words underneath): the pieces
every rule shares, so that "3", "3rd", "1887" and "3,50" are spelled one way everywhere."""

from __future__ import annotations

from num2words import num2words

MAX_DIGITS = 15  # longer numbers (serials, codes) are read digit by digit


def digits(text: str, lang: str) -> str:
    return " ".join(num2words(int(d), lang=lang) for d in text if d.isdigit())


def cardinal(value: int | str, lang: str) -> str:
    """A whole number given as int or digit string; very long ones digit by digit."""
    text = str(value)
    if len(text.lstrip("0")) > MAX_DIGITS:
        return digits(text, lang)
    return num2words(int(text), lang=lang)


def ordinal(value: int | str, lang: str, *, feminine: bool = False) -> str:
    text = str(value)
    if len(text.lstrip("0")) > MAX_DIGITS:
        return digits(text, lang)
    if lang == "fr" and int(text) == 1:
        return "première" if feminine else "premier"
    return num2words(int(text), lang=lang, to="ordinal")


def number_text(raw: str, lang: str, decimal: str, group: str) -> str:
    """A number written with the language's group and decimal separators."""
    raw = raw.replace(group, "").replace(" ", "")
    whole, _, fraction = raw.partition(decimal)
    spoken = cardinal(whole or "0", lang)
    if fraction:
        point = "point" if lang == "en" else "virgule"
        said = digits(fraction, lang)
        if lang == "fr" and len(fraction) <= 2 and not fraction.startswith("0"):
            said = cardinal(int(fraction), lang)
        spoken = f"{spoken} {point} {said}"
    return spoken


def plural(count_text: str, singular: str, many: str) -> str:
    return singular if count_text in ("1", "one", "un", "une") else many


def year(value: int, lang: str) -> str:
    """ "eighteen sixty-five", "two thousand and five"; French years are cardinals."""
    if lang != "en":
        return cardinal(value, lang)
    if 2000 <= value <= 2009 or value < 1000:
        return num2words(value, lang="en")
    return num2words(value, lang="en", to="year")
