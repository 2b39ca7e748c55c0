"""Settings: defaults < config file < AUDIOBOOK_* environment < CLI flags.

The config file is TOML:

    [tts]
    provider = "piper"        # which TTS plugin speaks
    voice = "en_US-joe-medium"
    [tts.piper]               # options of that provider, validated against what it declares
    voices_dir = "~/piper-voices"
    [llm]
    provider = ""             # none: rule-based analysis
    [output]
    bitrate = "64k"

Every setting is addressed by a dotted key (`tts.voice`, `tts.piper.voices_dir`); the matching
environment variable is AUDIOBOOK_ plus the key in upper case with dots as underscores
(AUDIOBOOK_TTS_PIPER_VOICES_DIR), and `tts.provider` / `llm.provider` are AUDIOBOOK_TTS /
AUDIOBOOK_LLM. On the command line, `--set KEY=VALUE` sets any of them.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from audiobook.errors import UserError
from audiobook.providers import Option

CONFIG_NAME = "audiobook.toml"
SECRET_WORDS = ("api_key", "apikey", "token", "password", "secret")


def default_work_dir() -> Path:
    return Path(platformdirs.user_cache_dir("audiobook")) / "jobs"


CORE_OPTIONS: dict[str, Option] = {
    "tts.provider": Option("tts.provider", str, "piper", "TTS plugin that speaks the book"),
    "tts.voice": Option("tts.voice", str, "", "narrator voice id (empty: the provider's first)"),
    "tts.speed": Option("tts.speed", float, 1.0, "speaking rate, 1.0 is the voice's own"),
    "tts.concurrency": Option(
        "tts.concurrency", int, 0, "clips in flight at once (0: what the provider says)"
    ),
    "tts.qa": Option(
        "tts.qa", str, "length", "clip checks: length (by each voice's pace) or asr (also by ear)"
    ),
    "tts.wait_ready": Option(
        "tts.wait_ready", float, 600.0, "seconds to wait for a server still loading its model"
    ),
    "llm.provider": Option("llm.provider", str, "", "LLM plugin for analysis (empty: rules)"),
    "llm.wait_ready": Option(
        "llm.wait_ready", float, 600.0, "seconds to wait for a server still loading its model"
    ),
    "llm.concurrency": Option(
        "llm.concurrency", int, 4, "LLM requests in flight at once (Ollama: OLLAMA_NUM_PARALLEL)"
    ),
    "llm.required": Option(
        "llm.required", bool, False, "fail instead of falling back to the rules when it fails"
    ),
    "llm.ask_tagged": Option(
        "llm.ask_tagged", bool, False, "also ask about quotes whose tag names one person"
    ),
    "output.format": Option(
        "output.format", str, None, "m4b, mp3 or opus (default: from -o's name, else m4b)"
    ),
    "output.bitrate": Option("output.bitrate", str, "64k", "bitrate of the audio (AAC, MP3, Opus)"),
    "output.loudness": Option("output.loudness", float, -18.0, "target loudness in LUFS"),
    "output.paragraph_pause": Option("output.paragraph_pause", float, 0.6, "seconds"),
    "output.chapter_pause": Option("output.chapter_pause", float, 2.0, "seconds"),
    "output.work_dir": Option(
        "output.work_dir", Path, None, "where clips are kept so runs resume (default: user cache)"
    ),
}
SECTIONS = {"tts", "llm", "output"}


BITRATE = re.compile(r"\d{2,3}k|\d{4,6}")
# What each core value may be: checked where it is read, so `config` and `doctor` fail on it.
CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "tts.speed": (lambda v: 0.25 <= v <= 4, "from 0.25 to 4"),
    "tts.qa": (lambda v: v in ("length", "asr"), "length or asr"),
    "tts.concurrency": (lambda v: v >= 0, "0 (the provider's own) or more"),
    "tts.wait_ready": (lambda v: v >= 0, "0 or more seconds"),
    "llm.concurrency": (lambda v: v >= 1, "1 or more"),
    "llm.wait_ready": (lambda v: v >= 0, "0 or more seconds"),
    "output.format": (lambda v: v in ("m4b", "mp3", "opus"), "m4b, mp3 or opus"),
    "output.bitrate": (lambda v: bool(BITRATE.fullmatch(v)), 'a bitrate such as "64k"'),
    "output.loudness": (lambda v: -70 <= v <= -5, "a loudness from -70 to -5 LUFS"),
    "output.paragraph_pause": (lambda v: 0 <= v <= 10, "from 0 to 10 seconds"),
    "output.chapter_pause": (lambda v: 0 <= v <= 30, "from 0 to 30 seconds"),
}
IGNORED_ENV = ("AUDIOBOOK_PLUGINS", "AUDIOBOOK_CONFIG", "AUDIOBOOK_SHARED")


@dataclass
class Settings:
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    config_file: Path | None = None
    unknown_env: list[str] = field(default_factory=list)  # AUDIOBOOK_* naming no setting

    def __repr__(self) -> str:  # a logged or printed Settings never shows a key
        shown = {k: mask(k, v) for k, v in sorted(self.values.items())}
        return f"Settings(values={shown!r}, config_file={self.config_file!r})"

    def get(self, key: str) -> Any:
        return self.values.get(key, CORE_OPTIONS[key].default if key in CORE_OPTIONS else None)

    @property
    def work_dir(self) -> Path:
        return self.get("output.work_dir") or default_work_dir()

    def provider_settings(self, kind: str, name: str) -> dict[str, Any]:
        prefix = f"{kind}.{name}."
        return {k[len(prefix) :]: v for k, v in self.values.items() if k.startswith(prefix)}


def is_secret(key: str) -> bool:
    last = key.rsplit(".", 1)[-1].lower()
    return any(word in last for word in SECRET_WORDS)


def mask(key: str, value: Any) -> Any:
    """The value to show for a setting: a key or token set is shown as ****."""
    return "****" if is_secret(key) and value else value


def coerce(value: Any, option: Option, where: str) -> Any:
    """Convert `value` to the option's type, or raise a UserError naming where it came from."""
    kind = option.type
    try:
        if kind is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError
        if kind is int:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return int(value)
        if kind is float:
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        if kind is Path:
            return Path(os.path.expanduser(str(value))) if str(value) else None
        if kind is list:
            return (
                list(value)
                if isinstance(value, list)
                else [s.strip() for s in str(value).split(",") if s.strip()]
            )
        if isinstance(value, (dict, list)):
            raise ValueError
        return str(value)
    except (TypeError, ValueError):
        expected = {bool: "true or false", int: "a whole number", float: "a number"}.get(
            kind, f"a {kind.__name__}"
        )
        raise UserError(f"{where}: '{option.name}' must be {expected}, got {value!r}") from None


def find_config_file(explicit: str | Path | None) -> Path | None:
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise UserError(f"config file not found: {path}")
        return path
    env = os.environ.get("AUDIOBOOK_CONFIG")
    if env:
        return find_config_file(env)
    local = Path.cwd() / CONFIG_NAME
    if local.is_file():
        return local
    user = Path(platformdirs.user_config_dir("audiobook")) / "config.toml"
    return user if user.is_file() else None


def _flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return _flatten(tomllib.load(f))
    except tomllib.TOMLDecodeError as e:
        raise UserError(f"{path}: not valid TOML: {e}") from None
    except OSError as e:
        raise UserError(f"{path}: cannot read: {e.strerror}") from None


def _from_env(providers: dict[str, set[str]], unknown: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for var, value in os.environ.items():
        if not var.startswith("AUDIOBOOK_") or var in IGNORED_ENV:
            continue
        rest = var[len("AUDIOBOOK_") :].lower()
        key = _env_key(rest, providers)
        if key:
            found[key] = value
        else:
            unknown.append(var)
    return found


def env_warning(var: str, registry) -> str:
    """One line for an AUDIOBOOK_* variable that sets nothing, with the nearest that would."""
    names = ["AUDIOBOOK_" + k.upper().replace(".", "_") for k in CORE_OPTIONS]
    for kind, table in (("tts", registry.tts), ("llm", registry.llm)):
        for name, cls in table.items():
            for o in cls.options:
                names.append(f"AUDIOBOOK_{kind}_{name}_{o.name}".upper().replace("-", "_"))
    close = difflib.get_close_matches(var, names, n=1, cutoff=0.8)
    hint = f"; did you mean {close[0]}?" if close else " (is its plugin installed?)"
    return f"warning: {var} is set but matches no setting{hint}"


def _check_value(key: str, value: Any, source: str, registry) -> None:
    if key in ("tts.provider", "llm.provider"):
        kind = key.split(".")[0]
        table = registry.tts if kind == "tts" else registry.llm
        if value in table or (kind == "llm" and value in ("", "none")):
            return
        close = difflib.get_close_matches(str(value), list(table), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise UserError(
            f"{source}: {key}: unknown {kind.upper()} provider '{value}' (installed: "
            f"{', '.join(sorted(table)) or 'none'}){hint}"
        )
    check = CHECKS.get(key)
    if check is not None and value is not None and not check[0](value):
        raise UserError(f"{source}: {key} = {value!r} must be {check[1]}")


def _env_key(rest: str, providers: dict[str, set[str]]) -> str | None:
    if rest in ("tts", "llm"):
        return f"{rest}.provider"
    section, _, tail = rest.partition("_")
    if section not in SECTIONS or not tail:
        return None
    if f"{section}.{tail}" in CORE_OPTIONS:
        return f"{section}.{tail}"
    for name in sorted(providers.get(section, ()), key=len, reverse=True):
        token = name.lower().replace("-", "_") + "_"
        if tail.startswith(token):
            return f"{section}.{name}.{tail[len(token) :]}"
    return None


def load_settings(
    registry,
    config_file: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> Settings:
    """Merge every source and validate each key against the core and the providers' options."""
    providers = {"tts": set(registry.tts), "llm": set(registry.llm)}
    settings = Settings()
    path = find_config_file(config_file)
    settings.config_file = path
    layers = []
    if path:
        layers.append((str(path), _read_file(path)))
    layers.append(("environment", _from_env(providers, settings.unknown_env)))
    layers.append(("command line", {k: v for k, v in (overrides or {}).items() if v is not None}))
    for source, values in layers:
        for key, value in values.items():
            option = _option_for(key, registry, source)
            if option is None:
                continue
            settings.values[key] = coerce(value, option, source)
            settings.sources[key] = source
    for key, value in settings.values.items():
        _check_value(key, value, settings.sources[key], registry)
    return settings


def _option_for(key: str, registry, source: str) -> Option | None:
    if key in CORE_OPTIONS:
        return CORE_OPTIONS[key]
    parts = key.split(".")
    if parts[0] in ("tts", "llm") and len(parts) == 3:
        kind, name, opt = parts
        table = registry.tts if kind == "tts" else registry.llm
        if name not in table:
            if source == "command line":
                raise UserError(f"{source}: '{key}': no {kind.upper()} provider named '{name}'")
            # A section for a plugin that is not installed right now is kept out of the way.
            return None
        options = {o.name: o for o in table[name].options}
        if opt in options:
            o = options[opt]
            return Option(key, o.type, o.default, o.help, o.secret)
        known = ", ".join(sorted(options)) or "none"
        raise UserError(f"{source}: unknown setting '{key}' ({name} accepts: {known})")
    known = ", ".join(sorted(CORE_OPTIONS))
    raise UserError(f"{source}: unknown setting '{key}' (known: {known}, and [tts.NAME] options)")


def parse_assignments(pairs: tuple[str, ...]) -> dict[str, str]:
    result = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--set expects KEY=VALUE, got '{pair}'")
        result[key.strip()] = value.strip()
    return result
