"""The plugin manager: built-in and installed plugins, registered through the same hooks.

AUDIOBOOK_PLUGINS=piper,tone restricts loading to the named plugins (built-ins included), so
tests and debugging can run with an exact set. A plugin that fails to import or registers
something wrong is recorded with its name and the error; the others keep working.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata

import pluggy

from audiobook import hookspecs
from audiobook.errors import UserError
from audiobook.providers import LLMProvider, TTSProvider

ENTRY_POINT_GROUP = "audiobook"
BUILTIN_PLUGINS = ("audiobook.builtins.tone",)


@dataclass
class PluginInfo:
    name: str
    version: str
    tts: list[str] = field(default_factory=list)
    llm: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class Registry:
    plugins: list[PluginInfo] = field(default_factory=list)
    tts: dict[str, type[TTSProvider]] = field(default_factory=dict)
    llm: dict[str, type[LLMProvider]] = field(default_factory=dict)

    def tts_class(self, name: str) -> type[TTSProvider]:
        return self._lookup(self.tts, name, "TTS")

    def llm_class(self, name: str) -> type[LLMProvider]:
        return self._lookup(self.llm, name, "LLM")

    def _lookup(self, table: dict, name: str, kind: str):
        if name in table:
            return table[name]
        broken = [p for p in self.plugins if p.error and p.name == name]
        if broken:
            raise UserError(
                f"the {kind} plugin '{name}' is installed but broken: {broken[0].error}"
            )
        known = ", ".join(sorted(table)) or "none"
        raise UserError(f"unknown {kind} provider '{name}' (installed: {known})")


def _wanted() -> set[str] | None:
    raw = os.environ.get("AUDIOBOOK_PLUGINS")
    if raw is None:
        return None
    return {n.strip() for n in raw.split(",") if n.strip()}


def _builtin_name(module: str) -> str:
    return module.rsplit(".", 1)[-1]


def _candidates() -> Iterable[tuple[str, str, object]]:
    """(name, version, loader) for every built-in and installed plugin."""
    from audiobook import __version__

    for module in BUILTIN_PLUGINS:
        yield (
            _builtin_name(module),
            f"{__version__} (built-in)",
            lambda m=module: importlib.import_module(m),
        )
    seen: set[str] = set()
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in seen:
            continue
        seen.add(ep.name)
        version = ep.dist.version if ep.dist else "?"
        yield ep.name, version, ep.load


def load_registry() -> Registry:
    pm = pluggy.PluginManager("audiobook")
    pm.add_hookspecs(hookspecs)
    registry = Registry()
    wanted = _wanted()
    for name, version, loader in _candidates():
        if wanted is not None and name not in wanted:
            continue
        info = PluginInfo(name, version)
        registry.plugins.append(info)
        try:
            module = loader()
            pm.register(module, name=name)
        except Exception as e:  # a broken plugin must not take the CLI down
            info.error = f"failed to load: {type(e).__name__}: {e}"
            continue
        _collect(pm, name, info, registry)
    return registry


def _collect(pm: pluggy.PluginManager, name: str, info: PluginInfo, registry: Registry) -> None:
    plugin = pm.get_plugin(name)
    for hook_name, base, table, names in (
        ("register_tts_providers", TTSProvider, registry.tts, info.tts),
        ("register_llm_providers", LLMProvider, registry.llm, info.llm),
    ):
        hook = getattr(pm.hook, hook_name)
        impls = [i for i in hook.get_hookimpls() if i.plugin is plugin]
        for impl in impls:

            def register(cls, _base=base, _table=table, _names=names) -> None:
                _validate_provider(cls, _base, _table)
                _table[cls.name] = cls
                _names.append(cls.name)

            try:
                impl.function(register=register)
            except Exception as e:
                info.error = f"{hook_name} failed: {type(e).__name__}: {e}"


def _validate_provider(cls, base: type, table: dict) -> None:
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise TypeError(f"{cls!r} is not a subclass of {base.__name__}")
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name:
        raise TypeError(f"{cls.__name__} has no name")
    if name in table:
        raise ValueError(f"a provider named '{name}' is already registered")
    if getattr(cls, "__abstractmethods__", None):
        missing = ", ".join(sorted(cls.__abstractmethods__))
        raise TypeError(f"{cls.__name__} does not implement {missing}")
