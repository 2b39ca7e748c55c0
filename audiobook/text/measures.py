"""Quantities: units after a number ("5 km", "60 mph", "25 °C"), fractions ("1/2", "4½",
"3 3/4"), signs ("-3", "±2"), version numbers ("2.0.1"), times with seconds, and "2×3"."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from fractions import Fraction

from audiobook.text.spell import cardinal, number_text, ordinal, plural

# unit: (English one, English many, French one, French many); "metre" is "meter" in the US
UNITS: dict[str, tuple[str, str, str, str]] = {
    "km": ("kilometre", "kilometres", "kilomètre", "kilomètres"),
    "m": ("metre", "metres", "mètre", "mètres"),
    "cm": ("centimetre", "centimetres", "centimètre", "centimètres"),
    "mm": ("millimetre", "millimetres", "millimètre", "millimètres"),
    "km²": ("square kilometre", "square kilometres", "kilomètre carré", "kilomètres carrés"),
    "m²": ("square metre", "square metres", "mètre carré", "mètres carrés"),
    "m³": ("cubic metre", "cubic metres", "mètre cube", "mètres cubes"),
    "cm²": ("square centimetre", "square centimetres", "centimètre carré", "centimètres carrés"),
    "cm³": ("cubic centimetre", "cubic centimetres", "centimètre cube", "centimètres cubes"),
    "mi": ("mile", "miles", "mille", "milles"),
    "yd": ("yard", "yards", "yard", "yards"),
    "ft": ("foot", "feet", "pied", "pieds"),
    "kg": ("kilogram", "kilograms", "kilogramme", "kilogrammes"),
    "g": ("gram", "grams", "gramme", "grammes"),
    "mg": ("milligram", "milligrams", "milligramme", "milligrammes"),
    "lb": ("pound", "pounds", "livre", "livres"),
    "lbs": ("pound", "pounds", "livre", "livres"),
    "oz": ("ounce", "ounces", "once", "onces"),
    "l": ("litre", "litres", "litre", "litres"),
    "L": ("litre", "litres", "litre", "litres"),
    "ml": ("millilitre", "millilitres", "millilitre", "millilitres"),
    "mL": ("millilitre", "millilitres", "millilitre", "millilitres"),
    "cl": ("centilitre", "centilitres", "centilitre", "centilitres"),
    "mph": ("mile per hour", "miles per hour", "mille à l'heure", "milles à l'heure"),
    "km/h": ("kilometre per hour", "kilometres per hour", "kilomètre à l'heure",
             "kilomètres à l'heure"),
    "kph": ("kilometre per hour", "kilometres per hour", "kilomètre à l'heure",
            "kilomètres à l'heure"),
    "°C": ("degree Celsius", "degrees Celsius", "degré Celsius", "degrés Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit", "degré Fahrenheit", "degrés Fahrenheit"),
    "kW": ("kilowatt", "kilowatts", "kilowatt", "kilowatts"),
    "W": ("watt", "watts", "watt", "watts"),
    "V": ("volt", "volts", "volt", "volts"),
    "Hz": ("hertz", "hertz", "hertz", "hertz"),
    "kHz": ("kilohertz", "kilohertz", "kilohertz", "kilohertz"),
    "MHz": ("megahertz", "megahertz", "mégahertz", "mégahertz"),
    "GHz": ("gigahertz", "gigahertz", "gigahertz", "gigahertz"),
    "KB": ("kilobyte", "kilobytes", "kilooctet", "kilooctets"),
    "MB": ("megabyte", "megabytes", "mégaoctet", "mégaoctets"),
    "GB": ("gigabyte", "gigabytes", "gigaoctet", "gigaoctets"),
    "TB": ("terabyte", "terabytes", "téraoctet", "téraoctets"),
    "ms": ("millisecond", "milliseconds", "milliseconde", "millisecondes"),
    "sec": ("second", "seconds", "seconde", "secondes"),
    "min": ("minute", "minutes", "minute", "minutes"),
    "hr": ("hour", "hours", "heure", "heures"),
    "hrs": ("hour", "hours", "heure", "heures"),
}  # fmt: skip
EN_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
FR_NUMBER = r"\d{1,3}(?:[  ]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_UNIT_ALTERNATION = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
VULGAR = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒↉"
Step = Callable[[str], str]
# Denominators a fraction is read with; "12/25" is no fraction anyone says "twelve twenty-fifths"
SPOKEN_DENOMINATORS = {2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16, 32, 64, 100}


def _number(raw: str, lang: str) -> str:
    if lang == "fr":
        return number_text(raw.replace("\u202f", " "), "fr", ",", " ")
    return number_text(raw, "en", ".", ",")


def _is_one(raw: str) -> bool:
    return raw.replace(",", ".").lstrip("0") in ("1", "1.", "1.0")


def _unit_word(unit: str, raw: str, lang: str, american: bool) -> str:
    en_one, en_many, fr_one, fr_many = UNITS[unit]
    word = (fr_one if _is_one(raw) else fr_many) if lang == "fr" else (
        en_one if _is_one(raw) else en_many)  # fmt: skip
    if american:
        word = word.replace("metre", "meter").replace("litre", "liter")
    return word


def fraction_words(value: Fraction, lang: str) -> str:
    """ "one half", "three quarters", "two thirds"; "un demi", "trois quarts"."""
    num, den = value.numerator, value.denominator
    if lang == "fr":
        names = {2: ("demi", "demis"), 3: ("tiers", "tiers"), 4: ("quart", "quarts")}
        one, many = names.get(den) or (ordinal(den, "fr"), ordinal(den, "fr") + "s")
        return f"{cardinal(num, 'fr')} {one if num == 1 else many}"
    names = {2: ("half", "halves"), 4: ("quarter", "quarters")}
    nth = ordinal(den, "en").removeprefix("one ")  # "one hundredth", not "one one hundredth"
    one, many = names.get(den) or (nth, nth + "s")
    return f"{cardinal(num, 'en')} {one if num == 1 else many}"


def _mixed(whole: str, part: Fraction, lang: str) -> str:
    if lang == "fr":
        rest = "demi" if part == Fraction(1, 2) else fraction_words(part, "fr")
        return f"{cardinal(whole, 'fr')} et {rest}"
    rest = fraction_words(part, "en")
    if part.numerator == 1:
        rest = "a " + rest.removeprefix("one ")
    return f"{cardinal(whole, 'en')} and {rest}"


def _slash_fraction(m: re.Match[str], lang: str) -> str:
    num, den = int(m.group(2)), int(m.group(3))
    if m.group(1):
        if 0 < num < den:
            return _mixed(m.group(1), Fraction(num, den), lang)
        return m.group(0)
    if 0 < num < den and den in SPOKEN_DENOMINATORS and Fraction(num, den).denominator == den:
        return fraction_words(Fraction(num, den), lang)
    return f"{cardinal(num, lang)} {cardinal(den, lang)}"  # "24/7", "9/11", "50/50"


def _vulgar_value(ch: str) -> Fraction:
    return Fraction(unicodedata.numeric(ch)).limit_denominator(10)


def _vulgar(m: re.Match[str], lang: str) -> str:
    part = _vulgar_value(m.group(2))
    if m.group(1):
        return _mixed(m.group(1), part, lang)
    spoken = fraction_words(part, lang)
    if part.numerator == 1 and re.search(r"\b(?:an?|un|une)\s+$", m.string[: m.start()]):
        spoken = spoken.split(" ", 1)[1]  # "a ½ hour" is "a half hour"
    return spoken


def _quantity(m: re.Match[str], lang: str, american: bool) -> str:
    raw, vulgar, unit = m.group(1), m.group(2), m.group(3)
    if vulgar:
        return f"{_mixed(raw, _vulgar_value(vulgar), lang)} {_unit_word(unit, '2', lang, american)}"
    return f"{_number(raw, lang)} {_unit_word(unit, raw, lang, american)}"


def _with_seconds(m: re.Match[str], lang: str) -> str:
    h, mi, s = (int(g) for g in m.groups())
    if lang == "fr":
        return (f"{cardinal(h, 'fr')} {plural(str(h), 'heure', 'heures')} {cardinal(mi, 'fr')} "
                f"et {cardinal(s, 'fr')} {plural(str(s), 'seconde', 'secondes')}")  # fmt: skip
    minutes = cardinal(mi, "en") if mi >= 10 else f"oh {cardinal(mi, 'en')}"
    return f"{cardinal(h, 'en')} {minutes} and {cardinal(s, 'en')} " + plural(
        str(s), "second", "seconds"
    )


def _sign(m: re.Match[str], lang: str) -> str:
    words = {"en": {"-": "minus", "−": "minus", "+": "plus", "±": "plus or minus"},
             "fr": {"-": "moins", "−": "moins", "+": "plus", "±": "plus ou moins"}}  # fmt: skip
    return f"{m.group(1)}{words[lang][m.group(2)]} "


def _version(dotted: str, lang: str, prefix: bool) -> str:
    spoken = " point ".join(cardinal(part, lang) for part in dotted.split("."))
    return ("version " if prefix else "") + spoken  # "point" in French too


def measure_steps(lang: str, region: str | None) -> list[Step]:
    """The rewrites of this module, in the order they must run, for English or French."""
    number = FR_NUMBER if lang == "fr" else EN_NUMBER
    american = lang == "en" and region == "US"
    times = "fois" if lang == "fr" else "times"
    by = "fois" if lang == "fr" else "by"
    feet_inches = re.compile(r"\b(\d{1,2})\s?(?:ft\.?|')\s?(\d{1,2})\s?(?:in\.?|\"|'')(?=\W|$)")
    units = re.compile(
        rf"(?<![\w.,])({number})([{VULGAR}])?\s?({_UNIT_ALTERNATION})(?![\w/²³])(\.(?=\s+[a-z]))?"
    )
    pairs: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
        (re.compile(r"(\d)\s?°\s+([CF])\b"), lambda m: f"{m.group(1)}°{m.group(2)}"),
        (re.compile(r"(^|[\s(\[])([-−+±])(?=\d)"), lambda m: _sign(m, lang)),
        (re.compile(r"\b(\d{1,2}):(\d{2}):(\d{2})\b"), lambda m: _with_seconds(m, lang)),
        (re.compile(r"\b(v)?(\d+(?:\.\d+){2,})\b|\bv(\d+\.\d+)\b"),
         lambda m: _version(m[2], lang, bool(m[1])) if m[2] else _version(m[3], lang, True)),
        (feet_inches, lambda m: (f"{cardinal(m[1], 'en')} {plural(m[1], 'foot', 'feet')} "
                                 f"{cardinal(m[2], 'en')} {plural(m[2], 'inch', 'inches')}")
         if lang == "en" else m.group(0)),
        (units, lambda m: _quantity(m, lang, american)),
        (re.compile(r"(\d)\s?[×x]\s?(?=\d)"), lambda m: f"{m.group(1)} {by} "),
        (re.compile(r"\b(\d+):(\d)\b"), lambda m: f"{m[1]} {'à' if lang == 'fr' else 'to'} {m[2]}"),
        (re.compile(r"(\d)\s?[×x](?![\w])"), lambda m: f"{m.group(1)} {times}"),
        (re.compile(rf"(?:\b(\d+)\s?)?([{VULGAR}])"), lambda m: _vulgar(m, lang)),
        (re.compile(r"(?:\b(\d+)\s+)?(?<![\d/])\b(\d{1,3})\s?[/⁄]\s?(\d{1,3})\b(?![/\d])"),
         lambda m: _slash_fraction(m, lang)),
    ]  # fmt: skip
    return [lambda text, p=p, r=r: p.sub(r, text) for p, r in pairs]
