"""An OpenAI-compatible server that answers the analysis' requests from a PDNC novel's
annotations: a stand-in for a perfect language model, to measure the `--llm` design.

It speaks `/v1/models` and `/v1/chat/completions` (response_format json_schema) and knows
nothing of our code but the prompts' visible layout. For a cast request it finds the passage
in the novel and lists the annotated characters who speak there (speakers and addressees of
its quotations) or are named there by a name only they have, under their annotated main name,
with the names the passage uses and their annotated gender. For a quote request it finds each
marked quotation in the novel and names the candidate holding the annotated speaker's names,
or "unknown" when no candidate does. Token counts are estimated as characters / 4.
"""

from __future__ import annotations

import ast
import bisect
import csv
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pdnc import GENDERS, Characters, names_of, plain

WORD = re.compile(r"[0-9a-z]+")
MARK = re.compile(r"\[Q(\d+)\] \u201c(.*?)\u201d(?= \[|\s|$)")


class Text:
    """A novel's words, lower case, one space apart, with where each word starts."""

    def __init__(self, text: str) -> None:
        lower = text.lower()
        if len(lower) != len(text):
            lower = "".join(ch.lower()[:1] or ch for ch in text)
        words = list(WORD.finditer(lower))
        self.words = " ".join(m.group() for m in words)
        self._padded = f" {self.words} "
        self.norm_starts: list[int] = []
        self.orig_starts: list[int] = []
        pos = 0
        for m in words:
            self.norm_starts.append(pos)
            self.orig_starts.append(m.start())
            pos += len(m.group()) + 1

    @staticmethod
    def norm(text: str) -> str:
        return " ".join(WORD.findall(text.lower()))

    def original(self, pos: int) -> int:
        i = bisect.bisect_right(self.norm_starts, pos) - 1
        return self.orig_starts[max(0, i)]

    def find(self, piece: str, start: int = 0) -> int:
        """The next whole-word occurrence of a normalised piece from `start`, or -1."""
        if not piece:
            return -1
        # In " words ", " piece " found at i means the piece starts at i in `words`.
        return self._padded.find(f" {piece} ", start)

    def region(self, lines: list[str]) -> int:
        """Where a passage made of `lines` (in order) starts, by its first line found once."""
        offset = 0
        for line in lines:
            piece = self.norm(line)
            if len(piece) >= 30:
                first = self.find(piece)
                if first >= 0 and self.find(piece, first + 1) < 0:
                    return max(0, first - offset - 50)
            offset += len(piece) + 1
        for line in lines:  # no line found once: the first found at all
            first = self.find(self.norm(line))
            if first >= 0:
                return first
        return 0


class Annotations:
    def __init__(self, folder: Path) -> None:
        self.people = Characters(folder)
        self.text = Text((folder / "novel_text.txt").read_text(encoding="utf-8"))
        self.rows = {r["Main Name"]: r for r in self.people.rows}
        self.spans: list[tuple[int, int, str, list[str]]] = []
        with (folder / "quotation_info.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                speaker = self.people.gold(row["speaker"])
                try:
                    addressees = [self.people.gold(a) for a in ast.literal_eval(row["addressees"])]
                except (ValueError, SyntaxError):
                    addressees = []
                for s, e in ast.literal_eval(row["quoteByteSpans"]):
                    self.spans.append((s, e, speaker, addressees))
        self.spans.sort()
        self.starts = [s for s, *_ in self.spans]
        # Characters listed where they are named: those who speak or are spoken to somewhere
        # (PDNC also annotates bare names, as "Bounderby" beside Josiah Bounderby).
        voices = {s for *_, s, _ in self.spans} | {a for *_, a in self.spans for a in a}
        self.own_names: dict[str, list[str]] = {}  # main name -> names only they have
        for row in self.people.rows:
            if row["Main Name"] not in voices:
                continue
            aliases = _aliases(row)
            self.own_names[row["Main Name"]] = [
                a for a in aliases if len(self.people.owners.get(plain(a), ())) == 1
            ]

    def quotation_at(self, start: int, end: int) -> tuple[int, int, str, list[str]] | None:
        i = bisect.bisect_right(self.starts, end) - 1
        for j in range(i, max(-1, i - 4), -1):
            s, e, *_ = self.spans[j]
            if min(e, end) - max(s, start) > 0:
                return self.spans[j]
        return None

    def answer(self, messages: list[dict], schema: dict) -> dict:
        user = messages[-1]["content"]
        if "people" in schema.get("properties", {}):
            return self.cast(user)
        return self.quotes(user, schema)

    def cast(self, user: str) -> dict:
        passage = user.split("\nPassage:\n", 1)[1]
        lines = [p for p in passage.split("\n\n") if p.strip()]
        start_norm = self.text.region(lines)
        length = len(self.text.norm(passage))
        start = self.text.original(start_norm)
        end = self.text.original(min(len(self.text.words) - 1, start_norm + length + 100))
        speaking: set[str] = set()
        present: set[str] = set()
        i = bisect.bisect_left(self.starts, start)
        while i < len(self.spans) and self.spans[i][0] < end:
            _, _, speaker, addressees = self.spans[i]
            speaking.add(speaker)
            present.update(addressees)
            i += 1
        named: dict[str, list[str]] = {}
        for main, names in self.own_names.items():
            found = [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", passage)]
            if found:
                named[main] = found
        people = []
        for main in sorted(speaking | present | set(named)):
            row = self.rows.get(main)
            if row is None or main.startswith("_"):  # "_group", "_unknowable"
                continue
            others = [n for n in named.get(main, []) if n != main]
            people.append({
                "name": main,
                "other_names": others,
                "gender": GENDERS.get(row["Gender"], "unknown"),
                "speaks": main in speaking,
            })  # fmt: skip
        return {"people": people}

    def quotes(self, user: str, schema: dict) -> dict:
        candidates = user.split("Candidates: ", 1)[1].split(".\n\nPassage:\n", 1)[0].split("; ")
        passage = user.split("\n\nPassage:\n", 1)[1].rsplit("\n\nGive the speaker", 1)[0]
        lines = passage.split("\n")
        pos = self.text.region(lines)
        answers = []
        for m in MARK.finditer(passage):
            piece = self.text.norm(m.group(2))
            found = self.text.find(piece, pos)
            speaker = "unknown"
            if found >= 0:
                pos = found + len(piece)
                start = self.text.original(found)
                end = self.text.original(found + len(piece) - 1) + 1
                quotation = self.quotation_at(start, end)
                if quotation is not None:
                    speaker = self._candidate(quotation[2], candidates)
            answers.append({"quote": int(m.group(1)), "speaker": speaker, "cue": "none"})
        return {"answers": answers}

    def _candidate(self, gold: str, candidates: list[str]) -> str:
        row = self.rows.get(gold)
        if row is None or gold.startswith("_"):
            return "unknown"
        if gold in candidates:
            return gold
        names = names_of(row)
        return next((c for c in candidates if plain(c) in names), "unknown")


def _aliases(row: dict) -> list[str]:
    try:
        aliases = set(ast.literal_eval(row["Aliases"])) if row["Aliases"] else set()
    except (ValueError, SyntaxError):
        aliases = {row["Aliases"]}
    return sorted(aliases | {row["Main Name"]}, key=len, reverse=True)


class OracleServer:
    """`with OracleServer(folder) as url:` an OpenAI-compatible base URL ending in /v1."""

    def __init__(self, folder: Path) -> None:
        self.annotations = Annotations(folder)
        self.requests = 0

    def __enter__(self) -> str:
        oracle = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._send(200, {"object": "list", "data": [{"id": "oracle", "object": "model"}]})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                schema = body["response_format"]["json_schema"]["schema"]
                oracle.requests += 1
                content = json.dumps(oracle.annotations.answer(body["messages"], schema))
                prompt = sum(len(m["content"]) for m in body["messages"]) // 4
                self._send(200, {
                    "id": "oracle", "object": "chat.completion", "created": 0, "model": "oracle",
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": prompt, "completion_tokens": len(content) // 4},
                })  # fmt: skip

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
