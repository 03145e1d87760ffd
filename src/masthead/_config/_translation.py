"""The ``[translation]`` settings: machine pre-fill of the catalogs."""

from __future__ import annotations

from dataclasses import dataclass

from ._declare import ATTEMPTS, BOOLEAN, ENV_NAME, RETRY_DELAY, TEXT, Check, setting, url

_EXAMPLE_PROVIDERS = ("libre", "google", "mymemory", "microsoft", "baidu")
"""The providers named in examples and help: each one is one that ``masthead translate`` accepts."""


@dataclass(frozen=True)
class TranslationSettings:
    """Machine translation: which provider pre-fills untranslated messages, and whether it is published."""

    provider: str | None = setting(
        None,
        check=Check(lambda v: isinstance(v, str) and bool(v), "a provider name such as 'libre'"),
        help="The provider 'masthead translate' uses (--provider overrides it): "
        + ", ".join(_EXAMPLE_PROVIDERS[:-1]) + " or " + _EXAMPLE_PROVIDERS[-1] + ".",
        example="libre",
    )  # fmt: skip
    api_key_env: str | None = setting(
        None,
        check=ENV_NAME,
        help="The name of the environment variable holding the provider's key, never the key itself "
        "(default: the provider's own, such as LIBRE_API_KEY).",
        example="LIBRE_API_KEY",
    )
    base_url: str | None = setting(
        None, check=url(), help="Your LibreTranslate server.", example="http://localhost:5000/"
    )
    secret_env: str | None = setting(
        None,
        check=ENV_NAME,
        help="The name of the environment variable holding a provider's second value (Baidu's app key).",
        example="BAIDU_APPKEY",
    )
    region: str | None = setting(
        None,
        check=TEXT,
        help="The Azure region of a Microsoft Translator resource.",
        example="westeurope",
    )
    max_attempts: int = setting(
        6,
        check=ATTEMPTS,
        help="Tries per request on rate limits and server errors before a run stops (its work is saved).",
    )
    retry_delay: float = setting(
        1.0,
        check=RETRY_DELAY,
        help="Seconds before the first retry; each further retry waits twice as long (at most a minute).",
    )
    publish_machine: bool = setting(
        False,
        check=BOOLEAN,
        help="Publish machine translations (readers are told so) instead of the source language's text.",
    )
