"""The pipeline: reader -> casting and attribution -> director -> voices -> narrator -> mastering.

`analyze` makes the script (what `audiobook script` writes), `render` makes audio from a script
(what `audiobook render` does with an edited one), and `convert` is both. Every check that can
fail (provider, voices, output path, cast file) runs before any synthesis starts.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from audiobook.agents.attribution import Attribution, attribute
from audiobook.agents.attribution.parse import release_parser
from audiobook.agents.director import direct
from audiobook.agents.voices import Casting, cast_voices, load_cast_file
from audiobook.config import Settings
from audiobook.errors import UserError
from audiobook.ingest import read_book
from audiobook.llm import StructuredLLM
from audiobook.llm_analysis import ChapterRefiner, LLMReading
from audiobook.model import Book
from audiobook.plugins import Registry
from audiobook.providers import ProviderError, TTSProvider, VoiceNotFound
from audiobook.ready import Readiness, WaitingProvider
from audiobook.render.asr import SpeechCheck
from audiobook.render.export import write_chapter_files
from audiobook.render.job import Job, book_id
from audiobook.render.master import (
    ChapterMark,
    MasterSettings,
    assemble,
    chapter_rate,
    master_chapter,
)
from audiobook.render.narrator import (
    Clip,
    NarrationFailed,
    NarrationStats,
    Plan,
    narrate,
    plan_clips,
)
from audiobook.render.pool import EndpointPool
from audiobook.render.progress import Progress
from audiobook.render.qa import Pace
from audiobook.report import say
from audiobook.script import Script
from audiobook.selection import parse_chapters
from audiobook.text.language import language_name
from audiobook.text.normalize import language_code

# What an output name says about the format: an M4B file, or a folder of chapter files.
OUTPUT_SUFFIXES = {".m4b": "m4b", ".m4a": "m4b", ".mp4": "m4b", ".mp3": "mp3", ".opus": "opus",
                   ".ogg": "opus"}  # fmt: skip


@dataclass
class ConvertResult:
    output: Path
    chapters: list[ChapterMark]
    duration: float
    stats: NarrationStats
    wall_seconds: float
    job_dir: Path
    clips: int
    provider: str = ""


@dataclass
class Analysis:
    book: Book
    script: Script
    casting: Casting
    attribution: Attribution
    llm: LLMReading | None = None
    provider: TTSProvider | None = None


def make_llm(registry: Registry, settings: Settings, *, pull: bool = False) -> LLMReading | None:
    """The configured LLM, checked before any work starts; None for rule-based analysis."""
    name = settings.get("llm.provider")
    if not name or name == "none":
        return None
    concurrency = int(settings.get("llm.concurrency"))
    if concurrency < 1:
        raise UserError(f"llm.concurrency must be 1 or more, got {concurrency}")
    cls = registry.llm_class(name)
    options = settings.provider_settings("llm", name)
    if pull:
        if not any(option.name == "pull" for option in cls.options):
            raise UserError(f"--pull: the {name} provider does not download models itself")
        options["pull"] = True
    try:
        provider = cls(**options)
    except (TypeError, ProviderError) as e:
        raise UserError(f"{name}: {e}") from None
    try:
        provider.prepare(_pull_progress(name))
        health = Readiness(float(settings.get("llm.wait_ready")), say).health(provider)
    except ProviderError as e:
        if e.retryable:
            raise UserError(f"{e}; start it with: {provider.start_command()}") from None
        raise UserError(f"{name}: {e}" if name not in str(e) else str(e)) from None
    if not health.ok:
        raise UserError(health.detail if name in health.detail else f"{name}: {health.detail}")
    cache = settings.work_dir / "llm-cache"
    llm = StructuredLLM(provider, cache_dir=cache, max_in_flight=concurrency)
    return LLMReading(
        llm, required=bool(settings.get("llm.required")),
        ask_tagged=bool(settings.get("llm.ask_tagged")),
    )  # fmt: skip


def _pull_progress(name: str):
    shown = {"last": ""}

    def show(line: dict) -> None:
        total, done = line.get("total"), line.get("completed")
        text = line.get("status", "")
        if total and done is not None:
            text = f"{text} {done / total:4.0%} of {total / 1e9:.1f} GB"
        if text != shown["last"]:
            shown["last"] = text
            say(f"{name}: pulling model: {text}")

    return show


def make_tts(registry: Registry, settings: Settings, name: str | None = None) -> TTSProvider:
    name = name or settings.get("tts.provider")
    cls = registry.tts_class(name)
    options = settings.provider_settings("tts", name)
    urls = [u.strip() for u in str(options.get("base_url") or "").split(",") if u.strip()]
    try:
        if len(urls) > 1:  # several endpoints of one engine: used as one, least busy first
            provider: TTSProvider = EndpointPool([cls(**{**options, "base_url": u}) for u in urls])
        else:
            provider = cls(**options)
    except ProviderError as e:
        raise UserError(f"{name}: {e}") from None
    concurrency = int(settings.get("tts.concurrency") or 0)
    if concurrency > 0:
        provider.concurrency = concurrency
    wait = float(settings.get("tts.wait_ready"))
    if wait < 0:
        raise UserError(f"tts.wait_ready must be 0 or more seconds, got {wait:g}")
    return WaitingProvider(provider, Readiness(wait, say))  # type: ignore[return-value]


def provider_voices(provider: TTSProvider):
    try:
        return provider.voices()
    except ProviderError as e:
        raise UserError(f"{provider.name}: {e}") from None


def resolve_voice(provider: TTSProvider, voice: str | None) -> str:
    try:
        if not voice:
            return provider.default_voice()
        provider.check_voice(voice)
        return voice
    except VoiceNotFound as e:
        raise UserError(str(e)) from None
    except ProviderError as e:
        raise UserError(f"{provider.name}: {e}") from None


def output_target(
    input_path: Path, output: str | Path | None, fmt: str | None = None
) -> tuple[Path, str]:
    """Where the book goes and as what: an .m4b file, or for mp3 and opus the folder that
    takes one file per chapter (`-o book.mp3` is the folder `book`). The format is `fmt`,
    else what the output name ends in, else m4b."""
    path = Path(output) if output is not None else None
    suffix = path.suffix.lower() if path is not None and not path.is_dir() else ""
    if suffix in OUTPUT_SUFFIXES:
        named = OUTPUT_SUFFIXES[suffix]
        if fmt and fmt != named:
            raise UserError(
                f"--format {fmt} does not go with the output name '{path.name}' "
                f"(a {named} name); change one of them"
            )
        fmt = named
    fmt = fmt or "m4b"
    if fmt == "m4b":
        if path is None:
            return Path.cwd() / (input_path.stem + ".m4b"), fmt
        if path.is_dir():
            return path / (input_path.stem + ".m4b"), fmt
        if suffix not in OUTPUT_SUFFIXES:
            raise UserError(
                f"output must end in .m4b (or .m4a/.mp4), got '{path.name}'; for one file "
                "per chapter give a folder with --format mp3 or opus"
            )
        return output_folder(path), fmt
    folder = Path.cwd() / input_path.stem if path is None else path
    if suffix:
        folder = folder.with_suffix("")
    if folder.exists() and not folder.is_dir():
        raise UserError(f"cannot write the {fmt} chapters into {folder}: it is a file")
    return output_folder(folder / f"{folder.name}.m3u").parent, fmt


def output_folder(path: Path) -> Path:
    """`path`, with the folders it goes in made (`-o out/book.m4b` into a new folder)."""
    if path.parent.exists() and not path.parent.is_dir():
        raise UserError(f"cannot write into {path.parent}: it is a file, not a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create the output folder {path.parent}: {e.strerror}") from None
    return path


def check_language(book: Book, provider: TTSProvider) -> None:
    """A book no voice of the provider speaks is one clear line before any work, not hours
    of English rules and accent on French text."""
    if not book.language:
        return
    wanted = language_code(book.language)
    voices = provider_voices(provider)
    if not voices or any(v.language is None for v in voices):
        return  # a voice that does not say its language may speak it
    spoken = {language_code(v.language) for v in voices}
    if wanted in spoken:
        return
    name = language_name(wanted)
    raise UserError(
        f"{book.source.name} is in {name} ({book.language}), and no {provider.name} voice speaks "
        f"it (they speak {', '.join(sorted(spoken))}). Add a voice that does (Piper: a "
        f"voice folder in tts.piper.voices_dir; Kokoro: its {name} voices), choose another "
        "engine with --tts, or read it anyway with --voice VOICE."
    )


def narrator_voice(book: Book, provider: TTSProvider, voice: str | None) -> str:
    """The voice that reads the book: the one asked for, else the provider's default, which
    must speak the book's language."""
    if not voice:
        check_language(book, provider)
    return resolve_voice(provider, voice)


def analyze(
    input_path: Path,
    settings: Settings,
    provider: TTSProvider,
    *,
    chapters: str | None = None,
    keep_front_matter: bool = False,
    cast_file: Path | None = None,
    single_voice: bool = False,
    title: str | None = None,
    author: str | None = None,
    llm: LLMReading | None = None,
    refine_quotes: bool = True,
    show_progress: bool = False,
) -> Analysis:
    """Read, attribute and cast. With an LLM the LLM reads the cast before voices are chosen
    (a voice must not change mid-book) and, unless `refine_quotes` is off because the caller
    asks chapter by chapter while it synthesises, decides every quote no tag plainly names."""
    book = read_book(input_path, keep_front_matter=keep_front_matter)
    narrator = narrator_voice(book, provider, settings.get("tts.voice"))
    book.title = title or book.title
    book.author = author or book.author
    numbers = list(range(1, len(book.chapters) + 1))
    if chapters:
        numbers = [i + 1 for i in parse_chapters(chapters, len(book.chapters))]
    # Characters and speakers come from the whole book, whatever chapters are rendered.
    attribution = attribute(book.chapters, cache=settings.work_dir / book_id(input_path))
    release_parser()
    chosen = set(numbers)
    segments = [s for s in attribution.segments if s.chapter in chosen]
    weights = None
    if llm is not None:
        llm.read_cast(attribution, book.chapters, _cast_progress if show_progress else None)
        weights = llm.voice_weights()
        if refine_quotes:
            llm.read_quotes(segments, attribution)
    direct(attribution.segments)
    voices = provider_voices(provider)
    casting = cast_voices(
        attribution.cast.characters, attribution.segments, voices, narrator, weights
    )
    if cast_file:
        casting = load_cast_file(
            cast_file, casting, {v.id for v in voices}, attribution.cast.characters, say
        )
    if single_voice:
        casting = Casting(casting.narrator)
    casting.apply(segments)
    script = Script(
        book.title,
        book.author,
        book.language,
        str(book.source),
        {n: book.chapters[n - 1].title for n in numbers},
        segments,
        casting.narrator,
        {s.speaker: casting.voice_for(s.speaker) for s in segments if s.speaker} | casting.voices,
        dict(casting.speeds),
    )
    return Analysis(book, script, casting, attribution, llm, provider)


def _cast_progress(done: int, total: int) -> None:
    """The LLM's cast check runs before synthesis: say how far it has got."""
    line = f"Checking the cast with the LLM: {done}/{total} windows"
    if sys.stderr.isatty():
        say("\r" + line, newline=done == total)
    elif done == total or done % max(1, total // 10) == 0:
        say(line)


def check_script_voices(script: Script, provider: TTSProvider) -> None:
    valid = {v.id for v in provider_voices(provider)}
    for segment in script.segments:
        if segment.voice and segment.voice not in valid:
            where = f'chapter {segment.chapter}: "{segment.text[:40]}"'
            raise UserError(f"{provider.name} has no voice '{segment.voice}' ({where})")


def render(
    script: Script,
    book: Book,
    out: Path,
    settings: Settings,
    provider: TTSProvider,
    work_key: Path,
    *,
    fmt: str = "m4b",
    show_progress: bool = True,
    prepare: Callable[[int], None] | None = None,
) -> ConvertResult:
    """Synthesise the script chapter by chapter and master it. `prepare(number)` is called
    before each chapter is planned (the LLM refines the next chapter meanwhile)."""
    started = time.monotonic()
    health = Readiness(float(settings.get("tts.wait_ready")), say).health(provider)
    if not health.ok:  # before any work: a server down is one line, not a failed clip
        raise UserError(health.detail if provider.name in health.detail
                        else f"{provider.name}: {health.detail}")  # fmt: skip
    narrator = resolve_voice(provider, settings.get("tts.voice"))
    check_script_voices(script, provider)
    speed = float(settings.get("tts.speed"))
    if not 0.25 <= speed <= 4.0:
        raise UserError(f"tts.speed must be between 0.25 and 4, got {speed}")
    pauses = (
        float(settings.get("output.paragraph_pause")),
        float(settings.get("output.chapter_pause")),
    )
    numbers = sorted(script.chapters)

    def plan_chapter(index: int, number: int) -> list[Clip]:
        chapter = Script(
            script.title,
            script.author,
            script.language,
            script.source,
            {number: script.chapters[number]},
            [s for s in script.segments if s.chapter == number],
        )
        clips = plan_clips(chapter, provider, narrator, speed, *pauses).clips
        for clip in clips:
            clip.chapter = index
        return clips

    planned = [plan_chapter(index, number) for index, number in enumerate(numbers)]
    if not any(planned):
        raise UserError("nothing to read: the chosen chapters have no text")
    plan = Plan([script.chapters[n] for n in numbers], [])
    job = Job(settings.work_dir / book_id(work_key))
    chars = [sum(len(c.text) for c in clips) for clips in planned]
    progress = Progress(plan.titles, chars, enabled=show_progress)
    by_key: dict[str, list] = defaultdict(list)
    waiting: dict[int, set[str]] = {}
    master_settings = MasterSettings(
        settings.get("output.bitrate"), float(settings.get("output.loudness")), fmt
    )
    mastering = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mastering")
    encoded: dict[int, Future] = {}
    rate: list[int] = []
    stats = NarrationStats()
    pace = Pace()  # each voice's pace, learnt as clips are accepted: clip QA's yardstick
    ear = SpeechCheck() if settings.get("tts.qa") == "asr" else None
    if ear is not None:
        ear.ready()  # a missing extra stops the run before any synthesis

    def chapter_done(index: int) -> None:
        # Master a chapter as soon as its clips exist, while later ones are synthesised.
        if index not in encoded:
            if not rate:
                rate.append(chapter_rate(plan, job, index))
            encoded[index] = mastering.submit(
                master_chapter, plan, job, index, rate[0], master_settings
            )

    credited: set[int] = set()
    made_this_run: set[str] = set()

    def on_clip(clip, reused: bool) -> None:
        # A text repeated in the book is one clip, reported once: count every place it is used.
        for twin in by_key[clip.key]:
            if id(twin) in credited:
                continue
            credited.add(id(twin))
            progress.update(twin.chapter, len(twin.text), reused)
            keys = waiting[twin.chapter]
            keys.discard(clip.key)
            if not keys:
                chapter_done(twin.chapter)

    try:
        for index, number in enumerate(numbers):
            clips = planned[index]
            if prepare is not None:
                prepare(number)
                clips = plan_chapter(index, number)  # the LLM may have changed speakers
            if not clips:
                continue
            for clip in clips:
                by_key[clip.key].append(clip)
            plan.clips.extend(clips)
            waiting[index] = {c.key for c in clips}
            try:
                stats.add(
                    narrate(
                        Plan(plan.titles, clips),
                        provider,
                        job,
                        on_clip=on_clip,
                        done=made_this_run,
                        pace=pace,
                        ear=ear,
                    )  # fmt: skip
                )
            except NarrationFailed as e:
                progress.finish()
                s = e.stats
                where = f"chapter {index + 1} ('{plan.titles[index][:40]}')"
                raise UserError(
                    f'{provider.name} failed in {where} on "{e.clip.text[:50]}": {e.cause}. '
                    f"{stats.made + stats.reused + s.made + s.reused} clips are saved; run the "
                    "same command again to resume"
                ) from None
        progress.finish()
        if show_progress:
            what = "the M4B" if fmt == "m4b" else f"the {fmt} files"
            say(f"Mastering: finishing the last chapters and writing {what} ...")
        chapters = sorted(waiting)
        for index in chapters:
            chapter_done(index)
        parts = [encoded[i].result() for i in chapters]
    finally:
        progress.finish()
        mastering.shutdown(wait=True, cancel_futures=True)
    if fmt == "m4b":
        marks, duration = assemble(parts, plan.titles, book, job, out)
    else:
        marks, duration = write_chapter_files(parts, plan.titles, book, out)
    return ConvertResult(
        out,
        marks,
        duration,
        stats,
        time.monotonic() - started,
        job.root,
        len(plan.clips),
        provider.name,
    )


def convert(
    input_path: Path,
    output: str | Path | None,
    settings: Settings,
    registry: Registry,
    *,
    chapters: str | None = None,
    keep_front_matter: bool = False,
    title: str | None = None,
    author: str | None = None,
    cast_file: Path | None = None,
    single_voice: bool = False,
    show_progress: bool = True,
    pull: bool = False,
) -> tuple[ConvertResult, Analysis]:
    out, fmt = output_target(input_path, output, settings.get("output.format"))
    provider = make_tts(registry, settings)
    llm = make_llm(registry, settings, pull=pull)
    # With an LLM, analysis by rules comes first (it is quick); the LLM then refines chapter
    # N+1 while chapter N is synthesised.
    analysis = analyze(
        input_path,
        settings,
        provider,
        chapters=chapters,
        keep_front_matter=keep_front_matter,
        cast_file=cast_file,
        single_voice=single_voice,
        title=title,
        author=author,
        llm=llm,
        refine_quotes=False,
        show_progress=show_progress,
    )
    refiner = None
    if llm is not None:
        refiner = ChapterRefiner(llm, analysis.attribution, analysis.script, analysis.casting)
    try:
        result = render(
            analysis.script,
            analysis.book,
            out,
            settings,
            provider,
            input_path,
            fmt=fmt,
            show_progress=show_progress,
            prepare=refiner.wait if refiner else None,
        )
    finally:
        if refiner is not None:
            refiner.stop.set()
    return result, analysis


def book_for_script(script: Script) -> Book:
    """Tags and cover for rendering a script: from its header, the cover from its source."""
    book = Book(script.title, script.author, script.language, [], Path(script.source))
    source = Path(script.source)
    if source.is_file() and source.suffix.lower() == ".epub":
        try:
            original = read_book(source)
            book.cover, book.cover_type = original.cover, original.cover_type
        except UserError:
            pass
    return book
