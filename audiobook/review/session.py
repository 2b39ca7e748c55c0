"""A review session: the script file on disk, changed one edit at a time and written back at
once, so the page never holds the only copy of an edit and the command line sees the same state.

The script (its header holds the cast) is the one file edited. Each edit is applied under a lock
and the whole file is rewritten atomically; an edit made to the file by hand while the page is
open is picked up on the next request, since the file is read again when it changes on disk.
"""

from __future__ import annotations

import hashlib
import threading
import wave
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from audiobook.config import Settings
from audiobook.errors import UserError
from audiobook.model import UNSURE, Segment
from audiobook.pipeline.backends import provider_voices, resolve_voice
from audiobook.providers import TTSProvider, Voice
from audiobook.render.job import Job, book_id
from audiobook.render.narrator import CHUNK_PAUSE, NarrationFailed, line_clips, narrate
from audiobook.render.plan import Plan
from audiobook.script import Script, read_script, write_script

REVIEWED = "reviewed"  # the `how` of a quote whose speaker a person chose
SAMPLE_CHARS = (40, 220)  # a sample line long enough to judge a voice, short enough to wait for


@dataclass(frozen=True)
class CastEntry:
    name: str
    lines: int
    unsure: int
    gender: str | None
    voice: str
    speed: float | None


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


class ReviewSession:
    """The script being reviewed, the TTS provider that voices it, and its job folder."""

    def __init__(self, script_path: Path, settings: Settings, provider: TTSProvider) -> None:
        self.path = script_path
        self.settings = settings
        self.provider = provider
        self.lock = threading.RLock()
        self.touched: set[int] = set()  # chapters changed on the page
        self.voices: list[Voice] = provider_voices(provider)
        self.voice_ids = {v.id for v in self.voices}
        self._load()
        if self._script.narrator is None:
            raise UserError(
                f"{script_path}: this script has no cast in its header (it is older than the "
                "review page); make it again with `audiobook script`"
            )
        self.speed = float(settings.get("tts.speed"))
        source = Path(self._script.source)
        self.work_key = source if source.is_file() else script_path
        self.job = Job(settings.work_dir / book_id(self.work_key))

    # -- the file ------------------------------------------------------------------------------

    def _load(self) -> None:
        self._script = read_script(self.path)
        self._stamp = _stamp(self.path)

    @property
    def script(self) -> Script:
        """The script as the file holds it now (read again if it changed on disk)."""
        with self.lock:
            if _stamp(self.path) != self._stamp:
                self._load()
            return self._script

    def _save(self) -> None:
        try:
            write_script(self.path, self._script)
        except OSError as e:
            self._load()  # the page shows what the file holds, not an edit it could not keep
            raise UserError(f"cannot save {self.path}: {e.strerror}; edit not kept") from None
        self._stamp = _stamp(self.path)

    def segment(self, index: int) -> Segment:
        segments = self.script.segments
        if not 0 <= index < len(segments):
            raise KeyError(index)
        return segments[index]

    # -- what the page shows -------------------------------------------------------------------

    def cast(self) -> list[CastEntry]:
        """Every speaking character, most lines first: the cast and any speaker it lacks."""
        script = self.script
        lines = Counter(s.speaker for s in script.segments if s.kind == "quote" and s.speaker)
        unsure = Counter(
            s.speaker for s in script.segments if s.kind == "quote" and s.how == UNSURE
        )
        names = list(dict.fromkeys([*script.voices, *lines]))
        names.sort(key=lambda n: (-lines[n], n))
        return [
            CastEntry(n, lines[n], unsure[n], script.genders.get(n),
                      script.voices.get(n, script.narrator), script.speeds.get(n))
            for n in names
        ]  # fmt: skip

    def chapter_lines(self, number: int) -> list[tuple[int, Segment]]:
        script = self.script
        if number not in script.chapters:
            raise KeyError(number)
        return [(i, s) for i, s in enumerate(script.segments) if s.chapter == number]

    def own_voice(self, segment: Segment) -> bool:
        """Whether the line sets a voice of its own, whatever its speaker's."""
        return segment.voice != self.script.cast_voice(segment)

    # -- edits ---------------------------------------------------------------------------------

    def set_speaker(self, index: int, name: str | None) -> Segment:
        """A person's choice of speaker: a name (from the cast or new), or none for the
        narrator. A new name joins the cast with a voice no one else has, where one is left."""
        with self.lock:
            script = self.script
            segment = self.segment(index)
            if segment.kind != "quote":
                raise UserError("only a quote has a speaker; narration is the narrator's")
            name = (name or "").strip() or None
            own_voice, own_speed = (
                self.own_voice(segment),
                segment.speed != script.cast_speed(segment),
            )
            if name is not None and name not in script.voices:
                script.voices[name] = self._free_voice()
            segment.speaker = name
            segment.how = REVIEWED
            segment.confidence = None
            if not own_voice:
                segment.voice = script.cast_voice(segment)
            if not own_speed:
                segment.speed = script.cast_speed(segment)
            self._changed(segment)
            return segment

    def set_line_voice(self, index: int, voice: str | None) -> Segment:
        """A voice for one line only; none gives it back its speaker's."""
        with self.lock:
            segment = self.segment(index)
            segment.voice = self._checked_voice(voice) if voice else None
            if segment.voice is None:
                segment.voice = self.script.cast_voice(segment)
            self._changed(segment)
            return segment

    def set_say(self, index: int, say: str | None) -> Segment:
        """Exactly what the engine is given for the line; empty makes it again from the text."""
        with self.lock:
            segment = self.segment(index)
            segment.say = (say or "").strip() or None
            self._changed(segment)
            return segment

    def set_cast_voice(self, name: str, voice: str) -> int:
        """A character's voice for the whole book; the number of lines it changes."""
        with self.lock:
            script = self.script
            voice = self._checked_voice(voice)
            old = script.voices.get(name)
            if old is None and not any(s.speaker == name for s in script.segments):
                raise KeyError(name)
            changed = 0
            for segment in script.segments:
                if segment.character_speaker == name and segment.voice == old:
                    segment.voice = voice
                    self.touched.add(segment.chapter)
                    changed += 1
            script.voices[name] = voice
            self._save()
            return changed

    def set_cast_speed(self, name: str, speed: float | None) -> None:
        with self.lock:
            script = self.script
            if name not in script.voices:
                raise KeyError(name)
            if speed is not None and not 0.25 <= speed <= 4:
                raise UserError("speed must be a number from 0.25 to 4")
            old = script.speeds.get(name)
            for segment in script.segments:
                if segment.character_speaker == name and segment.speed == old:
                    segment.speed = speed
                    self.touched.add(segment.chapter)
            if speed is None:
                script.speeds.pop(name, None)
            else:
                script.speeds[name] = speed
            self._save()

    def _changed(self, segment: Segment) -> None:
        self.touched.add(segment.chapter)
        self._save()

    def _checked_voice(self, voice: str) -> str:
        if voice not in self.voice_ids:
            raise UserError(f"{self.provider.name} has no voice '{voice}'")
        return voice

    def _free_voice(self) -> str:
        script = self.script
        used = {*script.voices.values(), script.narrator}
        for voice in self.voices:
            if voice.id not in used:
                return voice.id
        return script.narrator or resolve_voice(self.provider, None)

    # -- audio ---------------------------------------------------------------------------------

    def line_audio(self, index: int) -> str:
        """The key of the line's audio in the job folder, made now if no run has made it."""
        segment = self.segment(index)
        return self._audio(segment)

    def sample(self, name: str) -> str:
        """A character's voice saying one of their own lines: the key of its audio."""
        script = self.script
        if name not in script.voices:
            raise KeyError(name)
        theirs = [s for s in script.segments if s.character_speaker == name] or [
            s for s in script.segments if s.speaker == name
        ]
        if not theirs:
            raise UserError(f"{name} has no line to sample")
        low, high = SAMPLE_CHARS
        fitting = [s for s in theirs if low <= len(s.text) <= high]
        line = fitting[0] if fitting else min(theirs, key=lambda s: abs(len(s.text) - low))
        voiced = Segment(line.chapter, line.kind, line.text, line.span, name,
                         script.voices[name], line.emotion, speed=script.speeds.get(name),
                         say=line.say)  # fmt: skip
        return self._audio(voiced)

    def _audio(self, segment: Segment) -> str:
        script = self.script
        clips = line_clips(segment, self.provider, script.narrator, self.speed, script.language)
        if not clips:
            raise UserError("this line has nothing to say aloud")
        try:
            narrate(Plan([""], clips), self.provider, self.job)
        except NarrationFailed as e:
            raise UserError(f"{self.provider.name} failed on this line: {e.cause}") from None
        if len(clips) == 1:
            return clips[0].key
        return self._joined([c.key for c in clips])

    def _joined(self, keys: list[str]) -> str:
        """The chunks of a long line as one file, kept in the job folder beside them."""
        key = hashlib.sha256(("joined:" + ",".join(keys)).encode()).hexdigest()
        if self.job.has_clip(key):
            return key
        pcm, rate = b"", 0
        for part in keys:
            with wave.open(str(self.job.clip_path(part)), "rb") as w:
                rate = rate or w.getframerate()
                if pcm:
                    pcm += b"\0\0" * int(rate * CHUNK_PAUSE)
                pcm += w.readframes(w.getnframes())
        self.job.save_clip(key, pcm, rate)
        return key

    def clip_file(self, key: str) -> Path | None:
        """The audio file of a key, only inside this job's clip folder."""
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            return None
        path = self.job.clip_path(key)
        return path if path.is_file() else None
