"""One plugin API: every plugin in this repository (and the example) imports only
`audiobook.plugin` and, in its tests, `audiobook.plugin.testing`; each registers its providers
through the core's hook specifications."""

from __future__ import annotations

import importlib
import tomllib

import pytest
from helpers import ROOT, core_imports

import audiobook.plugin

PUBLIC = {"audiobook.plugin", "audiobook.plugin.testing"}
PLUGINS = sorted(p for p in (ROOT / "plugins").iterdir() if (p / "pyproject.toml").is_file()) + [
    ROOT / "docs" / "example-plugin"
]


def _sources(folder):
    for path in folder.rglob("*.py"):
        parts = set(path.relative_to(folder).parts)
        if "build" not in parts and not any(p.endswith(".egg-info") for p in parts):
            yield path


@pytest.mark.parametrize("folder", PLUGINS, ids=lambda p: p.name)
def test_a_plugin_and_its_tests_import_only_the_plugin_api(folder):
    used = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _sources(folder)
        for module in core_imports(path) - PUBLIC
    }
    assert not used, sorted(used)


def _entry_points(folder) -> dict[str, str]:
    project = tomllib.loads((folder / "pyproject.toml").read_text())["project"]
    return project.get("entry-points", {}).get("audiobook", {})


@pytest.mark.parametrize("folder", PLUGINS, ids=lambda p: p.name)
def test_every_plugin_registers_its_providers(folder, plugin_providers, monkeypatch):
    monkeypatch.syspath_prepend(str(folder))  # the example plugin is not installed here
    entry_points = _entry_points(folder)
    assert entry_points, f"{folder.name} declares no audiobook entry point"
    for target in entry_points.values():
        found = plugin_providers(importlib.import_module(target.split(":")[0]))
        providers = found["tts"] + found["llm"]
        assert providers, f"{target} registers no provider"
        assert all(isinstance(p.name, str) and p.name for p in providers)


def test_the_plugin_api_exports_what_it_names():
    for name in audiobook.plugin.__all__:
        assert getattr(audiobook.plugin, name) is not None


def test_the_stub_server_fixture_answers_as_scripted_then_repeats_the_last(stub_server):
    import requests

    from audiobook.plugin.testing import Reply

    stub_server.on("GET", "/health", Reply(503, {"error": "loading"}), Reply(200, {"ok": True}))
    assert requests.get(f"{stub_server.url}/health", timeout=5).status_code == 503
    for _ in range(2):
        assert requests.get(f"{stub_server.url}/health", timeout=5).json() == {"ok": True}
    assert [r.path for r in stub_server.requests] == ["/health"] * 3
