"""The script: the analysis stages' output, one JSON object per line, for review and rendering.

The first line describes the book; every other line is one segment:

    {"audiobook_script": 1, "title": ..., "author": ..., "language": ..., "source": ...,
     "chapters": {"1": "Chapter 1: ...", ...}}
    {"chapter": 1, "kind": "narration", "speaker": null, "voice": "...", "text": "...",
     "span": [120, 188], "source": "book.txt", "paragraph": 3}
    {"chapter": 1, "kind": "quote", "speaker": "Nell", "voice": "...", "text": "...",
     "span": [189, 230], "source": "book.txt", "paragraph": 3, "how": "explicit",
     "confidence": 0.97, "emotion": "whisper"}

`how` says how the speaker was found (explicit, anaphoric, paragraph, continued, turn, model,
llm, or reviewed: set by a person on the review page); "unsure" marks a quote whose best guess
is `speaker` but which the narrator reads, since the analysis was not sure enough
(`confidence` is the speaker model's probability).

`span` is character offsets into `source` (the decoded text file, or an EPUB document's text).

The header also holds the cast: `"narrator"` (the narrator's voice) and `"cast"`, each speaking
character's voice (and speed, where set; gender, where the analysis knows it). A line takes
its voice from there: a quote its speaker's, narration and unsure quotes the narrator's. So
changing a line's `speaker` changes its voice, and changing a voice in the header changes every
line of that character; a line that sets `"voice"` (or `"speed"`) itself keeps it whatever its
speaker.

`say` is exactly what the engine is given for the line: `text` normalised for speech (numbers,
abbreviations, initials in the book's language) with the engine's emotion tag. Edit `say` to
change how a line is said; edit `text` and its `say` is made again from it (`say_of` marks the
text it was made from). A line without `say` is normalised when it is rendered.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from audiobook.errors import UserError
from audiobook.model import Segment, Span, name_key

FORMAT = 1
KINDS = ("narration", "quote")


@dataclass
class Script:
    title: str
    author: str | None
    language: str | None
    source: str
    chapters: dict[int, str]  # book chapter number -> title, for the chapters in the script
    segments: list[Segment] = field(default_factory=list)
    narrator: str | None = None  # the narrator's voice, when the script names it
    voices: dict[str, str] = field(default_factory=dict)  # speaker -> voice: the cast
    speeds: dict[str, float] = field(default_factory=dict)  # speaker -> speed, where set
    uncast: list[str] = field(default_factory=list)  # speakers of lines the cast lacks
    genders: dict[str, str] = field(default_factory=dict)  # speaker -> gender, where known

    def cast_voice(self, segment: Segment) -> str | None:
        """The voice the cast gives a line: its speaker's, or the narrator's."""
        speaker = segment.character_speaker
        return self.voices.get(speaker, self.narrator) if speaker else self.narrator

    def cast_speed(self, segment: Segment) -> float | None:
        speaker = segment.character_speaker
        return self.speeds.get(speaker) if speaker else None


def write_script(path: Path, script: Script) -> None:
    tmp = path.with_name(f".{path.name}.partial")
    header = {
        "audiobook_script": FORMAT,
        "title": script.title,
        "author": script.author,
        "language": script.language,
        "source": script.source,
        "chapters": {str(k): v for k, v in script.chapters.items()},
    }
    if script.narrator is not None:
        header["narrator"] = script.narrator
        header["cast"] = {
            name: {"voice": voice}
            | ({"speed": script.speeds[name]} if name in script.speeds else {})
            | ({"gender": script.genders[name]} if name in script.genders else {})
            for name, voice in sorted(script.voices.items())
        }
    with tmp.open("w", encoding="utf-8") as f:
        f.write(json.dumps(header, ensure_ascii=False) + "\n")
        for s in script.segments:
            row = {
                "chapter": s.chapter,
                "kind": s.kind,
                "speaker": s.speaker,
                "text": s.text,
                "span": [s.span.start, s.span.end],
                "source": s.span.source,
                "paragraph": s.paragraph,
            }
            if script.narrator is None or s.voice != script.cast_voice(s):
                row["voice"] = s.voice  # set on the line itself: it wins over the cast
            if s.kind == "quote" and s.how:
                row["how"] = s.how
            if s.confidence is not None:
                row["confidence"] = round(s.confidence, 3)
            if s.emotion:
                row["emotion"] = s.emotion
            if s.speed and (script.narrator is None or s.speed != script.cast_speed(s)):
                row["speed"] = s.speed
            if s.say is not None:
                row["say"] = s.say
                row["say_of"] = text_mark(s.text)
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)


def text_mark(text: str) -> str:
    """A short mark of the text a `say` was made from: a changed `text` makes it stale."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def read_script(path: Path) -> Script:
    if not path.is_file():
        raise UserError(f"no such script: {path}")
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines:
        raise UserError(f"{path}: the script is empty")
    header = _json(lines[0], path, 1)
    if header.get("audiobook_script") != FORMAT:
        raise UserError(f"{path}: line 1 is not an audiobook script header")
    try:
        chapters = {int(k): str(v) for k, v in header.get("chapters", {}).items()}
    except (ValueError, AttributeError):
        raise UserError(f"{path}: line 1: 'chapters' must map numbers to titles") from None
    script = Script(
        header.get("title") or path.stem,
        header.get("author"),
        header.get("language"),
        header.get("source") or "",
        chapters,
    )
    _read_cast(header, script, path)
    speaker_of = {name_key(n): n for n in script.voices}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        row = _json(line, path, number)
        segment = _segment(row, path, number, chapters)
        if script.narrator is not None:
            _voice_from_cast(segment, script, speaker_of)
        script.segments.append(segment)
    if not script.segments:
        raise UserError(f"{path}: the script has no segments")
    return script


def _read_cast(header: dict, script: Script, path: Path) -> None:
    narrator, cast = header.get("narrator"), header.get("cast") or {}
    if narrator is None:
        return  # a script from before the cast was in its header: voices are on its lines
    if not isinstance(narrator, str) or not isinstance(cast, dict):
        raise UserError(f"{path}: line 1: 'narrator' must be a voice id and 'cast' a table")
    script.narrator = narrator
    for name, entry in cast.items():
        voice = entry.get("voice") if isinstance(entry, dict) else None
        if not isinstance(voice, str):
            raise UserError(f'{path}: line 1: cast "{name}" needs a "voice"')
        script.voices[name] = voice
        if (speed := _speed(entry.get("speed"), f'{path}: line 1: cast "{name}"')) is not None:
            script.speeds[name] = speed
        if isinstance(entry.get("gender"), str):
            script.genders[name] = entry["gender"]


def _voice_from_cast(segment: Segment, script: Script, speaker_of: dict[str, str]) -> None:
    """A line without a voice of its own: its speaker's from the cast (matched whatever the
    case), the narrator's for narration, unsure quotes and speakers the cast lacks."""
    if segment.speaker:
        segment.speaker = speaker_of.get(name_key(segment.speaker), segment.speaker)
    speaker = segment.character_speaker
    if speaker and speaker not in script.voices and speaker not in script.uncast:
        script.uncast.append(speaker)
    if segment.voice is None:
        segment.voice = script.cast_voice(segment)
    if segment.speed is None:
        segment.speed = script.cast_speed(segment)


def _json(line: str, path: Path, number: int) -> dict:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as e:
        raise UserError(f"{path}: line {number} is not valid JSON ({e.msg})") from None
    if not isinstance(value, dict):
        raise UserError(f"{path}: line {number} must be a JSON object")
    return value


def _segment(row: dict, path: Path, number: int, chapters: dict[int, str]) -> Segment:
    where = f"{path}: line {number}"
    chapter = row.get("chapter")
    if not isinstance(chapter, int) or chapter not in chapters:
        raise UserError(f"{where}: 'chapter' must be one of the chapters in line 1")
    kind = row.get("kind")
    if kind not in KINDS:
        raise UserError(f"{where}: 'kind' must be 'narration' or 'quote'")
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise UserError(f"{where}: 'text' must be non-empty text")
    voice = row.get("voice")
    if voice is not None and not isinstance(voice, str):
        raise UserError(f"{where}: 'voice' must be a voice id or null")
    say = row.get("say")
    if say is not None and (not isinstance(say, str) or not say.strip()):
        raise UserError(f"{where}: 'say' must be non-empty text (or leave it out)")
    if say is not None and row.get("say_of") not in (None, text_mark(text)):
        say = None  # `text` was edited after `say` was made from it: made again from the text
    span = row.get("span") or [0, 0]
    if not (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span)):
        raise UserError(f"{where}: 'span' must be [start, end]")
    return Segment(
        chapter=chapter,
        kind=kind,
        text=text,
        span=Span(str(row.get("source") or ""), span[0], span[1]),
        speaker=row.get("speaker"),
        voice=voice,
        emotion=row.get("emotion"),
        paragraph=int(row.get("paragraph") or 0),
        speed=_speed(row.get("speed"), where),
        how=str(row.get("how") or ""),
        confidence=_confidence(row.get("confidence")),
        say=say,
    )


def _confidence(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _speed(value, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.25 <= value <= 4:
        raise UserError(f"{where}: 'speed' must be a number from 0.25 to 4")
    return float(value)
