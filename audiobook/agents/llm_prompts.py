"""Every prompt and answer schema the analysis sends to an LLM, in one place.

`VERSION` is part of every cached answer's key: change it whenever a prompt or schema changes
meaning, so that a re-run asks again instead of reading answers to an older question.
"""

from __future__ import annotations

VERSION = "2"

GENDERS = ["female", "male", "unknown"]
UNKNOWN = "unknown"
NO_CUE = "none"

CAST_SYSTEM = (
    "You read a passage of a novel and list its people: everyone who says a quoted line in it "
    "and everyone it names or speaks of as a person of the story. For each person give: "
    "name, the fullest proper name the book uses for them (when they are one of the known "
    "people listed, exactly that listed name); other_names, every other name the passage "
    "calls them by (a first name, a nickname, a title with the surname, a description such "
    'as "the Colonel"); gender, female, male or unknown, as the book shows it; speaks, true '
    "when they say a quoted line in this passage. One entry per person: two names of one "
    "person go in one entry. Use only the passage and the list."
)

QUOTES_SYSTEM = (
    "You attribute quotations in a novel to their speakers. The passage is given paragraph "
    "by paragraph; the quotations to attribute are marked [Q1], [Q2] ... A name in brackets "
    "after a quotation is the speaker an earlier, less careful reading proposed: a hint that "
    "may be wrong. For each marked quotation give its speaker, one of the candidates, or "
    '"unknown" when the passage does not tell; and cue, how the line is delivered when the '
    'words of the passage say so (laugh, sigh, whisper, ...), otherwise "none". Use only '
    "the passage."
)


def cast_schema() -> dict:
    return {
        "type": "object",
        "properties": {
            "people": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "minLength": 1},
                        "other_names": {"type": "array", "items": {"type": "string"}},
                        "gender": {"type": "string", "enum": GENDERS},
                        "speaks": {"type": "boolean"},
                    },
                    "required": ["name", "other_names", "gender", "speaks"],
                },
            }
        },
        "required": ["people"],
    }


def cast_question(passage: str, known: list[tuple[str, list[str]]]) -> str:
    """`known`: people an earlier reading found in this passage, (name, other names)."""
    lines = [f"- {name}" + (f" (also {', '.join(also)})" if also else "") for name, also in known]
    listed = "\n".join(lines) if lines else "(none)"
    return f"Known people:\n{listed}\n\nPassage:\n{passage}"


def quotes_schema(candidates: list[str], count: int, cues: list[str]) -> dict:
    return {
        "type": "object",
        "properties": {
            "answers": {
                "type": "array",
                "minItems": count,
                "maxItems": count,
                "items": {
                    "type": "object",
                    "properties": {
                        "quote": {"type": "integer", "minimum": 1, "maximum": count},
                        "speaker": {"type": "string", "enum": candidates + [UNKNOWN]},
                        "cue": {"type": "string", "enum": cues + [NO_CUE]},
                    },
                    "required": ["quote", "speaker"],
                },
            }
        },
        "required": ["answers"],
    }


def quotes_question(candidates: list[str], passage: str, count: int) -> str:
    return (
        f"Candidates: {'; '.join(candidates)}.\n\nPassage:\n{passage}\n\n"
        f"Give the speaker of each of Q1 to Q{count}."
    )


def cast_messages(passage: str, known: list[tuple[str, list[str]]]) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": CAST_SYSTEM},
        {"role": "user", "content": cast_question(passage, known)},
    ]


def quotes_messages(candidates: list[str], passage: str, count: int) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": QUOTES_SYSTEM},
        {"role": "user", "content": quotes_question(candidates, passage, count)},
    ]
