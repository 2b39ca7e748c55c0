"""Helpers for TTS plugins that talk to a speech server over HTTP: turning a response into
`Audio` by what its bytes are (servers mislabel: Piper's answers WAV as text/html), and
catching the replies that look like success but are not (an empty 44-byte WAV, a JSON error
under a 200, a WAV cut short).
"""

from __future__ import annotations

import json
import struct

import requests

from audiobook.http import error_message
from audiobook.providers import Audio, ProviderError

WAV_HEADER = 44


def sniff(data: bytes) -> str | None:
    """The container or codec the bytes start with, or None for raw/unknown."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[:4] == b"fLaC":
        return "flac"
    if data[:4] == b"OggS":
        return "ogg"
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "mp3"
    if data[:1] in (b"{", b"[") or data[:15].lower().startswith((b"<!doctype", b"<html")):
        return "text"
    return None


def wav_audio(name: str, data: bytes) -> Audio:
    """Decode a WAV reply, refusing an empty one and one whose data was cut short."""
    if len(data) <= WAV_HEADER:
        raise ProviderError(
            f"{name} returned an empty WAV ({len(data)} bytes): is its model server up?",
            retryable=True,
        )
    declared = _declared_data_size(data)
    if declared is not None and declared != 0xFFFFFFFF and len(data) < WAV_HEADER + declared:
        raise ProviderError(
            f"{name} returned a truncated WAV ({len(data)} of {WAV_HEADER + declared} bytes)",
            retryable=True,
        )
    audio = Audio.from_wav(data)
    if not audio.pcm:
        raise ProviderError(f"{name} returned a WAV with no samples", retryable=True)
    return audio


def _declared_data_size(data: bytes) -> int | None:
    pos = 12
    while pos + 8 <= len(data):
        chunk, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        if chunk == b"data":
            return size
        pos += 8 + size + (size & 1)
    return None


def audio_from_response(
    name: str, response: requests.Response, *, pcm_rate: int | None = None
) -> Audio:
    """Audio from a speech response, decoded as what was asked for: raw 16-bit PCM when
    `pcm_rate` says the server was asked for it (whatever its first bytes look like: a first
    sample of -1 is ff ff, which a sniffer takes for MP3), else WAV here and other codecs by
    the core's ffmpeg. An error text (JSON, HTML) is an error, whatever was asked for."""
    data = response.content
    kind = sniff(data)
    if kind == "wav":  # also a server that wraps PCM in a WAV header anyway
        return wav_audio(name, data)
    if _error_body(data, response.headers.get("content-type", ""), raw=bool(pcm_rate)):
        raise ProviderError(
            f"{name} answered {response.status_code} without audio: {_text(data)}", retryable=False
        )
    if pcm_rate:
        if not data:
            raise ProviderError(f"{name} returned no audio", retryable=True)
        return Audio(pcm=data[: len(data) // 2 * 2], sample_rate=pcm_rate)
    if kind in ("flac", "ogg", "mp3"):
        return Audio(encoded=data, encoding=kind)
    content_type = response.headers.get("content-type", "none")
    raise ProviderError(f"{name} returned data that is not audio (content type {content_type})")


def _error_body(data: bytes, content_type: str, *, raw: bool) -> bool:
    """A reply that is a message, not sound. Raw PCM can begin with any bytes, so there only
    the content type or a body that parses as JSON tells."""
    if content_type.split(";")[0].strip().lower() in ("application/json", "text/plain"):
        return True
    if not raw:
        return sniff(data) == "text"
    if data[:1] in (b"{", b"["):
        try:
            json.loads(data)
            return True
        except ValueError:
            return False
    return data[:15].lower().startswith((b"<!doctype", b"<html"))


def _text(data: bytes) -> str:
    try:
        body = json.loads(data)
    except ValueError:
        body = None
    return error_message(body, data[:400].decode("utf-8", "replace"))


def voice_ids(name: str, base: str) -> list[str]:
    """Voice ids from GET {base}/v1/audio/voices, in either shape servers use: {"voices":
    [{"id", "name"}]} (current Kokoro-FastAPI) or a bare list of ids or objects."""
    from audiobook.http import json_body, request

    body = json_body(name, request(name, "GET", f"{base}/v1/audio/voices", timeout=(3, 30)))
    items = body.get("voices", []) if isinstance(body, dict) else body
    ids = []
    for item in items if isinstance(items, list) else []:
        voice_id = item.get("id") or item.get("name") if isinstance(item, dict) else item
        if isinstance(voice_id, str):
            ids.append(voice_id)
    if not ids:
        raise ProviderError(f"{name} at {base} lists no voices")
    return ids
