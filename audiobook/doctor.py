"""`audiobook doctor`: one line per check, what is wrong and how to fix it."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

from audiobook.errors import UserError


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    required: bool = True


def run_checks(config_file=None, overrides=None) -> list[Check]:
    from audiobook.config import load_settings
    from audiobook.plugins import load_registry

    checks = [_python()]
    checks.append(_ffmpeg())
    registry = load_registry()
    for plugin in registry.plugins:
        if plugin.error:
            checks.append(
                Check(
                    f"plugin {plugin.name}",
                    False,
                    f"{plugin.error} (reinstall it, or remove it)",
                    required=False,
                )
            )
        else:
            provided = ", ".join(
                [f"tts {n}" for n in plugin.tts] + [f"llm {n}" for n in plugin.llm]
            )
            checks.append(Check(f"plugin {plugin.name}", True, f"{plugin.version}: {provided}"))
    try:
        settings = load_settings(registry, config_file, overrides)
    except UserError as e:
        checks.append(Check("config", False, str(e)))
        return checks
    where = settings.config_file or "no config file (defaults and environment)"
    checks.append(Check("config", True, str(where)))
    tts = settings.get("tts.provider")
    checks.append(_provider("tts", tts, registry, settings))
    llm = settings.get("llm.provider")
    if llm:
        checks.append(_provider("llm", llm, registry, settings))
    else:
        checks.append(Check("llm", True, "none configured: rule-based analysis", required=False))
    return checks


def _python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 11)
    return Check("python", ok, version if ok else f"{version}: audiobook needs Python 3.11+")


def _ffmpeg() -> Check:
    from audiobook.render.ffmpeg import ffmpeg_exe

    try:
        exe = ffmpeg_exe()
        proc = subprocess.run(
            [exe, "-hide_banner", "-encoders"], capture_output=True, text=True, timeout=30
        )
    except (UserError, OSError, subprocess.TimeoutExpired) as e:
        return Check("ffmpeg", False, f"{e}; reinstall imageio-ffmpeg")
    if " aac " not in proc.stdout:
        return Check("ffmpeg", False, f"{exe} has no AAC encoder; reinstall imageio-ffmpeg")
    return Check("ffmpeg", True, exe)


def _provider(kind: str, name: str, registry, settings) -> Check:
    label = f"{kind} {name}"
    try:
        cls = registry.tts_class(name) if kind == "tts" else registry.llm_class(name)
        provider = cls(**settings.provider_settings(kind, name))
        health = provider.health()
        if not health.ok:
            return Check(label, False, health.detail)
        if kind == "tts":
            voices = provider.voices()
            return Check(label, True, f"{health.detail}; {len(voices)} voices")
        return Check(label, True, health.detail)
    except UserError as e:
        return Check(label, False, str(e))
    except Exception as e:  # report, do not crash: this command exists to diagnose
        return Check(label, False, f"{type(e).__name__}: {e}")
