"""English: abbreviations, money (decimal and pounds, shillings and pence), times, years and
decades, ordinals, percentages, ranges, then every remaining number."""

from __future__ import annotations

import re

from audiobook.text.common_rules import (
    TITLE_WORDS,
    Rule,
    Step,
    common_rules,
    spans,
    steps_of,
)
from audiobook.text.measures import measure_steps
from audiobook.text.spell import cardinal, digits, number_text, ordinal, plural, year

EN_ABBREVIATIONS = [
    (r"\bWorld War I\b", "World War One"),
    (r"\bca?\.(?=\s?\d)", "circa"),
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
EN_MONEY = re.compile(
    r"([$£€¥])\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+)|,(\d{2})(?![\d,]))?" + EN_SCALE
)
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
    cents = m.group(3) or m.group(4)  # "$3.50", or "€3,50" as the continent writes it
    scale = m.group(5) or SCALE_ABBREVIATIONS.get(m.group(6) or "")
    if scale:
        amount = number_text(whole + ("." + cents if cents else ""), "en", ".", ",")
        return f"{amount} {scale} {many}"
    words = f"{cardinal(whole, 'en')} {plural(whole.lstrip('0') or '0', one, many)}"
    if cents and int(cents) and sub_one:
        c = cents.ljust(2, "0")[:2]
        change = f"{cardinal(int(c), 'en')} {plural(str(int(c)), sub_one, sub_many)}"
        words = change if not int(whole) else f"{words} and {change}"  # $0.99: cents alone
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


def _en_decade(m: re.Match[str]) -> str:
    value = int(m.group(1))
    words = _year_en(value) if value >= 1000 else cardinal(value, "en")
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


# Oaths the printer left out but for their letters: "d--d" was heard "D. D.", "d—d" "d, d".
# A reader says the word; the book only spared the page.
EN_ELIDED_OATH = re.compile(r"\b([DdHhBb])(?:-{2,}|[—–]+)(d|n|ned|mned|nation|l|y)\b")
ELIDED_OATHS = {
    ("d", "d"): "damned", ("d", "ned"): "damned", ("d", "mned"): "damned", ("d", "n"): "damn",
    ("d", "nation"): "damnation", ("h", "l"): "hell", ("b", "y"): "bloody",
}  # fmt: skip


def _en_elided_oath(m: re.Match[str]) -> str:
    word = ELIDED_OATHS.get((m.group(1).lower(), m.group(2)))
    if word is None:
        return m.group(0)
    return word.capitalize() if m.group(1).isupper() else word


def said_oaths(text: str) -> str:
    """The oaths a printer spelled with a dash, as words. Before dashes become pauses: an em
    dash inside one of these is no pause ("I'll be d—d")."""
    return EN_ELIDED_OATH.sub(_en_elided_oath, text)


def english_steps(region: str | None) -> list[Step]:
    rules: list[Rule] = [(re.compile(p), lambda m, r=r: m.expand(r)) for p, r in EN_ABBREVIATIONS]
    rules += common_rules("en", TITLE_WORDS)
    steps = steps_of(rules) + spans("en", region)
    steps += steps_of([(EN_LSD, _en_lsd)])
    steps += steps_of([(EN_MONEY, _en_money)])
    steps += measure_steps("en", region)
    rules = [
        # "call 911": an emergency number is said digit by digit
        (re.compile(r"(?i:\b(call|dial|ring|phone)\s+)(\d{3})\b"),
         lambda m: m.group(0)[: m.start(2) - m.start(0)] + digits(m.group(2), "en")),
        (re.compile(r"\b(\d+)p\b(?!\.m)"), lambda m: f"{m[1]} {plural(m[1], 'penny', 'pence')}"),
        (re.compile(r"(?<=\d) (?=0\d\d\b)"), lambda m: ""),  # "10 000": a group of thousands
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
        (re.compile(r"&c\.?(?!\w)"), lambda m: "et cetera"),  # "apples, pears, &c."
        (re.compile(r"\s*&\s*"), lambda m: " and "),
        (re.compile(r"\s\+\s"), lambda m: " plus "),
        (re.compile(r"\s=\s"), lambda m: " equals "),
        (re.compile(r"°"), lambda m: " degrees"),
    ]  # fmt: skip
    return steps + steps_of(rules)


def _en_number_text(raw: str) -> str:
    return number_text(raw, "en", ".", ",")
