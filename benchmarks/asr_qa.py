"""What the ear check (`--qa asr`) costs and catches, with the embedded Piper voice.

    python benchmarks/asr_qa.py [BOOK] [--clips N]

Synthesises the first N clips of the book as a run would (normalised, chunked), transcribes
each with Whisper tiny, and prints in one run: seconds of transcription per hour of audio (the
cost), the share of good clips it would remake (false alarms), and the share it catches of the
same clips broken on purpose: said three times, cut to half, or replaced by another clip.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from audiobook.ingest import read_book
from audiobook.plugins import load_registry
from audiobook.providers import Audio
from audiobook.render.asr import SpeechCheck, compare
from audiobook.text.chunk import chunk_text, is_speakable
from audiobook.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]


def texts(book: Path, count: int, max_chars: int) -> list[str]:
    found: list[str] = []
    for chapter in read_book(book).chapters:
        for paragraph in chapter.paragraphs:
            for chunk in chunk_text(normalize(paragraph.text, "en"), max_chars):
                if is_speakable(chunk) and len(chunk.split()) >= 5:
                    found.append(chunk)
                if len(found) >= count:
                    return found
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", nargs="?", type=Path,
                        default=ROOT / "examples" / "the-clockmakers-apprentice.txt")  # fmt: skip
    parser.add_argument("--clips", type=int, default=40)
    args = parser.parse_args(argv)
    piper = load_registry().tts_class("piper")()
    voice = piper.default_voice()
    ear = SpeechCheck()
    ear.ready()
    clips = [(t, piper.synthesize(t, voice)) for t in texts(args.book, args.clips, 400)]
    audio_seconds = sum(a.duration for _, a in clips)
    started = time.perf_counter()
    heard = [ear.heard(a) for _, a in clips]
    asr_seconds = time.perf_counter() - started
    false_alarms = sum(compare(t, h) is not None for (t, _), h in zip(clips, heard, strict=True))

    def half(a: Audio, _: int) -> Audio:
        return Audio(pcm=a.pcm[: len(a.pcm) // 4 * 2], sample_rate=a.sample_rate)

    broken = {
        "said three times": lambda a, _: Audio(pcm=a.pcm * 3, sample_rate=a.sample_rate),
        "cut to half": half,
        "another clip": lambda a, i: clips[(i + 1) % len(clips)][1],
    }
    print(f"{len(clips)} clips, {audio_seconds / 60:.1f} min of audio; transcription "
          f"{asr_seconds:.1f} s: {asr_seconds / audio_seconds * 3600 / 60:.1f} min per hour of "
          f"audio (real-time factor {asr_seconds / audio_seconds:.3f})")  # fmt: skip
    print(f"good clips it would remake: {false_alarms} of {len(clips)}")
    for name, breaking in broken.items():
        caught = sum(
            compare(t, ear.heard(breaking(a, i))) is not None for i, (t, a) in enumerate(clips)
        )
        print(f"{name}: caught {caught} of {len(clips)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
