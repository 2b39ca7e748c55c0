"""The `--llm` analysis measured with an oracle for a model (see benchmarks/oracle.py).

    python benchmarks/llm_oracle.py ../shared/corpus/pdnc/*/

For each PDNC novel: the rules read it (with a speaker model fitted on the *other* novels,
leave-one-novel-out; `--shipped` for the shipped weights), then the whole `--llm` path runs
against a local OpenAI-compatible server answering from the novel's annotations, through the
real `openai` provider, HTTP and JSON schema included: the LLM builds the cast, then decides
every quote no tag plainly names. Prints per novel and as a mean over novels: accuracy before
(rules) and after, per quoteType; the share of the quotes asked about whose annotated speaker
was among the candidates offered; the accuracy of the plainly tagged quotes the model was not
asked about; requests and prompt / answer tokens per 100k words. `--ask-tagged` asks about
every quote, to measure what skipping plainly tagged ones costs.

This measures the design, not a model: a real model's figure is this ceiling times its skill.
"""

from __future__ import annotations

import argparse
import bisect
import os
import sys
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attribution import load_all, mean  # noqa: E402
from oracle import OracleServer  # noqa: E402
from pdnc import KINDS, Characters, fit_on  # noqa: E402

from audiobook.agents.attribution import attribute  # noqa: E402
from audiobook.agents.attribution.model import SpeakerModel, load_shipped  # noqa: E402
from audiobook.ingest import read_book  # noqa: E402
from audiobook.llm import StructuredLLM  # noqa: E402
from audiobook.llm_analysis import LLMReading  # noqa: E402


@dataclass
class Result:
    name: str
    words: int = 0
    quotes: Counter = field(default_factory=Counter)  # quoteType -> total
    rules: Counter = field(default_factory=Counter)  # quoteType -> right before the LLM
    right: Counter = field(default_factory=Counter)  # quoteType -> right after
    asked: int = 0  # quotes asked about that are annotated quotations of one character
    offered_right: int = 0  # ... whose annotated speaker was among the candidates
    tagged: int = 0  # annotated quotations not asked about (plainly tagged)
    tagged_right: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    answer_tokens: int = 0
    fallbacks: int = 0

    def accuracy(self, counts: Counter, kind: str | None = None) -> float:
        total = sum(self.quotes.values()) if kind is None else self.quotes[kind]
        right = sum(counts.values()) if kind is None else counts[kind]
        return right / total if total else float("nan")

    def per_100k(self, n: int) -> float:
        return n * 100_000 / max(1, self.words)


def _segment_index(segments):
    quotes = sorted((s for s in segments if s.kind == "quote"), key=lambda s: s.span.start)
    return quotes, [s.span.start for s in quotes]


def _covering(quotes, starts, start: int, end: int):
    i = bisect.bisect_right(starts, start) - 1
    for s in quotes[max(0, i - 1) : i + 2]:
        overlap = min(end, s.span.end) - max(start, s.span.start)
        if overlap > 0 and overlap >= 0.5 * (end - start):
            return s
    return None


def _gold_by_segment(folder: Path, people: Characters, quotes, starts):
    """(segment, annotated speaker, quoteType) for each annotated quotation we found."""
    import ast
    import csv

    found = []
    with (folder / "quotation_info.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            spans = ast.literal_eval(row["quoteByteSpans"])
            segment = _covering(quotes, starts, *spans[0]) if spans else None
            found.append((segment, people.gold(row["speaker"]), row["quoteType"]))
    return found


def run(folder: Path, model: SpeakerModel | None, ask_tagged: bool) -> Result:
    from audiobook_openai import OpenAIProvider

    book = read_book(folder / "novel_text.txt", keep_front_matter=True)
    cache = Path(tempfile.gettempdir()) / "audiobook-benchmark-parse" / folder.name
    attribution = attribute(book.chapters, model=model, cache=cache)
    people = Characters(folder)
    quotes, starts = _segment_index(attribution.segments)
    gold = _gold_by_segment(folder, people, quotes, starts)
    rules_map = people.entry_map(attribution.cast)
    before = {id(s): rules_map.get(s.speaker or "") for s in quotes}
    with OracleServer(folder) as url:
        provider = OpenAIProvider(base_url=url, model="oracle", response_format="json_schema")
        llm = StructuredLLM(provider, max_in_flight=8, base_delay=0.01)
        reading = LLMReading(llm, ask_tagged=ask_tagged)
        reading.read_cast(attribution, book.chapters)
        reading.read_quotes(attribution.segments, attribution)
    mapping = people.entry_map(attribution.cast)
    result = Result(folder.name, sum(c.words for c in book.chapters))
    asked = {id(s): names for s, names in reading.quotes.offered}
    for segment, speaker, kind in gold:
        result.quotes[kind] += 1
        if segment is None:
            continue
        result.rules[kind] += before[id(segment)] == speaker
        right = mapping.get(segment.speaker or "") == speaker
        result.right[kind] += right
        if id(segment) in asked:
            if speaker.startswith("_"):  # "_group", "_unknowable": nobody to offer
                continue
            result.asked += 1
            result.offered_right += any(mapping.get(n) == speaker for n in asked[id(segment)])
        else:
            result.tagged += 1
            result.tagged_right += right
    u = llm.usage
    result.requests, result.prompt_tokens, result.answer_tokens = (
        u.calls, u.prompt_tokens, u.completion_tokens
    )  # fmt: skip
    result.fallbacks = reading.cast.fallbacks + reading.quotes.fallbacks
    return result


def report(r: Result) -> str:
    kinds = " ".join(f"{k[:4]} {r.accuracy(r.right, k):.3f}" for k in KINDS)
    return (
        f"{r.name[:26]:26} rules {r.accuracy(r.rules):.3f} -> oracle {r.accuracy(r.right):.3f} "
        f"(n={sum(r.quotes.values())}) | {kinds} | among candidates "
        f"{r.offered_right / max(1, r.asked):.3f} of {r.asked} asked | tagged, not asked "
        f"{r.tagged_right / max(1, r.tagged):.3f} of {r.tagged} | per 100k words: "
        f"{r.per_100k(r.requests):.0f} requests, {r.per_100k(r.prompt_tokens) / 1000:.0f}k + "
        f"{r.per_100k(r.answer_tokens) / 1000:.1f}k tokens | {r.fallbacks} failed"
    )


def summary(results: list[Result]) -> str:
    worst = min(results, key=lambda r: r.accuracy(r.right))
    kinds = " ".join(f"{k[:4]} {mean(r.accuracy(r.right, k) for r in results):.3f}" for k in KINDS)
    words = sum(r.words for r in results)
    total = Result("all", words)
    for r in results:
        total.requests += r.requests
        total.prompt_tokens += r.prompt_tokens
        total.answer_tokens += r.answer_tokens
    return (
        f"MEAN over {len(results)} novels: rules {mean(r.accuracy(r.rules) for r in results):.3f}"
        f" -> oracle {mean(r.accuracy(r.right) for r in results):.3f} | {kinds} | among "
        f"candidates {mean(r.offered_right / max(1, r.asked) for r in results):.3f} | tagged, "
        f"not asked {mean(r.tagged_right / max(1, r.tagged) for r in results):.3f}\n"
        f"WORST {worst.accuracy(worst.right):.3f} ({worst.name}); worst among candidates "
        f"{min(r.offered_right / max(1, r.asked) for r in results):.3f}\n"
        f"COST over {words:,} words: per 100k words {total.per_100k(total.requests):.0f} "
        f"requests, {total.per_100k(total.prompt_tokens) / 1000:.0f}k prompt + "
        f"{total.per_100k(total.answer_tokens) / 1000:.1f}k answer tokens"
    )


def _models(folders: list[Path], workers: int) -> list[SpeakerModel]:
    """Per folder, a speaker model fitted on the other folders."""
    novels = load_all(folders, workers)
    everything = fit_on(novels)
    return [fit_on([o for o in novels if o is not n], everything) for n in novels]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--shipped", action="store_true", help="shipped weights for the rules")
    parser.add_argument("--ask-tagged", action="store_true", help="ask about every quote")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    args = parser.parse_args(argv)
    folders = [f for f in args.folders if (f / "quotation_info.csv").is_file()]
    workers = args.workers or min(len(folders), os.cpu_count() or 1)
    if args.shipped or len(folders) < 2:
        models = [load_shipped()] * len(folders)
    else:
        models = _models(folders, workers)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(run, folders, models, [args.ask_tagged] * len(folders)))
    for r in results:
        print(report(r), flush=True)
    if len(results) > 1:
        print(summary(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
