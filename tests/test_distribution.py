"""The core has a name of its own on the package index, and a plugin installed from a wheel
pulls this project's core, never the unrelated `audiobook` distribution."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
import zipfile

import pytest
from helpers import ROOT
from packaging.requirements import Requirement

CORE = "audiobook-multivoice"
PLUGIN_PROJECTS = sorted((ROOT / "plugins").glob("*/pyproject.toml")) + [
    ROOT / "docs" / "example-plugin" / "pyproject.toml"
]


def _project(path):
    return tomllib.loads(path.read_text(encoding="utf-8"))["project"]


def test_the_core_is_published_under_its_own_name():
    assert _project(ROOT / "pyproject.toml")["name"] == CORE


@pytest.mark.parametrize("pyproject", PLUGIN_PROJECTS, ids=lambda p: p.parent.name)
def test_every_plugin_depends_on_the_core_by_its_name_with_a_bound(pyproject):
    wanted = [Requirement(r) for r in _project(pyproject)["dependencies"]]
    names = {r.name.lower() for r in wanted}
    assert "audiobook" not in names  # the stranger on the index
    core = next(r for r in wanted if r.name == CORE)
    assert core.specifier.contains("0.1.0") and not core.specifier.contains("1.0.0")


@pytest.mark.slow
def test_a_plugin_wheel_resolves_to_this_core_from_wheels_alone(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "-w", str(wheels), str(ROOT), str(ROOT / "docs" / "example-plugin")],
        check=True, capture_output=True,
    )  # fmt: skip
    plugin = next(wheels.glob("audiobook_plugin_morse-*.whl"))
    core = next(wheels.glob("audiobook_multivoice-*.whl"))
    with zipfile.ZipFile(plugin) as z:
        meta = z.read(next(n for n in z.namelist() if n.endswith("METADATA"))).decode()
    assert f"Requires-Dist: {CORE}" in meta
    # The core's wheel holds the files it reads at run time, not only its modules.
    with zipfile.ZipFile(core) as z:
        shipped = set(z.namelist())
    data = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "audiobook").rglob("*")
        if p.is_file()
        and p.suffix in (".json", ".txt", ".html", ".js", ".css")
        and "__pycache__" not in p.parts
    ]
    assert data and set(data) <= shipped, sorted(set(data) - shipped)
    # No index: only these two wheels and what this environment already has. A plugin that
    # asked for "audiobook" would fail to resolve here; this one needs only our core.
    report = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--find-links",
         str(wheels), "--report", str(report), "--quiet", str(plugin), str(core)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    installs = {i["metadata"]["name"].lower() for i in json.loads(report.read_text())["install"]}
    assert installs <= {"audiobook-plugin-morse", CORE}
    assert "audiobook" not in installs
