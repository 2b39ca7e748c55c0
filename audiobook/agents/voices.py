"""Voice casting: a voice for the narrator and for each speaking character.

Gender-matched where the book tells the gender; people who talk to each other never share a
voice while the provider has enough; minor characters share one voice per gender; the same
book and provider always get the same cast. A cast file (cast.toml) overrides any choice:

    [narrator]
    voice = "en_US-joe-medium"

    [characters."Mrs. Bennet"]
    voice = "en_US-joe-medium:high"
    speed = 1.1
"""

from __future__ import annotations

import difflib
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from audiobook.errors import UserError
from audiobook.model import Character, Segment, name_key
from audiobook.providers import Voice

MINOR_QUOTES = 3  # characters with fewer lines share a voice


@dataclass
class Casting:
    narrator: str
    voices: dict[str, str] = field(default_factory=dict)  # character name -> voice id
    speeds: dict[str, float] = field(default_factory=dict)

    def voice_for(self, speaker: str | None) -> str:
        return self.voices.get(speaker, self.narrator) if speaker else self.narrator

    def apply(self, segments: list[Segment]) -> None:
        """Voice and speed per segment: a quote gets its speaker's, narration the narrator's,
        and so does a quote whose speaker the analysis is unsure of: a wrong voice is worse
        than the narrator's."""
        for segment in segments:
            speaker = segment.character_speaker
            segment.voice = self.voice_for(speaker)
            segment.speed = self.speeds.get(speaker) if speaker else None


def conversation_pairs(
    segments: list[Segment], within: int | None = None
) -> Counter[frozenset[str]]:
    """How often two speakers have consecutive lines in a chapter (no more than `within`
    paragraphs apart, when given): they must sound different, the more so the more they talk
    to each other."""
    pairs: Counter[frozenset[str]] = Counter()
    last: dict[int, Segment] = {}
    for s in segments:
        if s.kind != "quote" or not s.speaker:
            continue
        previous = last.get(s.chapter)
        if (
            previous is not None
            and previous.speaker != s.speaker
            and (within is None or s.paragraph - previous.paragraph <= within)
        ):
            pairs[frozenset((previous.speaker, s.speaker))] += 1
        last[s.chapter] = s
    return pairs


def cast_voices(
    characters: list[Character],
    segments: list[Segment],
    voices: list[Voice],
    narrator: str,
    expected: Counter[str] | None = None,
) -> Casting:
    """`expected`: lines each character is expected to have beyond the segments' speakers
    (with an LLM, voices are chosen before it has decided every quote)."""
    lines = Counter(s.character_speaker for s in segments if s.character_speaker)
    lines.update(expected or {})
    pairs = conversation_pairs(segments)
    speaking = [c for c in characters if lines[c.name]]
    speaking.sort(key=lambda c: (-lines[c.name], c.name))
    pool = [v for v in voices if v.id != narrator] or list(voices)
    used: Counter[str] = Counter()
    chosen: dict[str, str] = {}
    shared_minor: dict[str | None, str] = {}

    def candidates(gender: str | None) -> list[Voice]:
        matching = [v for v in pool if gender is None or v.gender in (gender, None)]
        exact = [v for v in matching if gender is None or v.gender == gender]
        return exact + [v for v in matching if v not in exact] or pool

    for character in speaking:
        minor = lines[character.name] < MINOR_QUOTES
        if minor and character.gender in shared_minor:
            chosen[character.name] = shared_minor[character.gender]
            continue
        # How many exchanges with this character each voice would sound alike in.
        clash: Counter[str] = Counter()
        for pair, exchanges in pairs.items():
            if character.name in pair:
                (other,) = pair - {character.name}
                if other in chosen:
                    clash[chosen[other]] += exchanges
        options = candidates(character.gender)
        # No clash if the provider has voices enough, else the rarest one; then least used,
        # keeping the provider's order among equals: stable across runs.
        pick = min(options, key=lambda v: (clash[v.id], used[v.id], options.index(v)))
        chosen[character.name] = pick.id
        used[pick.id] += 1
        if minor:
            shared_minor[character.gender] = pick.id
    return Casting(narrator, chosen)


def load_cast_file(
    path: Path,
    casting: Casting,
    valid: set[str],
    characters: list[Character] | None = None,
    warn: Callable[[str], None] | None = None,
) -> Casting:
    """Apply a user's cast.toml over the proposed casting; unknown voices are errors. A
    character is found by name or any of its other names, whatever the case ("alice",
    "Lizzy"); one the book does not have is reported (`warn`) with the names closest to it."""
    names = _names_in_book(characters or [], casting)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise UserError(f"{path}: cannot read the cast file: {e}") from None
    narrator = data.get("narrator", {}).get("voice")
    if narrator:
        _check(narrator, valid, path, "narrator")
        casting.narrator = narrator
    for written, entry in (data.get("characters") or {}).items():
        if not isinstance(entry, dict):
            raise UserError(f'{path}: [characters."{written}"] must be a table')
        name = names.get(name_key(written))
        if name is None:
            if warn is not None:
                warn(_nobody(path, written, names))
            continue
        if voice := entry.get("voice"):
            _check(voice, valid, path, name)
            casting.voices[name] = voice
        if (speed := entry.get("speed")) is not None:
            if not isinstance(speed, (int, float)) or not 0.25 <= speed <= 4:
                raise UserError(f"{path}: speed for '{name}' must be a number from 0.25 to 4")
            casting.speeds[name] = float(speed)
    return casting


def _names_in_book(characters: list[Character], casting: Casting) -> dict[str, str]:
    """Every name and other name a cast file may use, folded -> the character's name."""
    found: dict[str, str] = {}
    for c in characters:
        for alias in sorted(c.aliases):
            found.setdefault(name_key(alias), c.name)
    for name in [*casting.voices, *(c.name for c in characters)]:
        found[name_key(name)] = name  # a character's own name wins over another's alias
    return found


def _nobody(path: Path, written: str, names: dict[str, str]) -> str:
    close = difflib.get_close_matches(name_key(written), list(names), n=3, cutoff=0.6)
    hint = ", ".join(dict.fromkeys(names[c] for c in close))
    return f"warning: {path}: no character '{written}' in this book; its entry is ignored" + (
        f" (closest: {hint})" if hint else ""
    )


def _check(voice: str, valid: set[str], path: Path, who: str) -> None:
    if voice not in valid:
        raise UserError(f"{path}: voice '{voice}' for {who} is not offered by the provider")


def write_cast_file(
    path: Path, casting: Casting, characters: list[Character], segments: list[Segment]
) -> None:
    lines = Counter(s.speaker for s in segments if s.kind == "quote" and s.speaker)
    by_name = {c.name: c for c in characters}
    out = [
        "# The cast audiobook proposes: edit voices and speeds, then pass --cast this-file.",
        "# `audiobook voices` lists the voices of your TTS provider.",
        "",
        "[narrator]",
        f'voice = "{casting.narrator}"',
        "",
    ]
    groups: dict[str, list[str]] = defaultdict(list)
    for name, voice in casting.voices.items():
        groups[voice].append(name)
    for name in sorted(casting.voices, key=lambda n: (-lines[n], n)):
        c = by_name.get(name)
        aliases = ", ".join(sorted(a for a in (c.aliases if c else ()) if a != name))
        gender = c.gender if c and c.gender else "unknown"
        out.append(
            f"# {lines[name]} lines, gender {gender}" + (f", also {aliases}" if aliases else "")
        )
        out.append(f'[characters."{_toml_escape(name)}"]')
        out.append(f'voice = "{casting.voices[name]}"')
        if name in casting.speeds:
            out.append(f"speed = {casting.speeds[name]}")
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8")


def _toml_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
