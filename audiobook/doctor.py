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


PROBE_TEXT = "Testing the voice: one, two, three."
PROBE_SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}


def _provider(kind: str, name: str, registry, settings) -> Check:
    label = f"{kind} {name}"
    try:
        return (_tts if kind == "tts" else _llm)(label, name, registry, settings)
    except UserError as e:
        return Check(label, False, str(e))
    except Exception as e:  # report, do not crash: this command exists to diagnose
        return Check(label, False, f"{type(e).__name__}: {e}")


def _tts(label: str, name: str, registry, settings) -> Check:
    """Health, voices and a real clip of a few words, checked like any clip, through the same
    endpoint pool as a run: each endpoint reported."""
    from audiobook.pipeline import make_tts
    from audiobook.providers import ProviderError
    from audiobook.render.narrator import synthesize_checked
    from audiobook.render.pool import EndpointPool

    provider = make_tts(registry, settings, name)
    inner = getattr(provider, "_inner", provider)
    members = inner.members if isinstance(inner, EndpointPool) else [inner]
    results = []
    for member in members:
        where = member.settings.get("base_url") or "in process"
        try:
            health = member.health()
            if not health.ok:
                results.append((False, f"{where}: {health.detail}"))
                continue
            voice = settings.get("tts.voice") or member.default_voice()
            audio = synthesize_checked(member, PROBE_TEXT, voice, 1.0)
            results.append((True, f"{where}: {health.detail}; {len(member.voices())} voices; "
                                  f"a {audio.duration:.1f} s test clip"))  # fmt: skip
        except ProviderError as e:
            results.append((False, f"{where}: {e}"))
    ok = all(good for good, _ in results)
    detail = "; ".join(text for _, text in results) if len(results) > 1 else results[0][1]
    if len(results) > 1:
        up = sum(good for good, _ in results)
        detail = f"{up} of {len(results)} endpoints work: {detail}"
        ok = up > 0  # a run goes on while one endpoint works
    return Check(label, ok, detail)


def _llm(label: str, name: str, registry, settings) -> Check:
    """Health, then a tiny structured completion: the server must answer JSON to a schema."""
    from audiobook.llm import ADVICE, LLMFailure, StructuredLLM

    cls = registry.llm_class(name)
    provider = cls(**settings.provider_settings("llm", name))
    health = provider.health()
    if not health.ok:
        return Check(label, False, health.detail)
    messages = [{"role": "user", "content": 'Reply with the JSON object {"ok": true}.'}]
    try:
        StructuredLLM(provider, attempts=2, base_delay=0.2).ask(
            messages, PROBE_SCHEMA, max_tokens=30
        )
    except LLMFailure as e:
        return Check(label, False, f"{health.detail}; a test completion failed: {e}. "
                                   f"{ADVICE[e.cause]}")  # fmt: skip
    return Check(label, True, f"{health.detail}; answers JSON to a schema")
