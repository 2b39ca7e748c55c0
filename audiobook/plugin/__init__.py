"""The plugin API: everything a backend plugin imports, in one place.

    from audiobook.plugin import TTSProvider, Voice, Audio, Option, hookimpl, HTTPService

Provider interfaces and value types (from `audiobook.providers`), the HTTP base a server-backed
provider mixes in and its helpers (`audiobook.http`, `audiobook.tts_http`), and the base of
OpenAI-compatible LLM servers (`audiobook.openai_compat`). Plugin tests use
`audiobook.plugin.testing` (a stub server, reply builders, the core's own checks, and pytest
fixtures). A test checks that no plugin imports anything else of the core: the rest are
internals and may change.
"""

from __future__ import annotations

from audiobook.http import HTTPService, explain, json_body, ndjson_lines, request
from audiobook.openai_compat import OpenAICompatibleProvider, openai_options
from audiobook.providers import (
    Audio,
    Completion,
    Health,
    LLMProvider,
    Option,
    ProviderError,
    TTSProvider,
    Voice,
    VoiceNotFound,
    hookimpl,
    load_compose,
)
from audiobook.tts_http import audio_from_response, voice_ids

__all__ = [
    "Audio",
    "Completion",
    "HTTPService",
    "Health",
    "LLMProvider",
    "OpenAICompatibleProvider",
    "Option",
    "ProviderError",
    "TTSProvider",
    "Voice",
    "VoiceNotFound",
    "audio_from_response",
    "explain",
    "hookimpl",
    "json_body",
    "load_compose",
    "ndjson_lines",
    "openai_options",
    "request",
    "voice_ids",
]
