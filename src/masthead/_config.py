"""Settings: ``masthead.toml``, validated in one place, every problem reported at once."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from ._errors import ConfigError, MastheadError, raise_all
from ._language import Language, language

CONFIG_FILE = "masthead.toml"

PAGE_SIZES = {"A3", "A4", "A5", "B4", "B5", "letter", "legal", "ledger"}
PDF_VARIANTS = {
    "pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/a-4b", "pdf/ua-1", "pdf/x-1a",
    "pdf/x-3", "pdf/x-4",
}  # fmt: skip
_LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt|px)$|^0$")


@dataclass(frozen=True)
class PrintSettings:
    page_size: str = "A4"
    bleed: str = "0"
    crop_marks: bool = False
    pdf_variant: str | None = None


@dataclass(frozen=True)
class CatalogSettings:
    threshold: float = 80.0
    """Percent of an issue's messages that must be translated for a language to be built."""


@dataclass(frozen=True)
class TranslationSettings:
    """Machine translation: which provider pre-fills untranslated messages, and whether it is published."""

    provider: str | None = None
    api_key_env: str | None = None
    """Name of the environment variable holding the provider's key (never the key itself)."""
    base_url: str | None = None
    """For self-hosted providers such as LibreTranslate."""
    secret_env: str | None = None
    """Name of the environment variable holding a provider's second value (Baidu's app key)."""
    region: str | None = None
    """The Azure region of a Microsoft Translator resource, such as ``westeurope``."""
    max_attempts: int = 6
    """Tries per request on rate limits and server errors before a run stops (its work is saved)."""
    retry_delay: float = 1.0
    """Seconds before the first retry; each further retry waits twice as long (at most a minute)."""
    publish_machine: bool = False
    """Publish machine translations (readers are told) instead of falling back to the source."""


@dataclass(frozen=True)
class EmailSettings:
    sender: str | None = None
    """The From address, optionally with a display name: ``Name <address>``. Until it is set, the email
    build uses a placeholder and ``masthead send`` refuses to send by SMTP."""
    reply_to: str | None = None
    list_id: str | None = None
    """The List-Id header's identifier, such as ``news.example.org``; derived from base_url if unset."""
    unsubscribe_mailto: str | None = None
    postal_address: str | None = None
    """The organisation's address line in every email's footer."""

    @property
    def sender_is_set(self) -> bool:
        """Whether ``[email] sender`` is set in masthead.toml (rather than left to the placeholder)."""
        return self.sender is not None


@dataclass(frozen=True)
class DeliverySettings:
    database: str = "subscribers.sqlite3"
    transport: str = "smtp"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_security: str = "none"
    """``none``, ``starttls`` or ``tls`` (implicit TLS)."""
    username_env: str | None = None
    password_env: str | None = None
    secret_env: str = "MASTHEAD_SECRET"
    """Environment variable holding the secret that signs unsubscribe tokens."""
    rate_per_second: float = 20.0
    connections: int = 2
    maildir: str = "outbox"
    max_attempts: int = 5
    """Tries per message on temporary failures (4xx replies, dropped connections) before moving on."""
    retry_delay: float = 1.0
    """Seconds before the first retry; each further retry waits twice as long (at most a minute)."""
    pause_after_failures: int = 20
    """Failures in a row after which a campaign pauses (resume it with ``masthead send`` again)."""


@dataclass(frozen=True)
class Config:
    """A workspace's settings, with paths resolved against the workspace root."""

    root: Path
    names: tuple[str, ...]
    """The newsletter's name, in one or more scripts; the first is the primary one."""
    publisher: str
    source_language: Language
    languages: tuple[Language, ...]
    """Every language to publish, the source language first."""
    base_url: str
    output: Path
    print: PrintSettings = field(default_factory=PrintSettings)
    local_names: tuple[tuple[str, str], ...] = ()
    """The newsletter's name as readers of a language know it, by BCP 47 tag."""
    catalogs: CatalogSettings = field(default_factory=CatalogSettings)
    translation: TranslationSettings = field(default_factory=TranslationSettings)
    email: EmailSettings = field(default_factory=EmailSettings)
    delivery: DeliverySettings = field(default_factory=DeliverySettings)

    @property
    def name(self) -> str:
        return self.names[0]

    def name_for(self, language: Language) -> str:
        """The newsletter's name for readers of ``language``: its local name if it has one."""
        return dict(self.local_names).get(language.tag, self.name)

    def names_for(self, language: Language) -> tuple[str, ...]:
        """The names on the masthead of ``language``'s edition: its own name first, then the
        primary one, so that every edition shows the newsletter's name in two scripts."""
        local = self.name_for(language)
        return tuple(dict.fromkeys((local, *self.names)))[:2] if local != self.name else self.names[:2]

    @property
    def issues_dir(self) -> Path:
        return self.root / "issues"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    def language(self, tag: str) -> Language:
        """The configured language with this tag, or a :class:`MastheadError` listing the known ones."""
        for lang in self.languages:
            if lang.tag.lower() == tag.replace("_", "-").lower():
                return lang
        known = ", ".join(lang.tag for lang in self.languages)
        raise MastheadError(
            f"language {tag!r} is not configured",
            path=self.root / CONFIG_FILE,
            hint=f"configured languages: {known}; add it to [newsletter] languages",
        )


# What each table may hold: key -> (check, description of what is expected).
_Check = Callable[[Any], bool]
_SCHEMA: dict[str, dict[str, tuple[_Check, str]]] = {
    "newsletter": {
        "name": (
            lambda v: (
                (isinstance(v, str) and bool(v.strip()))
                or (isinstance(v, list) and bool(v) and all(isinstance(s, str) and s for s in v))
            ),
            "a name, or a list of names in different scripts",
        ),
        "publisher": (lambda v: isinstance(v, str) and bool(v.strip()), "the publisher's name"),
        "source_language": (lambda v: isinstance(v, str), "a BCP 47 language tag such as 'en'"),
        "languages": (
            lambda v: isinstance(v, list) and all(isinstance(s, str) for s in v),
            "a list of BCP 47 tags such as ['en', 'zh-Hans', 'ar']",
        ),
        "base_url": (
            lambda v: isinstance(v, str) and re.match(r"^https?://[^/\s]+", v) is not None,
            "an absolute http(s) URL where the web editions are published",
        ),
        "output": (lambda v: isinstance(v, str) and bool(v), "a folder, relative to the workspace"),
        "local_names": (
            lambda v: isinstance(v, dict) and all(isinstance(n, str) and n for n in v.values()),
            'a table of names by language, such as { zh-Hans = "...", ar = "..." }',
        ),
    },
    "print": {
        "page_size": (lambda v: v in PAGE_SIZES, "one of " + ", ".join(sorted(PAGE_SIZES))),
        "bleed": (
            lambda v: isinstance(v, str) and _LENGTH.match(v) is not None,
            "a length such as '3mm' or '0'",
        ),
        "crop_marks": (lambda v: isinstance(v, bool), "true or false"),
        "pdf_variant": (
            lambda v: v == "" or v in PDF_VARIANTS,
            "'' or one of " + ", ".join(sorted(PDF_VARIANTS)),
        ),
    },
    "catalogs": {
        "threshold": (
            lambda v: isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 100,
            "a percentage between 0 and 100",
        ),
    },
}
_TEXT = (lambda v: isinstance(v, str) and bool(v.strip()), "text")
_ENV_NAME = (
    lambda v: isinstance(v, str) and re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", v) is not None,
    "the name of an environment variable, such as 'DEEPL_API_KEY'",
)
_URL = (lambda v: isinstance(v, str) and re.match(r"^https?://[^/\s]+", v) is not None, "an http(s) URL")
# Retries double their wait up to a minute; past 20 tries a message or a request is not worth holding on to.
_ATTEMPTS = (lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 20, "1 to 20")
_RETRY_DELAY = (
    lambda v: isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 60,
    "seconds, 0 to 60",
)
_SCHEMA["translation"] = {
    "provider": (lambda v: isinstance(v, str) and bool(v), "a provider name such as 'libre' or 'deepl'"),
    "api_key_env": _ENV_NAME,
    "base_url": _URL,
    "secret_env": _ENV_NAME,
    "region": _TEXT,
    "max_attempts": _ATTEMPTS,
    "retry_delay": _RETRY_DELAY,
    "publish_machine": (lambda v: isinstance(v, bool), "true or false"),
}
_SCHEMA["email"] = {
    "sender": (lambda v: isinstance(v, str) and "@" in v, "an address, such as 'News <news@example.org>'"),
    "reply_to": (lambda v: isinstance(v, str) and "@" in v, "an address"),
    "list_id": _TEXT,
    "unsubscribe_mailto": (lambda v: isinstance(v, str) and "@" in v, "an address"),
    "postal_address": _TEXT,
}
_SCHEMA["delivery"] = {
    "database": _TEXT,
    "transport": (lambda v: v in ("smtp", "maildir"), "'smtp' or 'maildir'"),
    "smtp_host": _TEXT,
    "smtp_port": (lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 < v < 65536, "a port"),
    "smtp_security": (lambda v: v in ("none", "starttls", "tls"), "'none', 'starttls' or 'tls'"),
    "username_env": _ENV_NAME,
    "password_env": _ENV_NAME,
    "secret_env": _ENV_NAME,
    "rate_per_second": (
        lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v > 0,
        "messages per second, a positive number",
    ),
    "connections": (lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 32, "1 to 32"),
    "maildir": _TEXT,
    "max_attempts": _ATTEMPTS,
    "retry_delay": _RETRY_DELAY,
    "pause_after_failures": (
        lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
        "1 or more",
    ),
}
_REQUIRED = {"newsletter": ("name", "source_language", "base_url")}


def load_config(root: Path | str = ".") -> Config:
    """Read and validate ``masthead.toml`` in ``root``; raise every problem found at once."""
    root = Path(root).resolve()
    path = root / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            "no masthead.toml here",
            path=path,
            hint="run masthead in a workspace, or create one with 'masthead init DIR'",
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigError(
            f"not valid TOML: {exc}",
            path=path,
            line=int(match.group(1)) if match else None,
            hint="see https://toml.io for the syntax",
        ) from None
    problems: list[MastheadError] = []

    def problem(message: str, table: str, key: str | None, hint: str | None = None) -> None:
        problems.append(ConfigError(message, path=path, line=_line_of(text, table, key), hint=hint))

    for table, value in data.items():
        if table not in _SCHEMA:
            problem(f"unknown table [{table}]", table, None, _suggest(table, _SCHEMA))
        elif not isinstance(value, dict):
            problem(f"{table} must be a table: [{table}]", table, None)
    for table, keys in _SCHEMA.items():
        values = data.get(table, {})
        if not isinstance(values, dict):
            continue
        for key, value in values.items():
            if key not in keys:
                problem(f"unknown setting {key!r} in [{table}]", table, key, _suggest(key, keys))
                continue
            check, expected = keys[key]
            if not check(value):
                problem(f"[{table}] {key} = {value!r} is not valid", table, key, f"expected {expected}")
        for key in _REQUIRED.get(table, ()):
            if key not in values:
                problem(f"[{table}] has no {key}", table, None, f"add {key} = {keys[key][1]}")

    news = data.get("newsletter", {}) if isinstance(data.get("newsletter"), dict) else {}
    languages: list[Language] = []
    tags = [news.get("source_language", "en")]
    extra = news.get("languages", [])
    tags += extra if isinstance(extra, list) else []
    for tag in tags:
        if not isinstance(tag, str):
            continue
        try:
            lang = language(tag)
        except ValueError:
            key = "source_language" if tag == tags[0] else "languages"
            problem(
                f"unknown language tag {tag!r}",
                "newsletter",
                key,
                "use a BCP 47 tag such as 'en', 'fr', 'zh-Hans', 'zh-Hant', 'pt-BR' or 'ar'",
            )
            continue
        if lang not in languages:
            languages.append(lang)
    local_names = news.get("local_names", {})
    for tag in local_names if isinstance(local_names, dict) else ():
        try:
            language(tag)
        except ValueError:
            problem(f"unknown language tag {tag!r} in local_names", "newsletter", "local_names")
    raise_all(problems)

    names = news["name"]
    prints = data.get("print", {})
    return Config(
        root=root,
        names=(names,) if isinstance(names, str) else tuple(names),
        publisher=news.get("publisher", names if isinstance(names, str) else names[0]),
        source_language=languages[0],
        languages=tuple(languages),
        base_url=news["base_url"].rstrip("/") + "/",
        output=root / news.get("output", "build"),
        local_names=tuple((language(tag).tag, name) for tag, name in news.get("local_names", {}).items()),
        print=PrintSettings(
            page_size=prints.get("page_size", "A4"),
            bleed=prints.get("bleed", "0"),
            crop_marks=prints.get("crop_marks", False),
            pdf_variant=prints.get("pdf_variant") or None,
        ),
        catalogs=CatalogSettings(**data.get("catalogs", {})),
        translation=TranslationSettings(**data.get("translation", {})),
        email=EmailSettings(**data.get("email", {})),
        delivery=DeliverySettings(**data.get("delivery", {})),
    )


def _suggest(word: str, known: Any) -> str:
    close = get_close_matches(word, list(known), n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    return "known: " + ", ".join(sorted(known))


def _line_of(text: str, table: str, key: str | None) -> int | None:
    """The line where ``key`` is set in ``[table]`` (or the table header), for error messages."""
    current = ""
    header_line = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            current = stripped.strip("[] ")
            if current == table:
                header_line = number
            continue
        if current == table and key and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
    return header_line
