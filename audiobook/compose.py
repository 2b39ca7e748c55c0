"""Assemble the chosen plugins' Compose snippets into one file that runs the backends.

Each backend gets its image, named volumes, healthcheck and restart policy from its plugin.
Here they are put together: every backend joins an internal network (`backend`) where they
reach each other; those that publish a port also join `edge`, and every published port is
bound to 127.0.0.1. With `gpu`, services that can use one get an NVIDIA reservation (and
their GPU image when the plugin names one).
"""

from __future__ import annotations

import copy
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audiobook.errors import UserError

GPU_RESERVATION = {
    "resources": {
        "reservations": {"devices": [{"driver": "nvidia", "count": "all", "capabilities": ["gpu"]}]}
    }
}
PORT = re.compile(
    r"^(?:(?P<ip>[\d.]+|\[[^\]]+\]):)?(?P<host>\$\{[^}]+\}|[^:]+):(?P<container>\d+)(?:/\w+)?$"
)
DEFAULT_PORT = re.compile(r"\$\{[A-Z_]+:-(\d+)\}")


@dataclass
class ComposeResult:
    document: dict[str, Any]
    config_lines: list[str] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)  # env variable -> "llm.NAME" it is for


def _loopback_port(spec: Any, service: str) -> str:
    text = str(spec)
    m = PORT.match(text)
    if not m:
        raise UserError(f"compose snippet for '{service}': cannot read port '{text}'")
    if m.group("ip") not in (None, "127.0.0.1"):
        raise UserError(f"compose snippet for '{service}' publishes on {m.group('ip')}")
    return f"127.0.0.1:{m.group('host')}:{m.group('container')}"


def host_port(service: dict) -> str | None:
    for spec in service.get("ports") or []:
        m = PORT.match(str(spec))
        if m:
            host = m.group("host")
            default = DEFAULT_PORT.fullmatch(host)
            return default.group(1) if default else host
    return None


def build(snippets: list[tuple[str, str, dict]], gpu: bool) -> ComposeResult:
    """snippets: (kind, provider name, snippet). Returns the merged document and config lines."""
    services: dict[str, Any] = {}
    volumes: dict[str, Any] = {}
    lines: list[str] = []
    keys: dict[str, str] = {}
    for kind, name, snippet in snippets:
        snippet = copy.deepcopy(snippet or {})
        url_path = ""  # what the client's base_url ends in, as the snippet declares ("/v1")
        for service_name, service in (snippet.get("services") or {}).items():
            url_path = url_path or service.get("x-audiobook-url-path", "")
            if service_name in services:
                raise UserError(f"two plugins define the Compose service '{service_name}'")
            if service.get("x-audiobook-gpu-only") and not gpu:
                raise UserError(
                    f"{name} runs on an NVIDIA GPU only: add --gpu, or choose a backend that "
                    "runs on a CPU (--llm ollama)"
                )
            if key := service.get("x-audiobook-api-key"):
                keys[key] = f"{kind}.{name}"
            service = _prepare(service_name, service, gpu)
            services[service_name] = service
        for volume, spec in (snippet.get("volumes") or {}).items():
            volumes[volume] = spec or {}
        lines += _config_lines(kind, name, snippet.get("services") or {}, url_path)
        lines += [f"# {kind}.{name}.api_key: the {k} that `audiobook compose -o` writes to .env"
                  f" (export AUDIOBOOK_{kind.upper()}_{name.upper()}_API_KEY=...)"
                  for k, owner in keys.items() if owner == f"{kind}.{name}"]  # fmt: skip
    if not services:
        raise UserError("none of the chosen providers runs a server: nothing to compose")
    document: dict[str, Any] = {
        "name": "audiobook",
        "services": services,
        "networks": {"backend": {"internal": True}, "edge": {}},
    }
    if volumes:
        document["volumes"] = volumes
    return ComposeResult(document, lines, keys)


def _prepare(name: str, service: dict, gpu: bool) -> dict:
    uses_gpu = bool(service.pop("x-audiobook-gpu", False))
    gpu_image = service.pop("x-audiobook-gpu-image", None)
    # A one-shot job (fetching a model) runs once, needs the internet and no healthcheck.
    one_shot = bool(service.pop("x-audiobook-one-shot", False))
    for key in [k for k in service if k.startswith("x-audiobook")]:
        service.pop(key)
    if gpu and gpu_image:
        service["image"] = gpu_image
        uses_gpu = True
    if gpu and uses_gpu:
        service["deploy"] = copy.deepcopy(GPU_RESERVATION)
    ports = [_loopback_port(p, name) for p in service.get("ports") or []]
    if ports:
        service["ports"] = ports
    service["networks"] = ["backend", "edge"] if ports or one_shot else ["backend"]
    if one_shot:
        service["restart"] = "no"
        return service
    service.setdefault("restart", "unless-stopped")
    if "healthcheck" not in service:
        raise UserError(f"the Compose service '{name}' has no healthcheck")
    return service


def _config_lines(kind: str, name: str, services: dict, url_path: str) -> list[str]:
    published = [s for s in services.values() if s.get("ports")]
    if not published:
        return []
    port = host_port(published[0])
    return [f"[{kind}.{name}]", f'base_url = "http://127.0.0.1:{port}{url_path}"', ""]


def skipped(registry, llm: str | None, tts: str | None) -> list[str]:
    """Why a chosen backend is not in the file: it runs no server of its own."""
    found = []
    for kind, name in (("llm", llm), ("tts", tts)):
        if name and not [x for x in snippets_for(registry, *((name, None) if kind == "llm"
                                                             else (None, name)))]:  # fmt: skip
            found.append(
                f"{kind} {name} runs no server here (it is in process, or talks to the endpoint "
                f"you set as {kind}.{name}.base_url)"
            )
    return found


def snippets_for(registry, llm: str | None, tts: str | None) -> list[tuple[str, str, dict]]:
    chosen: list[tuple[str, str, dict]] = []
    for kind, name in (("llm", llm), ("tts", tts)):
        if not name:
            continue
        cls = registry.llm_class(name) if kind == "llm" else registry.tts_class(name)
        try:
            snippet = cls().compose()
        except Exception as e:  # a plugin bug: name it
            raise UserError(f"the {name} plugin could not give its Compose snippet: {e}") from None
        if snippet:
            chosen.append((kind, name, snippet))
    return chosen


def write_keys(env_file: Path, keys: dict[str, str]) -> list[str]:
    """Random API keys for the servers that take one, added to `env_file` (Compose reads the
    .env beside the compose file): a key already there is kept, never overwritten, and no key
    is printed in full. Returns what to tell the user."""
    if not keys:
        return []
    text = env_file.read_text(encoding="utf-8") if env_file.exists() else ""
    present = {line.split("=", 1)[0].strip() for line in text.splitlines() if "=" in line}
    told = []
    added = []
    for var, owner in keys.items():
        if var not in present:
            added.append(f"{var}={secrets.token_urlsafe(32)}")
        told.append(
            f"{owner}: the server requires the key {var} in {env_file}"
            f"{' (new)' if var not in present else ''}; give it to audiobook as "
            f"AUDIOBOOK_{owner.upper().replace('.', '_')}_API_KEY"
        )
    if added:
        body = text + ("" if not text or text.endswith("\n") else "\n") + "\n".join(added) + "\n"
        fd = os.open(env_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(body)
    return told
