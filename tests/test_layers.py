"""Imports point one way: the command line drives the pipeline, the pipeline drives the stages
(reading, agents, rendering), and every stage stands on the model, the provider API and the
text helpers. Read from the source (imports inside functions included), not from a run."""

from __future__ import annotations

import ast

import pytest
from helpers import ROOT, core_imports

PACKAGE = ROOT / "audiobook"


def _module(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


GRAPH = {_module(p): core_imports(p) for p in PACKAGE.rglob("*.py")}


def _under(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


# (modules, what they must never import, why)
RULES = [
    (("audiobook.render",), ("audiobook.agents", "audiobook.pipeline", "audiobook.cli",
     "audiobook.llm", "audiobook.llm_analysis", "audiobook.ingest"),
     "rendering turns a script into audio; it knows nothing of how the script was made"),
    (("audiobook.agents",), ("audiobook.render", "audiobook.pipeline", "audiobook.cli"),
     "the agents read the book; they do not render it"),
    (("audiobook.ingest", "audiobook.text"), ("audiobook.agents", "audiobook.render",
     "audiobook.pipeline", "audiobook.cli", "audiobook.llm", "audiobook.llm_analysis"),
     "reading and text helpers sit under every stage"),
    (("audiobook.llm",), ("audiobook.render", "audiobook.pipeline", "audiobook.cli"),
     "the LLM client is a stage's tool, not a renderer"),
    (("audiobook.model", "audiobook.providers", "audiobook.errors", "audiobook.hookspecs",
      "audiobook.files"),
     ("audiobook.agents", "audiobook.render", "audiobook.ingest", "audiobook.pipeline",
      "audiobook.cli", "audiobook.llm", "audiobook.text", "audiobook.http"),
     "the model and the provider API are the floor everything stands on"),
]  # fmt: skip


@pytest.mark.parametrize("owners, forbidden, why", RULES, ids=lambda v: str(v)[:30])
def test_imports_point_one_way(owners, forbidden, why):
    broken = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if _under(module, *owners)
        for target in targets
        if _under(target, *forbidden)
    )
    assert not broken, f"{why}: {broken}"


def test_mastering_does_not_reach_into_the_narrator():
    assert "audiobook.render.narrator" not in GRAPH["audiobook.render.master"]


def test_only_the_command_line_speaks_click():
    # The core reports through audiobook.report; a web page or another front end drives the
    # same pipeline without click.
    users = sorted(m for m, targets in _third_party().items() if "click" in targets)
    assert users == ["audiobook.cli", "audiobook.plugin.testing"]  # its run_cli: CliRunner


def _third_party() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[_module(path)] = names
    return found


def test_only_the_entry_points_import_the_command_line():
    importers = sorted(m for m, targets in GRAPH.items() if "audiobook.cli" in targets)
    # the `audiobook` command, and the tests' way of running it (run_cli)
    assert importers == ["audiobook.__main__", "audiobook.plugin.testing"]


def test_the_graph_was_read():
    assert len(GRAPH) > 40 and "audiobook.pipeline" in GRAPH["audiobook.cli"]


def test_only_the_command_line_reaches_the_review_page():
    # The page and its web stack are an extra: no other part of the core may need them.
    importers = sorted(
        m for m, targets in GRAPH.items()
        if not _under(m, "audiobook.review") and any(_under(t, "audiobook.review") for t in targets)
    )  # fmt: skip
    assert importers == ["audiobook.cli"]
    web = {"starlette", "uvicorn", "jinja2"}
    users = sorted(m for m, targets in _third_party().items() if targets & web)
    assert users and all(_under(m, "audiobook.review") for m in users), users
    assert not any(_under(t, "audiobook.cli") for t in GRAPH["audiobook.review.app"])
