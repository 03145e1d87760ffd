"""The machine translation providers deep-translator offers, what each needs, and which ones work.

Each provider is a :class:`Provider`: its deep-translator client, where its key comes from, how long
a request may be, and, for the clients that cannot work with deep-translator 1.11.4, why not and what
to use instead. :func:`open_client` turns settings into a ready client, or raises a
:class:`TranslationError` before any work starts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from babel import Locale

from .._config import TranslationSettings
from .._language import Language
from ._errors import TranslationError

Client = Any
"""A deep-translator translator instance (the package has no type hints)."""


@dataclass(frozen=True)
class Provider:
    name: str
    title: str
    module: str
    """The deep-translator module holding the client, such as ``libre``."""
    key_env: str | None = None
    """The conventional environment variable for the key; ``None`` when no key is used."""
    secret_env: str | None = None
    """The conventional environment variable for a second value (a secret beside an id)."""
    key_required: bool = False
    max_chars: int = 4500
    """The longest text sent in one request; longer messages are split at sentence boundaries."""
    utf8_limit: bool = False
    """Whether ``max_chars`` counts UTF-8 bytes rather than characters."""
    languages: str | None = None
    """The name of the deep-translator table mapping language names to this provider's codes."""
    broken: str | None = None
    """Why deep-translator 1.11.4's client cannot work, if it cannot."""
    instead: str = "use 'libre' (a LibreTranslate server), 'google', 'microsoft', 'baidu' or 'mymemory'"

    def measure(self, text: str) -> int:
        return len(text.encode("utf-8")) if self.utf8_limit else len(text)


PROVIDERS: dict[str, Provider] = {
    p.name: p
    for p in (
        Provider("google", "Google Translate (web)", "google", max_chars=4500,
                 languages="GOOGLE_LANGUAGES_TO_CODES"),
        Provider("mymemory", "MyMemory", "mymemory", key_env=None, max_chars=480, utf8_limit=True,
                 languages="MY_MEMORY_LANGUAGES_TO_CODES"),
        Provider("libre", "LibreTranslate", "libre", key_env="LIBRE_API_KEY", max_chars=2000,
                 languages="LIBRE_LANGUAGES_TO_CODES"),
        Provider("microsoft", "Microsoft Translator", "microsoft", key_env="MICROSOFT_API_KEY",
                 key_required=True, max_chars=9000),
        Provider("baidu", "Baidu Translate", "baidu", key_env="BAIDU_APPID", secret_env="BAIDU_APPKEY",
                 key_required=True, max_chars=1800, utf8_limit=True, languages="BAIDU_LANGUAGE_TO_CODE"),
        Provider("deepl", "DeepL", "deepl", key_env="DEEPL_API_KEY", key_required=True,
                 languages="DEEPL_LANGUAGE_TO_CODE",
                 broken="deep-translator 1.11.4 sends the DeepL key as an auth_key query parameter in a GET "
                 "request; DeepL has refused both since 15 January 2026 (only POST with an "
                 "'Authorization: DeepL-Auth-Key' header works)"),
        Provider("yandex", "Yandex Translate", "yandex", key_env="YANDEX_API_KEY", key_required=True,
                 broken="deep-translator 1.11.4 calls Yandex Translate API v1.5 "
                 "(translate.yandex.net/api/v1.5), which Yandex has closed; its successor is the "
                 "Yandex Cloud API, which the client does not speak"),
        Provider("papago", "Naver Papago", "papago", key_env="PAPAGO_CLIENT_ID",
                 secret_env="PAPAGO_CLIENT_SECRET", key_required=True,
                 broken="deep-translator 1.11.4 calls openapi.naver.com/v1/papago/n2mt, the NAVER "
                 "Developers Papago API that Naver shut down on 29 February 2024 (Papago moved to NAVER "
                 "Cloud Platform, with other addresses and headers)"),
        Provider("tencent", "Tencent Machine Translation", "tencent", key_env="TENCENT_SECRET_ID",
                 secret_env="TENCENT_SECRET_KEY", key_required=True,
                 broken="deep-translator 1.11.4 has no Tencent client (there is no "
                 "deep_translator.tencent module in this release)"),
        Provider("qcri", "QCRI", "qcri", key_env="QCRI_API_KEY", key_required=True,
                 broken="deep-translator 1.11.4's QCRI client cannot be trusted with a batch: translate() "
                 "fails without a 'domain' argument, turns every HTTP error into a silent None "
                 "(the exception is built but never raised), and knows only Arabic, English and Spanish"),
        Provider("chatgpt", "ChatGPT (OpenAI)", "chatgpt", key_env="OPENAI_API_KEY", key_required=True,
                 broken="deep-translator 1.11.4 calls openai.ChatCompletion, which the openai package "
                 "removed in version 1.0 (and openai is not installed here); it also wraps the text in "
                 "a prompt whose answer is not reliably the bare translation"),
    )
}  # fmt: skip

ALIASES = {"libretranslate": "libre", "openai": "chatgpt", "bing": "microsoft", "azure": "microsoft"}


def provider(name: str | None) -> Provider:
    """The provider called ``name``, or a :class:`TranslationError` naming the known ones."""
    if not name:
        raise TranslationError(
            "no machine translation provider chosen",
            hint="set [translation] provider in masthead.toml or pass --provider; providers: "
            + ", ".join(p.name for p in PROVIDERS.values() if not p.broken),
        )
    key = ALIASES.get(name.lower(), name.lower())
    if key in PROVIDERS:
        return PROVIDERS[key]
    close = get_close_matches(key, list(PROVIDERS), n=1)
    raise TranslationError(
        f"unknown translation provider {name!r}",
        hint=(f"did you mean {close[0]!r}? " if close else "")
        + "providers: "
        + ", ".join(p.name for p in PROVIDERS.values() if not p.broken),
    )


def refuse_broken(spec: Provider) -> None:
    if spec.broken:
        raise TranslationError(
            f"the {spec.title} provider cannot be used: {spec.broken}",
            hint=spec.instead,
        )


@dataclass(frozen=True)
class Credentials:
    key: str | None
    secret: str | None


def credentials(spec: Provider, settings: TranslationSettings, env: Mapping[str, str]) -> Credentials:
    """Read the provider's key (and secret) from the environment variables the settings name."""
    key_env = settings.api_key_env or spec.key_env
    secret_env = settings.secret_env or spec.secret_env
    key = env.get(key_env, "").strip() or None if key_env else None
    secret = env.get(secret_env, "").strip() or None if secret_env else None
    needs_key = spec.key_required or (
        spec.name == "libre" and (settings.api_key_env or not settings.base_url)
    )
    if needs_key and not key:
        if spec.name == "libre" and not settings.base_url:
            raise TranslationError(
                "LibreTranslate has no server: [translation] base_url is not set, and the public "
                f"server needs an API key ({key_env} is not set)",
                hint="set [translation] base_url to your own LibreTranslate server, such as "
                f"'http://localhost:5000', or export {key_env}=... for the public one",
            )
        raise TranslationError(
            f"{spec.title} needs an API key, and the environment variable {key_env} is not set",
            hint=f"export {key_env}=...; the variable's name is [translation] api_key_env in "
            "masthead.toml; keys are never read from files",
        )
    if spec.secret_env and spec.key_required and not secret:
        raise TranslationError(
            f"{spec.title} needs a second value, and the environment variable {secret_env} is not set",
            hint=f"export {secret_env}=...; the variable's name is [translation] secret_env in masthead.toml",
        )
    return Credentials(key, secret)


def language_code(spec: Provider, table: Mapping[str, str], language: Language) -> str:
    """This provider's code for ``language``: the tag, a regional or script variant, or by its name."""
    locale = language.locale
    base = locale.language
    candidates = [language.tag]
    if locale.script == "Hans":
        candidates += ["zh-CN", "zh-Hans", "zh"]
    elif locale.script == "Hant":
        candidates += ["zh-TW", "zh-Hant", "zh-HK"]
    if locale.territory:
        candidates.append(f"{base}-{locale.territory}")
    candidates += [base, f"{base}-{base.upper()}"]
    if base == "he":
        candidates.append("iw")
    codes = {code.lower(): code for code in table.values()}
    for candidate in candidates:
        if candidate.lower() in codes:
            return codes[candidate.lower()]
    names = {name.lower(): code for name, code in table.items()}
    for english in (locale.english_name, Locale(base).english_name):
        if english and english.lower() in names:
            return names[english.lower()]
    for code in table.values():
        if code.lower().split("-")[0] == base:
            return code
    raise TranslationError(
        f"{spec.title} does not translate {language.display_name} ({language.tag})",
        hint="choose another provider with --provider",
    )


def language_table(spec: Provider) -> dict[str, str] | None:
    if spec.languages is None:
        return None
    from deep_translator import constants

    table: dict[str, str] = getattr(constants, spec.languages)
    return table


_Factory = Callable[[Provider, TranslationSettings, Credentials, str, str], Client]


def _google(spec: Provider, s: TranslationSettings, c: Credentials, source: str, target: str) -> Client:
    from deep_translator import GoogleTranslator

    return GoogleTranslator(source=source, target=target)


def _mymemory(spec: Provider, s: TranslationSettings, c: Credentials, source: str, target: str) -> Client:
    from deep_translator import MyMemoryTranslator

    return MyMemoryTranslator(source=source, target=target)


def _libre(spec: Provider, s: TranslationSettings, c: Credentials, source: str, target: str) -> Client:
    from deep_translator import LibreTranslator

    url = s.base_url.rstrip("/") + "/" if s.base_url else None
    # The client refuses to start without a key even for a server that needs none; such a server
    # ignores the placeholder.
    return LibreTranslator(
        source=source, target=target, api_key=c.key or "none", use_free_api=False, custom_url=url
    )


def _microsoft(spec: Provider, s: TranslationSettings, c: Credentials, source: str, target: str) -> Client:
    from deep_translator import MicrosoftTranslator

    return MicrosoftTranslator(source=source, target=target, api_key=c.key, region=s.region)


def _baidu(spec: Provider, s: TranslationSettings, c: Credentials, source: str, target: str) -> Client:
    from deep_translator import BaiduTranslator

    return BaiduTranslator(source=source, target=target, appid=c.key, appkey=c.secret)


FACTORIES: dict[str, _Factory] = {
    "google": _google,
    "mymemory": _mymemory,
    "libre": _libre,
    "microsoft": _microsoft,
    "baidu": _baidu,
}
