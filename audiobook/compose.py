"""Assemble the chosen plugins' Compose snippets into one file that runs the backends.

Each backend gets its image, named volumes, healthcheck and restart policy from its plugin.
Here they are put together: every backend joins an internal network (`backend`) where they
reach each other; those that publish a port also join `edge`, and every published port is
bound to 127.0.0.1. With `gpu`, services that can use one get an NVIDIA reservation (and
their GPU image when the plugin names one).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
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
    for kind, name, snippet in snippets:
        snippet = copy.deepcopy(snippet or {})
        for service_name, service in (snippet.get("services") or {}).items():
            if service_name in services:
                raise UserError(f"two plugins define the Compose service '{service_name}'")
            service = _prepare(service_name, service, gpu)
            services[service_name] = service
        for volume, spec in (snippet.get("volumes") or {}).items():
            volumes[volume] = spec or {}
        lines += _config_lines(kind, name, snippet.get("services") or {})
    if not services:
        raise UserError("none of the chosen providers runs a server: nothing to compose")
    document: dict[str, Any] = {
        "name": "audiobook",
        "services": services,
        "networks": {"backend": {"internal": True}, "edge": {}},
    }
    if volumes:
        document["volumes"] = volumes
    return ComposeResult(document, lines)


def _prepare(name: str, service: dict, gpu: bool) -> dict:
    uses_gpu = bool(service.pop("x-audiobook-gpu", False))
    gpu_image = service.pop("x-audiobook-gpu-image", None)
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
    service["networks"] = ["backend", "edge"] if ports else ["backend"]
    service.setdefault("restart", "unless-stopped")
    if "healthcheck" not in service:
        raise UserError(f"the Compose service '{name}' has no healthcheck")
    return service


def _config_lines(kind: str, name: str, services: dict) -> list[str]:
    published = [s for s in services.values() if s.get("ports")]
    if not published:
        return []
    port = host_port(published[0])
    suffix = "/v1" if name in ("vllm", "tgi") else ""
    return [f"[{kind}.{name}]", f'base_url = "http://127.0.0.1:{port}{suffix}"', ""]


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
