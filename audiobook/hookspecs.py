"""The extension points of audiobook: plugins register LLM and TTS providers."""

import pluggy

hookspec = pluggy.HookspecMarker("audiobook")
hookimpl = pluggy.HookimplMarker("audiobook")


@hookspec
def register_llm_providers(register):
    """Register LLM provider classes by calling register(ProviderClass)."""


@hookspec
def register_tts_providers(register):
    """Register TTS provider classes by calling register(ProviderClass)."""
