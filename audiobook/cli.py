"""The `audiobook` command: parse, call the pipeline, report. User errors are one line."""

from __future__ import annotations

import difflib
import functools
import json
import sys
from pathlib import Path

import click

from audiobook import __version__
from audiobook.config import CORE_OPTIONS, env_warning, load_settings, mask, parse_assignments
from audiobook.errors import UserError
from audiobook.model import UNSURE
from audiobook.plugins import load_registry


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"audiobook: error: {message}", err=True)
    sys.exit(code)


def user_errors(func):
    """Turn UserError and Ctrl-C into one line and a non-zero exit, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except UserError as e:
            _fail(str(e), e.exit_code)
        except KeyboardInterrupt:
            click.echo("", err=True)
            _fail("interrupted; clips made so far are kept: run the same command to resume", 130)

    return wrapper


config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="TOML settings file (default: ./audiobook.toml, then the user config folder).",
)
set_option = click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="KEY=VALUE",
    help="Set any setting, e.g. --set tts.piper.length_scale=1.1 (repeatable).",
)


def _settings(config_file, overrides):
    registry = load_registry()
    settings = load_settings(registry, config_file, overrides)
    for var in settings.unknown_env:
        click.echo(env_warning(var, registry), err=True)
    return registry, settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="audiobook")
def main() -> None:
    """Turn an ebook into a finished audiobook (.m4b with chapters, tags and cover).

    \b
    Quick start (embedded Piper voice, nothing else to run):
      audiobook convert book.epub
      audiobook convert story.txt --chapters 1-3 -o story.m4b
    \b
    Review before rendering:  audiobook inspect / cast / script, then render
    With servers:             audiobook compose --llm ollama --tts kokoro -o compose.yaml
                              audiobook convert book.epub --llm ollama --tts kokoro
    See what is installed:    audiobook plugins / voices / doctor
    See the settings:         audiobook config
    """


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["m4b", "mp3", "opus"]),
    help="m4b: one file with chapter marks (the default). mp3, opus: one tagged file per "
    "chapter and an .m3u playlist, for players without chapters. Default: from -o's name.",
)


def book_options(func):
    """Options shared by every command that reads a book and casts it."""
    for option in reversed(
        [
            click.option(
                "--chapters",
                metavar="LIST",
                help="Chapters to include, 1-based: e.g. 1-3,5 (default: all).",
            ),
            click.option("--tts", help="TTS provider (default: piper, the embedded engine)."),
            click.option(
                "--llm",
                help="LLM provider that reads the book: it builds the cast (names, "
                "genders) and decides who speaks every line no speech tag plainly names "
                "(default: none, rules and a fitted model only); see `audiobook plugins`.",
            ),
            click.option(
                "--pull", is_flag=True, help="Let the LLM server download a missing model."
            ),
            click.option(
                "--llm-required",
                is_flag=True,
                default=None,
                help="Fail when LLM requests fail (cut prompts, server errors, unusable "
                "answers) instead of keeping the rules' answers for them.",
            ),
            click.option("--voice", help="Narrator voice id; see `audiobook voices`."),
            click.option("--speed", type=float, help="Speaking rate, 1.0 is the voice's own."),
            click.option(
                "--qa",
                type=click.Choice(["length", "asr"]),
                help="Clip checks: length (default; each voice's own pace) or asr (also "
                "transcribe every clip with Whisper tiny and remake those cut, repeated or "
                "garbled; needs the asr extra).",
            ),
            click.option(
                "--cast",
                "cast_file",
                type=click.Path(dir_okay=False, path_type=Path),
                help="cast.toml with a voice (and speed) per character; see `audiobook cast`.",
            ),
            click.option(
                "--single-voice",
                is_flag=True,
                help="The narrator reads every line (no character voices).",
            ),
            click.option(
                "--keep-front-matter",
                is_flag=True,
                help="Also read what is left out by default: contents, title page, licence, "
                "credits, back matter (acknowledgements, about the author) and footnotes.",
            ),
            click.option("--title", help="Override the book title tag."),
            click.option("--author", help="Override the author tag."),
            config_option,
            set_option,
        ]
    ):
        func = option(func)
    return func


def _book_settings(opts: dict, work_dir=None):
    overrides = parse_assignments(opts["assignments"])
    flags = {
        "llm.provider": opts.get("llm"),
        "llm.required": opts.get("llm_required"),
        "tts.provider": opts.get("tts"),
        "tts.voice": opts.get("voice"),
        "tts.speed": opts.get("speed"),
        "tts.qa": opts.get("qa"),
        "output.work_dir": work_dir,
        "output.format": opts.get("fmt"),
    }
    overrides.update({k: v for k, v in flags.items() if v is not None})
    return _settings(opts["config_file"], overrides)


def _check_cast_file(opts: dict) -> None:
    cast_file = opts.get("cast_file")
    if cast_file is not None and not cast_file.is_file():
        raise UserError(f"cast file not found: {cast_file}")


def _analysis(input_file, opts: dict):
    from audiobook.pipeline import BookOptions, analyze, make_llm, make_tts

    _check_cast_file(opts)
    registry, settings = _book_settings(opts)
    provider = make_tts(registry, settings)
    llm = make_llm(registry, settings, pull=opts["pull"])
    return analyze(input_file, settings, provider, BookOptions.of(opts), llm=llm)


def _llm_notes(analysis) -> None:
    """The LLM's share of the run: requests, tokens, time; and a warning per failing stage."""
    if analysis is None or analysis.llm is None:
        return
    words = sum(c.words for c in analysis.book.chapters)
    click.echo(analysis.llm.summary(words))
    for line in analysis.llm.problems():
        click.echo(f"warning: LLM: {line}", err=True)


@main.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Output .m4b file or folder (default: ./INPUT-NAME.m4b); for mp3 or opus, the folder "
    "that takes one file per chapter (-o book.mp3 writes the folder book/).",
)
@format_option
@book_options
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where clips are kept so an interrupted run resumes.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@user_errors
def convert(input_file, output, work_dir, quiet, **opts):
    """Convert INPUT (.epub, .txt, .md, .html, .pdf) into an .m4b audiobook.

    Finds the characters, decides who speaks each line, gives each main character a voice
    of the TTS provider, and masters one .m4b with chapter marks, tags and cover.

    Clips are cached in a job folder as they are made: if the run is interrupted (Ctrl-C,
    a crash, a killed process), the same command resumes without synthesising anything twice.
    """
    from audiobook.pipeline import BookOptions
    from audiobook.pipeline import convert as run_convert

    _check_cast_file(opts)
    registry, settings = _book_settings(opts, work_dir)
    result, analysis = run_convert(
        input_file,
        output,
        settings,
        registry,
        BookOptions.of(opts),
        show_progress=not quiet,
        pull=opts["pull"],
    )
    _summary(result, analysis)


def _summary(result, analysis=None) -> None:
    casting = analysis.casting if analysis is not None else None
    s = result.stats
    hours = result.duration / 3600
    rtf = result.wall_seconds / result.duration if result.duration else 0
    n = len(result.chapters)
    click.echo(
        f"Wrote {result.output} ({n} chapter{'s' if n != 1 else ''}, "
        f"{_clock(result.duration)} of audio)"
    )
    if casting is not None and casting.voices:
        people, voices = len(casting.voices), len(set(casting.voices.values()))
        click.echo(
            f"Voices: narrator {casting.narrator}; {people} character{'s' if people != 1 else ''}"
            f", {voices} character voice{'s' if voices != 1 else ''}"
        )
    click.echo(
        f"Clips ({result.provider}): {s.made} synthesised, {s.reused} reused from an earlier run, "
        f"{s.retried} retried. "
        f"Wall time {_clock(result.wall_seconds)} for {hours:.2f} h of audio "
        f"(real-time factor {rtf:.3f}); engine time {s.synth_seconds:.1f} s."
    )
    _llm_notes(analysis)
    click.echo(
        f"Clips are kept in {result.job_dir} for re-renders; `audiobook jobs clean` frees "
        "the space."
    )


@main.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Script file to write (default: ./INPUT-NAME.jsonl).",
)
@book_options
@user_errors
def script(input_file, output, **opts):
    """Write the script of INPUT: the cast, then one line per segment (speaker, text, span).

    Review or edit it, then `audiobook render` it: fix a line's speaker (its voice follows),
    change a character's voice in the cast on line 1, give one line a "voice" of its own, or
    change "say" (exactly what the engine is given: the text as it will be spoken).
    """
    from audiobook.pipeline import output_folder

    out = output_folder(output or Path.cwd() / (input_file.stem + ".jsonl"))
    analysis = _write_script(input_file, out, opts)
    quotes = [x for x in analysis.script.segments if x.kind == "quote"]
    named = sum(1 for x in quotes if x.speaker)
    unsure = sum(1 for x in quotes if x.how == UNSURE)
    click.echo(
        f"Wrote {out}: {len(analysis.script.segments)} segments, {len(quotes)} quotes "
        f"({named} with a speaker, {unsure} of them unsure and read by the narrator), "
        f"{len(analysis.casting.voices)} voiced characters"
    )
    _llm_notes(analysis)


def _write_script(input_file: Path, out: Path, opts: dict):
    """Analyse the book and write its script, each line's `say` filled in for review."""
    from audiobook.render.narrator import spoken_text
    from audiobook.script import write_script

    analysis = _analysis(input_file, opts)
    for segment in analysis.script.segments:
        segment.say = spoken_text(segment, analysis.provider, analysis.script.language)
    try:
        write_script(out, analysis.script)
    except OSError as e:
        raise UserError(f"cannot write the script {out}: {e.strerror}") from None
    return analysis


@main.command()
@click.argument("input_file", metavar="INPUT|SCRIPT", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .m4b the page's render button writes (default: beside the script).",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, show_default=True,
    help="Port to listen on (0: any free port).",
)  # fmt: skip
@click.option(
    "--host", default="127.0.0.1", show_default=True,
    help="Address to listen on. Anything but a loopback address opens the page (and your "
    "book) to the network: the token in the address is then all that guards it.",
)  # fmt: skip
@click.option("--no-browser", is_flag=True, help="Print the address; do not open a browser.")
@book_options
@user_errors
def review(input_file, output, port, host, no_browser, **opts):
    """Review a book's script in the browser: hear the cast, fix speakers, re-render.

    Given a book, analyses it first and writes its script beside it (BOOK.jsonl; an existing
    one is opened as it is, edits and all). Given a script from `audiobook script`, opens it.
    Every change on the page is written to the script at once, so `audiobook render` sees it
    too and closing the page loses nothing. The page lives on 127.0.0.1 at an address with a
    random token; stop it with Ctrl-C.
    """
    from audiobook.pipeline import make_tts, output_folder
    from audiobook.review import is_loopback, serve, web_stack
    from audiobook.review.session import ReviewSession

    web_stack()
    if not input_file.is_file():
        raise UserError(f"no such file: {input_file}")
    if input_file.suffix.lower() == ".jsonl":
        script_path = input_file
    else:
        script_path = input_file.with_suffix(".jsonl")
        if script_path.is_file():
            click.echo(f"Opening the existing script {script_path} (delete it to analyse the "
                       "book again)")  # fmt: skip
        else:
            _write_script(input_file, output_folder(script_path), opts)
            click.echo(f"Wrote {script_path}")
    if not is_loopback(host):
        click.echo(f"warning: listening on {host}: anyone who can reach this machine and has "
                   "the address's token can edit this script", err=True)  # fmt: skip
    registry, settings = _book_settings(opts)
    session = ReviewSession(script_path, settings, make_tts(registry, settings))
    out = output_folder(output or script_path.with_suffix(".m4b"))
    serve(session, out, host, port, not no_browser,
          lambda url: click.echo(f"Review page: {url}\nStop it with Ctrl-C."))  # fmt: skip


@main.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Cast file to write (default: ./cast.toml).",
)
@book_options
@user_errors
def cast(input_file, output, **opts):
    """Propose a cast for INPUT: a voice for the narrator and each speaking character.

    Edit the file, then pass it to convert or script with --cast.
    """
    from audiobook.agents.voices import write_cast_file
    from audiobook.pipeline import output_folder

    out = output_folder(output or Path.cwd() / "cast.toml")
    analysis = _analysis(input_file, opts)
    segments = analysis.attribution.segments
    write_cast_file(out, analysis.casting, analysis.attribution.cast.characters, segments)
    click.echo(f"Wrote {out}: narrator and {len(analysis.casting.voices)} characters")


@main.command("render")
@click.argument("script_file", metavar="SCRIPT", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Output .m4b file, or folder for mp3/opus (default: ./SCRIPT-NAME.m4b).",
)
@format_option
@click.option("--tts", help="TTS provider (default: the configured one).")
@click.option("--voice", help="Narrator voice id (chapter titles and unvoiced lines).")
@click.option("--speed", type=float, help="Speaking rate, 1.0 is the voice's own.")
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where clips are kept so an interrupted run resumes.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@config_option
@set_option
@user_errors
def render_command(script_file, output, work_dir, quiet, **opts):
    """Render a (possibly edited) script made by `audiobook script` into an .m4b.

    Only lines whose text, voice or speed changed (a new speaker means a new voice) are
    synthesised again.
    """
    from audiobook.pipeline import book_for_script, make_tts, output_target, render
    from audiobook.script import read_script

    script_data = read_script(script_file)
    for speaker in script_data.uncast:
        close = difflib.get_close_matches(speaker, list(script_data.voices), n=2, cutoff=0.6)
        click.echo(
            f"warning: {script_file}: '{speaker}' speaks but is not in the cast of line 1; "
            "the narrator reads those lines"
            + (f" (did you mean {' or '.join(close)}?)" if close else "")
            + f'. Add "{speaker}": {{"voice": "..."}} to "cast" to give them a voice.',
            err=True,
        )
    registry, settings = _book_settings(opts, work_dir)
    out, fmt = output_target(script_file, output, settings.get("output.format"))
    provider = make_tts(registry, settings)
    source = Path(script_data.source)
    key = source if source.is_file() else script_file
    result = render(
        script_data,
        book_for_script(script_data),
        out,
        settings,
        provider,
        key,
        fmt=fmt,
        show_progress=not quiet,
    )
    _summary(result)


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _reading_voice(book, registry, settings) -> str:
    """The narrator voice a conversion would use, or why there is none (never an error here:
    inspect shows the book even when no voice can read it)."""
    from audiobook.pipeline import make_tts, narrator_voice

    try:
        provider = make_tts(registry, settings)
        return f"{provider.name} {narrator_voice(book, provider, settings.get('tts.voice'))}"
    except UserError as e:
        return f"none ({e})"


SPOKEN_CHARS_PER_SECOND = 15.0  # measured on Piper at speed 1, pauses included


@main.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "--keep-front-matter",
    is_flag=True,
    help="Show the book as read with front and back matter, contents and footnotes.",
)
@click.option("--tts", help="TTS provider whose voice would read it (default: the configured one).")
@click.option("--voice", help="Narrator voice id.")
@config_option
@set_option
@user_errors
def inspect(input_file, keep_front_matter, tts, voice, config_file, assignments):
    """Show what the reader finds in INPUT: metadata, language and the voice that would read
    it, chapters, how many quotes and in which marks, what it skips."""
    from audiobook.ingest import read_book

    book = read_book(input_file, keep_front_matter=keep_front_matter)
    overrides = parse_assignments(assignments)
    overrides.update({k: v for k, v in {"tts.provider": tts, "tts.voice": voice}.items() if v})
    reader = _reading_voice(book, *_settings(config_file, overrides))
    words = sum(c.words for c in book.chapters)
    seconds = sum(c.chars + len(c.title) for c in book.chapters) / SPOKEN_CHARS_PER_SECOND
    cover = f"{book.cover_type}, {len(book.cover) // 1024} KB" if book.cover else "none"
    click.echo(f"Title:    {book.title}")
    click.echo(f"Author:   {book.author or 'unknown'}")
    click.echo(f"Language: {book.language or 'unknown'}")
    click.echo(f"Voice:    {reader}")
    click.echo(f"Cover:    {cover}")
    click.echo(
        f"Chapters: {len(book.chapters)} ({words:,} words, about {_clock(seconds)} "
        "of audio at speed 1)"
    )
    click.echo(f"  {'#':>3}  {'Title':<48} {'Words':>7} {'Minutes':>8}")
    for n, chapter in enumerate(book.chapters, start=1):
        minutes = (chapter.chars + len(chapter.title)) / SPOKEN_CHARS_PER_SECOND / 60
        click.echo(f"  {n:>3}  {chapter.title[:48]:<48} {chapter.words:>7,} {minutes:>8.1f}")
    click.echo(f"Quotes:   {_quotes_found(book)}")
    click.echo(f"Left out: {_left_out(book)}")


def _quotes_found(book) -> str:
    """ "1,106 in single marks (‘...’ or '...')", or what it means that there are none."""
    from audiobook.agents.quotes import STYLE_NAMES, detect_style, find_quotes

    paragraphs = [p.source_text for chapter in book.chapters for p in chapter.paragraphs]
    style = detect_style(paragraphs)
    found = sum(len(find_quotes(p, style)) for p in paragraphs)
    if not found:
        return "none found: the narrator reads the whole book"
    return f"{found:,} in {STYLE_NAMES[style.opener]}"


def _left_out(book) -> str:
    """ "contents: Contents; back matter: Acknowledgements, About the Author; footnotes: 3"."""
    by_why: dict[str, list[str]] = {}
    for part in book.left_out:
        by_why.setdefault(part.why, []).append(part.title)
    said = [f"{why}: {', '.join(titles)}" for why, titles in by_why.items()]
    if book.notes_left_out:
        said.append(f"footnotes: {book.notes_left_out}")
    return "; ".join(said) if said else "nothing"


@main.command()
@click.argument("chosen", metavar="[VOICE]...", nargs=-1)
@click.option("--tts", help="TTS provider (default: the configured one).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--sample",
    is_flag=True,
    help="Write a short sample of each VOICE (default: every voice, variants included) as "
    "voice-ID.wav, to hear them before choosing.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("voice-samples"),
    show_default=True,
    help="Folder for the samples.",
)
@click.option("--text", help="What the samples say (default: a line of narration and dialogue).")
@click.option(
    "--play", is_flag=True, help="Also play each sample (afplay, paplay, aplay or ffplay)."
)
@config_option
@set_option
@user_errors
def voices(chosen, tts, as_json, sample, output, text, play, config_file, assignments):
    """List the voices of a TTS provider, or with --sample hear them.

    \b
      audiobook voices                          every voice, with language and gender
      audiobook voices --sample                 a sample of each into ./voice-samples/
      audiobook voices --sample en_US-joe-medium:deep --play
    """
    from audiobook.pipeline import make_tts
    from audiobook.providers import ProviderError

    overrides = parse_assignments(assignments)
    if tts:
        overrides["tts.provider"] = tts
    registry, settings = _settings(config_file, overrides)
    provider = make_tts(registry, settings)
    if chosen and not sample:
        raise UserError("name voices only with --sample (audiobook voices --sample VOICE ...)")
    if sample:
        _voice_samples(provider, list(chosen), output, text, play)
        return
    try:
        found = provider.voices()
    except ProviderError as e:
        raise UserError(f"{provider.name}: {e}") from None
    if as_json:
        click.echo(json.dumps([v.__dict__ for v in found], indent=2, default=list))
        return
    click.echo(f"{len(found)} voice(s) from {provider.name}:")
    for v in found:
        extra = f", {v.speakers} speakers" if v.speakers > 1 else ""
        click.echo(
            f"  {v.id:<28} {v.language or '?':<8} {v.gender or 'unknown gender'}{extra}"
            f"  {v.name if v.name != v.id else ''}".rstrip()
        )


@main.group(invoke_without_command=True)
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The job folders' folder (default: output.work_dir, else the user cache).",
)
@config_option
@set_option
@click.pass_context
@user_errors
def jobs(ctx, work_dir, config_file, assignments):
    """List the job folders runs keep (clips, chapters), with size and age.

    A job folder lets a run resume and a re-render reuse every unchanged line; `audiobook
    jobs clean` removes them when the books are done.
    """
    overrides = parse_assignments(assignments)
    if work_dir is not None:
        overrides["output.work_dir"] = work_dir
    _, settings = _settings(config_file, overrides)
    ctx.obj = settings.work_dir
    if ctx.invoked_subcommand is not None:
        return
    from audiobook.jobs import find_jobs, human_age, human_size

    found = find_jobs(ctx.obj)
    if not found:
        click.echo(f"No job folders in {ctx.obj}")
        return
    click.echo(f"{len(found)} job folder(s) in {ctx.obj}:")
    click.echo(f"  {'Size':>9}  {'Last used':>10}  {'Clips':>6}  Folder")
    for job in reversed(found):
        click.echo(
            f"  {human_size(job.size):>9}  {human_age(job.age()) + ' ago':>10}  "
            f"{job.clips:>6}  {job.path.name}"
        )
    click.echo(f"  {human_size(sum(j.size for j in found)):>9}  in all")


@jobs.command("clean")
@click.option("--older-than", metavar="AGE", help="Only folders unused for AGE (30d, 12h, 2w).")
@click.option("--dry-run", is_flag=True, help="Say what would be removed; remove nothing.")
@click.pass_obj
@user_errors
def jobs_clean(work_dir, older_than, dry_run):
    """Remove job folders (all, or those unused for --older-than). Finished books are not
    touched; a removed job's book is remade from scratch if converted again."""
    from audiobook.jobs import find_jobs, human_size, parse_age, remove_jobs

    limit = parse_age(older_than) if older_than else None
    found = [j for j in find_jobs(work_dir) if limit is None or j.age() >= limit]
    if dry_run:
        for job in found:
            click.echo(f"would remove {job.path} ({human_size(job.size)})")
        click.echo(f"{len(found)} folder(s), {human_size(sum(j.size for j in found))}")
        return
    freed = remove_jobs(found)
    click.echo(f"Removed {len(found)} job folder(s), freed {human_size(freed)}")


def _voice_samples(provider, chosen: list[str], folder: Path, text: str | None, play: bool):
    from audiobook.samples import SAMPLE_TEXT, player, write_samples
    from audiobook.samples import play as play_sample

    command = player() if play else None
    if play and command is None:
        click.echo("warning: no audio player found (afplay, paplay, aplay, ffplay); the "
                   "samples are only written", err=True)  # fmt: skip

    def done(voice: str, path: Path, seconds: float) -> None:
        click.echo(f"  {voice:<28} {seconds:4.1f} s  {path}")
        if command is not None:
            play_sample(path, command)

    written = write_samples(provider, chosen, folder, text or SAMPLE_TEXT, done)
    click.echo(f"Wrote {len(written)} sample(s) from {provider.name} into {folder}")


@main.command()
@user_errors
def plugins():
    """List installed plugins, their versions and the providers they register."""
    registry = load_registry()
    for p in registry.plugins:
        provided = [f"tts: {n}" for n in p.tts] + [f"llm: {n}" for n in p.llm]
        status = f"BROKEN: {p.error}" if p.error else (", ".join(provided) or "registers nothing")
        click.echo(f"{p.name:<16} {p.version:<20} {status}")
    if not registry.plugins:
        click.echo("no plugins loaded (AUDIOBOOK_PLUGINS may exclude them)")


@main.command("compose")
@click.option("--llm", help="LLM plugin whose server to run (ollama, vllm, tgi ...).")
@click.option("--tts", help="TTS plugin whose server to run (kokoro, orpheus, piper, coqui ...).")
@click.option("--gpu", is_flag=True, help="Reserve NVIDIA GPUs for the services that use one.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the Compose file here (default: print it).",
)
@user_errors
def compose_command(llm, tts, gpu, output):
    """Write one Docker Compose file that runs the chosen backends.

    Ports are published on 127.0.0.1 only, backends share an internal network, models live
    in named volumes, and each service has a healthcheck. Prints the matching config.
    """
    import yaml

    from audiobook.compose import build, skipped, snippets_for

    if not llm and not tts:
        raise UserError("name at least one backend: --llm NAME and/or --tts NAME")
    registry = load_registry()
    left_out = skipped(registry, llm, tts)
    if left_out and len(left_out) == len([n for n in (llm, tts) if n]):
        raise UserError("nothing to compose: " + "; ".join(left_out))
    for line in left_out:
        click.echo(f"note: {line}", err=True)
    result = build(snippets_for(registry, llm, tts), gpu)
    text = yaml.safe_dump(result.document, sort_keys=False, width=120)
    header = (
        f"# Made by `audiobook compose{' --llm ' + llm if llm else ''}"
        f"{' --tts ' + tts if tts else ''}{' --gpu' if gpu else ''}`.\n"
        "# Start: docker compose -f THIS-FILE up -d   (ports are bound to 127.0.0.1 only)\n"
    )
    if output:
        from audiobook.compose import write_keys
        from audiobook.files import atomic_write

        atomic_write(output, (header + text).encode())
        click.echo(f"Wrote {output}. Start it with: docker compose -f {output} up -d", err=True)
        for line in write_keys(output.parent / ".env", result.keys):
            click.echo(line, err=True)
    else:
        click.echo(header + text)
        for var in result.keys:
            click.echo(f"note: set {var} in the .env beside the file (with -o FILE, audiobook "
                       "writes a random one there)", err=True)  # fmt: skip
    if result.config_lines:
        click.echo("\n# Matching settings for audiobook.toml:", err=True)
        for line in result.config_lines:
            click.echo(line, err=True)


@main.command()
@config_option
@set_option
def doctor(config_file, assignments):
    """Check Python, ffmpeg, plugins, settings and the configured servers; say how to fix."""
    from audiobook.doctor import run_checks

    try:
        checks = run_checks(config_file, parse_assignments(assignments))
    except UserError as e:
        _fail(str(e))
    failed = False
    for check in checks:
        mark = "ok  " if check.ok else ("FAIL" if check.required else "warn")
        failed |= check.required and not check.ok
        click.echo(f"{mark} {check.name}: {check.detail}")
    sys.exit(1 if failed else 0)


@main.command("config")
@config_option
@set_option
@user_errors
def show_config(config_file, assignments):
    """Print the effective settings, where each comes from, with secrets masked."""
    registry, settings = _settings(config_file, parse_assignments(assignments))
    click.echo(f"# config file: {settings.config_file or 'none found'}")
    shown = {key: option.default for key, option in CORE_OPTIONS.items()}
    shown["output.work_dir"] = settings.work_dir
    for kind, table in (("tts", registry.tts), ("llm", registry.llm)):
        for name, cls in sorted(table.items()):
            shown.update({f"{kind}.{name}.{o.name}": o.default for o in cls.options})
    shown.update(settings.values)
    for key in sorted(shown):
        source = settings.sources.get(key, "default")
        click.echo(f"{key} = {json.dumps(mask(key, shown[key]), default=str)}    # {source}")


if __name__ == "__main__":  # pragma: no cover
    main()
