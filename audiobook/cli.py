"""The `audiobook` command: parse, call the pipeline, report. User errors are one line."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from audiobook import __version__
from audiobook.config import CORE_OPTIONS, is_secret, load_settings, parse_assignments
from audiobook.errors import UserError
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
    return registry, load_settings(registry, config_file, overrides)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="audiobook")
def main() -> None:
    """Turn an ebook into a finished audiobook (.m4b with chapters, tags and cover).

    \b
    Quick start (embedded Piper voice, nothing else to run):
      audiobook convert book.epub
      audiobook convert story.txt --chapters 1-3 -o story.m4b
    \b
    See what is installed:  audiobook plugins / audiobook voices
    See the settings:       audiobook config
    """


@main.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Output .m4b file or folder (default: ./INPUT-NAME.m4b).",
)
@click.option(
    "--chapters", metavar="LIST", help="Chapters to include, 1-based: e.g. 1-3,5 (default: all)."
)
@click.option("--tts", help="TTS provider (default: piper, the embedded engine).")
@click.option("--voice", help="Narrator voice id; see `audiobook voices`.")
@click.option("--speed", type=float, help="Speaking rate, 1.0 is the voice's own.")
@click.option(
    "--keep-front-matter", is_flag=True, help="Also read the contents, title page and licence text."
)
@click.option("--title", help="Override the book title tag.")
@click.option("--author", help="Override the author tag.")
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where clips are kept so an interrupted run resumes.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@config_option
@set_option
@user_errors
def convert(input_file, output, chapters, tts, voice, speed, keep_front_matter, title, author,
            work_dir, quiet, config_file, assignments):  # fmt: skip
    """Convert INPUT (.epub, .txt, .md) into an .m4b audiobook.

    Clips are cached in a job folder as they are made: if the run is interrupted (Ctrl-C,
    a crash, a killed process), the same command resumes without synthesising anything twice.
    """
    from audiobook.pipeline import convert as run_convert

    overrides = parse_assignments(assignments)
    flags = {"tts.provider": tts, "tts.voice": voice, "tts.speed": speed,
             "output.work_dir": work_dir}  # fmt: skip
    overrides.update({k: v for k, v in flags.items() if v is not None})
    registry, settings = _settings(config_file, overrides)
    result = run_convert(
        input_file,
        output,
        settings,
        registry,
        chapters=chapters,
        keep_front_matter=keep_front_matter,
        title=title,
        author=author,
        show_progress=not quiet,
    )
    s = result.stats
    hours = result.duration / 3600
    rtf = result.wall_seconds / result.duration if result.duration else 0
    n = len(result.chapters)
    click.echo(f"Wrote {result.output} ({n} chapter{'s' if n != 1 else ''}, "
               f"{_clock(result.duration)} of audio)")  # fmt: skip
    click.echo(
        f"Clips: {s.made} synthesised, {s.reused} reused from an earlier run, {s.retried} retried. "
        f"Wall time {_clock(result.wall_seconds)} for {hours:.2f} h of audio "
        f"(real-time factor {rtf:.3f})."
    )
    click.echo(f"Clips are kept in {result.job_dir} for re-renders; delete it to free the space.")


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


SPOKEN_CHARS_PER_SECOND = 15.0  # measured on Piper at speed 1, pauses included


@main.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--keep-front-matter", is_flag=True, help="Show the book as read with front matter.")
@user_errors
def inspect(input_file, keep_front_matter):
    """Show what the reader finds in INPUT: metadata, chapters, what it skips."""
    from audiobook.ingest import read_book

    book = read_book(input_file, keep_front_matter=keep_front_matter)
    words = sum(c.words for c in book.chapters)
    seconds = sum(c.chars + len(c.title) for c in book.chapters) / SPOKEN_CHARS_PER_SECOND
    cover = f"{book.cover_type}, {len(book.cover) // 1024} KB" if book.cover else "none"
    click.echo(f"Title:    {book.title}")
    click.echo(f"Author:   {book.author or 'unknown'}")
    click.echo(f"Language: {book.language or 'unknown'}")
    click.echo(f"Cover:    {cover}")
    click.echo(f"Chapters: {len(book.chapters)} ({words:,} words, about {_clock(seconds)} "
               "of audio at speed 1)")  # fmt: skip
    click.echo(f"  {'#':>3}  {'Title':<48} {'Words':>7} {'Minutes':>8}")
    for n, chapter in enumerate(book.chapters, start=1):
        minutes = (chapter.chars + len(chapter.title)) / SPOKEN_CHARS_PER_SECOND / 60
        click.echo(f"  {n:>3}  {chapter.title[:48]:<48} {chapter.words:>7,} {minutes:>8.1f}")
    click.echo(f"Skipped:  {'; '.join(book.skipped) if book.skipped else 'nothing'}")


@main.command()
@click.option("--tts", help="TTS provider (default: the configured one).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@config_option
@set_option
@user_errors
def voices(tts, as_json, config_file, assignments):
    """List the voices of a TTS provider."""
    from audiobook.pipeline import make_tts
    from audiobook.providers import ProviderError

    overrides = parse_assignments(assignments)
    if tts:
        overrides["tts.provider"] = tts
    registry, settings = _settings(config_file, overrides)
    provider = make_tts(registry, settings)
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
        click.echo(f"  {v.id:<28} {v.language or '?':<8} {v.gender or 'unknown gender'}{extra}"
                   f"  {v.name if v.name != v.id else ''}".rstrip())  # fmt: skip


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


@main.command("config")
@config_option
@set_option
@user_errors
def show_config(config_file, assignments):
    """Print the effective settings, where each comes from, with secrets masked."""
    registry, settings = _settings(config_file, parse_assignments(assignments))
    click.echo(f"# config file: {settings.config_file or 'none found'}")
    shown = dict(settings.masked())
    for key, option in CORE_OPTIONS.items():
        if key not in shown:
            shown[key] = option.default if key != "output.work_dir" else settings.work_dir
    for kind, table in (("tts", registry.tts), ("llm", registry.llm)):
        for name, cls in sorted(table.items()):
            for o in cls.options:
                key = f"{kind}.{name}.{o.name}"
                if key not in shown:
                    shown[key] = o.default
    for key in sorted(shown):
        value = shown[key]
        if is_secret(key) and value and value != "****":
            value = "****"
        source = settings.sources.get(key, "default")
        click.echo(f"{key} = {json.dumps(value, default=str)}    # {source}")


if __name__ == "__main__":  # pragma: no cover
    main()
