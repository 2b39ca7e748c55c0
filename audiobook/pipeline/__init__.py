"""The pipeline: reader -> casting and attribution -> director -> voices -> narrator -> mastering.

`analyze` makes the script (what `audiobook script` writes), `render` makes audio from a script
(what `audiobook render` does with an edited one), and `convert` is both. Every check that can
fail (provider, voices, output path, cast file) runs before any synthesis starts.

By job: `backends` builds and checks the providers, `analysis` reads and casts the book,
`rendering` synthesises and masters, `outputs` decides where the result goes. The pipeline
reports through `audiobook.report`; click stays in the command line.
"""

from __future__ import annotations

from pathlib import Path

from audiobook.config import Settings
from audiobook.llm_analysis import ChapterRefiner
from audiobook.pipeline.analysis import Analysis, BookOptions, analyze
from audiobook.pipeline.backends import make_llm, make_tts, narrator_voice
from audiobook.pipeline.outputs import book_for_script, output_folder, output_target
from audiobook.pipeline.rendering import ConvertResult, render
from audiobook.plugins import Registry

__all__ = [
    "Analysis",
    "BookOptions",
    "ConvertResult",
    "analyze",
    "book_for_script",
    "convert",
    "make_llm",
    "make_tts",
    "narrator_voice",
    "output_folder",
    "output_target",
    "render",
]


def convert(
    input_path: Path,
    output: str | Path | None,
    settings: Settings,
    registry: Registry,
    options: BookOptions | None = None,
    *,
    show_progress: bool = True,
    pull: bool = False,
) -> tuple[ConvertResult, Analysis]:
    options = options or BookOptions()
    out, fmt = output_target(input_path, output, settings.get("output.format"))
    provider = make_tts(registry, settings)
    llm = make_llm(registry, settings, pull=pull)
    # With an LLM, analysis by rules comes first (it is quick); the LLM then refines chapter
    # N+1 while chapter N is synthesised.
    analysis = analyze(
        input_path, settings, provider, options, llm=llm, refine_quotes=False,
        show_progress=show_progress,
    )  # fmt: skip
    refiner = None
    if llm is not None:
        refiner = ChapterRefiner(llm, analysis.attribution, analysis.script, analysis.casting)
    try:
        result = render(
            analysis.script, analysis.book, out, settings, provider, input_path, fmt=fmt,
            show_progress=show_progress, prepare=refiner.wait if refiner else None,
        )  # fmt: skip
    finally:
        if refiner is not None:
            refiner.stop.set()
    return result, analysis
