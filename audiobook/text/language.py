"""The language a book is written in, as a BCP 47 tag ("en", "fr-FR"), whatever form the book
gives it in: a tag in its metadata, a name in a Project Gutenberg header ("Language: French"),
or nothing, when the text itself tells (py3langid, a small fitted classifier)."""

from __future__ import annotations

import langcodes

SAMPLE_CHARS = 20_000  # enough text for a sure answer, little enough to be instant


def language_tag(declared: str | None) -> str | None:
    """A tag from what a book declares: "en-GB" stays, "English" and "français" become codes;
    None when it names no language."""
    if not declared or not declared.strip():
        return None
    text = declared.strip().replace("_", "-")
    try:
        found = langcodes.Language.get(text)
        if found.is_valid() and found.language and found.language != "und":
            return found.to_tag()
    except (LookupError, ValueError):
        pass
    for candidate in (text, text.split(",")[0].split(";")[0]):  # "English; French"
        try:
            return langcodes.find(candidate.strip()).to_tag()
        except LookupError:
            continue
    return None


def iso639_2(tag: str | None) -> str | None:
    """The three-letter code MP4 and ID3 take ("eng") for a book's language tag ("en-GB")."""
    if not tag:
        return None
    try:
        code = langcodes.Language.get(tag).to_alpha3()
    except (LookupError, ValueError):
        return None
    return code if code != "und" else None


def language_name(tag: str) -> str:
    """ "French" for "fr"."""
    return langcodes.Language.get(tag).display_name()


def detect_language(text: str) -> str | None:
    """The language of `text` by its letters and words; None for too little text to tell."""
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if len(sample) < 40:
        return None
    import py3langid

    code, _ = py3langid.classify(sample)
    return code or None


def book_language(declared: str | None, text: str) -> str | None:
    return language_tag(declared) or detect_language(text)
