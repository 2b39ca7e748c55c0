"""The backends a run uses: the TTS provider (one endpoint or several), the LLM, and the
narrator's voice, each checked before any work starts."""

from __future__ import annotations

from audiobook.config import Settings
from audiobook.errors import UserError
from audiobook.llm import StructuredLLM
from audiobook.llm_analysis import LLMReading
from audiobook.model import Book
from audiobook.plugins import Registry
from audiobook.providers import ProviderError, TTSProvider, VoiceNotFound
from audiobook.ready import Readiness, WaitingProvider
from audiobook.render.pool import EndpointPool
from audiobook.report import say
from audiobook.text.language import language_name
from audiobook.text.normalize import language_code


def make_llm(registry: Registry, settings: Settings, *, pull: bool = False) -> LLMReading | None:
    """The configured LLM, checked before any work starts; None for rule-based analysis."""
    name = settings.get("llm.provider")
    if not name or name == "none":
        return None
    concurrency = int(settings.get("llm.concurrency"))
    if concurrency < 1:
        raise UserError(f"llm.concurrency must be 1 or more, got {concurrency}")
    cls = registry.llm_class(name)
    options = settings.provider_settings("llm", name)
    if pull:
        if not any(option.name == "pull" for option in cls.options):
            raise UserError(f"--pull: the {name} provider does not download models itself")
        options["pull"] = True
    try:
        provider = cls(**options)
    except (TypeError, ProviderError) as e:
        raise UserError(f"{name}: {e}") from None
    try:
        provider.prepare(_pull_progress(name))
        health = Readiness(float(settings.get("llm.wait_ready")), say).health(provider)
    except ProviderError as e:
        if e.retryable:
            raise UserError(f"{e}; start it with: {provider.start_command()}") from None
        raise UserError(f"{name}: {e}" if name not in str(e) else str(e)) from None
    if not health.ok:
        raise UserError(health.detail if name in health.detail else f"{name}: {health.detail}")
    cache = settings.work_dir / "llm-cache"
    llm = StructuredLLM(provider, cache_dir=cache, max_in_flight=concurrency)
    return LLMReading(
        llm, required=bool(settings.get("llm.required")),
        ask_tagged=bool(settings.get("llm.ask_tagged")),
    )  # fmt: skip


def _pull_progress(name: str):
    shown = {"last": ""}

    def show(line: dict) -> None:
        total, done = line.get("total"), line.get("completed")
        text = line.get("status", "")
        if total and done is not None:
            text = f"{text} {done / total:4.0%} of {total / 1e9:.1f} GB"
        if text != shown["last"]:
            shown["last"] = text
            say(f"{name}: pulling model: {text}")

    return show


def make_tts(registry: Registry, settings: Settings, name: str | None = None) -> TTSProvider:
    name = name or settings.get("tts.provider")
    cls = registry.tts_class(name)
    options = settings.provider_settings("tts", name)
    urls = [u.strip() for u in str(options.get("base_url") or "").split(",") if u.strip()]
    try:
        if len(urls) > 1:  # several endpoints of one engine: used as one, least busy first
            provider: TTSProvider = EndpointPool([cls(**{**options, "base_url": u}) for u in urls])
        else:
            provider = cls(**options)
    except ProviderError as e:
        raise UserError(f"{name}: {e}") from None
    concurrency = int(settings.get("tts.concurrency") or 0)
    if concurrency > 0:
        provider.concurrency = concurrency
    wait = float(settings.get("tts.wait_ready"))
    if wait < 0:
        raise UserError(f"tts.wait_ready must be 0 or more seconds, got {wait:g}")
    return WaitingProvider(provider, Readiness(wait, say))  # type: ignore[return-value]


def provider_voices(provider: TTSProvider):
    try:
        return provider.voices()
    except ProviderError as e:
        raise UserError(f"{provider.name}: {e}") from None


def resolve_voice(provider: TTSProvider, voice: str | None) -> str:
    try:
        if not voice:
            return provider.default_voice()
        provider.check_voice(voice)
        return voice
    except VoiceNotFound as e:
        raise UserError(str(e)) from None
    except ProviderError as e:
        raise UserError(f"{provider.name}: {e}") from None


def check_language(book: Book, provider: TTSProvider) -> None:
    """A book no voice of the provider speaks is one clear line before any work, not hours
    of English rules and accent on French text."""
    if not book.language:
        return
    wanted = language_code(book.language)
    voices = provider_voices(provider)
    if not voices or any(v.language is None for v in voices):
        return  # a voice that does not say its language may speak it
    spoken = {language_code(v.language) for v in voices}
    if wanted in spoken:
        return
    name = language_name(wanted)
    raise UserError(
        f"{book.source.name} is in {name} ({book.language}), and no {provider.name} voice speaks "
        f"it (they speak {', '.join(sorted(spoken))}). Add a voice that does (Piper: a "
        f"voice folder in tts.piper.voices_dir; Kokoro: its {name} voices), choose another "
        "engine with --tts, or read it anyway with --voice VOICE."
    )


def narrator_voice(book: Book, provider: TTSProvider, voice: str | None) -> str:
    """The voice that reads the book: the one asked for, else the provider's default, which
    must speak the book's language."""
    if not voice:
        check_language(book, provider)
    return resolve_voice(provider, voice)
