from __future__ import annotations

import types

import pytest

from audiobook import plugins
from audiobook.errors import UserError
from audiobook.hookspecs import hookimpl
from audiobook.providers import Audio, TTSProvider, Voice


class GoodTTS(TTSProvider):
    name = "good"

    def voices(self):
        return [Voice("v1")]

    def synthesize(self, text, voice, *, speed=1.0):
        return Audio(pcm=b"\0\0" * 100, sample_rate=8000)


def _module(name, **hooks):
    module = types.ModuleType(name)
    for hook_name, function in hooks.items():
        setattr(module, hook_name, hookimpl(function))
    return module


def _fake_candidates(monkeypatch, entries):
    def candidates():
        yield from entries

    monkeypatch.setattr(plugins, "_candidates", candidates)


def test_builtin_and_installed_plugins_register_through_the_same_hooks(monkeypatch):
    monkeypatch.delenv("AUDIOBOOK_PLUGINS", raising=False)
    registry = plugins.load_registry()
    names = {p.name: p for p in registry.plugins}
    assert names["tone"].tts == ["tone"] and "built-in" in names["tone"].version
    assert "piper" in registry.tts


def test_environment_restricts_loaded_plugins(monkeypatch):
    monkeypatch.setenv("AUDIOBOOK_PLUGINS", "tone")
    registry = plugins.load_registry()
    assert [p.name for p in registry.plugins] == ["tone"]
    with pytest.raises(UserError, match=r"unknown TTS provider 'piper' \(installed: tone\)"):
        registry.tts_class("piper")


def test_import_error_is_reported_by_name_and_others_still_load(monkeypatch):
    def broken():
        raise ImportError("No module named 'missing_dependency'")

    good = _module("good", register_tts_providers=lambda register: register(GoodTTS))
    _fake_candidates(monkeypatch, [("broken", "1.0", broken), ("good", "2.0", lambda: good)])
    registry = plugins.load_registry()
    info = {p.name: p for p in registry.plugins}
    assert "missing_dependency" in info["broken"].error
    assert registry.tts_class("good") is GoodTTS
    with pytest.raises(UserError, match="'broken' is installed but broken"):
        registry.tts_class("broken")


@pytest.mark.parametrize(
    ("registered", "message"),
    [
        (object, "not a subclass of TTSProvider"),
        (type("Nameless", (GoodTTS,), {"name": ""}), "has no name"),
        (type("Abstract", (TTSProvider,), {"name": "abstract"}), "does not implement"),
    ],
)
def test_bad_registration_is_reported_not_raised(monkeypatch, registered, message):
    bad = _module("bad", register_tts_providers=lambda register: register(registered))
    _fake_candidates(monkeypatch, [("bad", "0.1", lambda: bad)])
    registry = plugins.load_registry()
    assert message in registry.plugins[0].error
    assert registry.tts == {}


def test_duplicate_provider_names_are_refused(monkeypatch):
    one = _module("one", register_tts_providers=lambda register: register(GoodTTS))
    two = _module("two", register_tts_providers=lambda register: register(GoodTTS))
    _fake_candidates(monkeypatch, [("one", "1", lambda: one), ("two", "1", lambda: two)])
    registry = plugins.load_registry()
    assert registry.plugins[0].error is None
    assert "already registered" in registry.plugins[1].error


def test_plugins_command_lists_versions_providers_and_errors(monkeypatch):
    from click.testing import CliRunner

    from audiobook.cli import main

    def broken():
        raise RuntimeError("boom")

    good = _module("good", register_tts_providers=lambda register: register(GoodTTS))
    _fake_candidates(monkeypatch, [("good", "2.0", lambda: good), ("broken", "1.0", broken)])
    result = CliRunner().invoke(main, ["plugins"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["good", "2.0", "tts:", "good"]
    assert lines[1].startswith("broken")
    assert "BROKEN: failed to load: RuntimeError: boom" in lines[1]
