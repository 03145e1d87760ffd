"""The settings of a workspace, each declared once: its type, default, check, help and example."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cache
from pathlib import Path
from typing import Any

from .._errors import MastheadError
from .._language import Language
from ._declare import (
    ADDRESS,
    BOOLEAN,
    ENV_NAME,
    NAMED_ADDRESS,
    TEXT,
    Check,
    number,
    one_of,
    resolved,
    setting,
    url,
    whole,
)

CONFIG_FILE = "masthead.toml"

PAGE_SIZES = ("A3", "A4", "A5", "B4", "B5", "legal", "ledger", "letter", "tabloid")
_CSS_PAGE_SIZES = {"tabloid": "ledger"}
"""Page sizes known by another name in CSS: a tabloid is CSS's ledger, 11 by 17 inches."""


@cache
def pdf_variants() -> tuple[str, ...]:
    """The PDF standards the installed WeasyPrint writes, by its own names (``pdf/a-3b``, ``pdf/ua-1``).
    Imported only when a workspace asks for one: WeasyPrint is slow to import."""
    from weasyprint.pdf import VARIANTS

    return tuple(name for name in VARIANTS if name.startswith("pdf/"))


def _is_pdf_variant(value: Any) -> bool:
    return value == "" or (isinstance(value, str) and value.lower() in pdf_variants())


def _explain_pdf_variant(value: Any) -> str:
    import weasyprint

    known = pdf_variants()
    close = get_close_matches(str(value).lower(), known, n=1)
    guess = f"did you mean {close[0]!r}? " if close else ""
    return f"{guess}WeasyPrint {weasyprint.__version__} writes {', '.join(known)}; '' for none"


PDF_VARIANT = Check(
    _is_pdf_variant,
    "'' or a PDF standard that the installed WeasyPrint writes, by its name: pdf/a-3b, pdf/ua-1, pdf/x-4...",
    explain=_explain_pdf_variant,
)
_LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt|px)$|^0$")
_EXAMPLE_PROVIDERS = ("libre", "google", "mymemory", "microsoft", "baidu")
"""The providers named in examples and help: each one is one that ``masthead translate`` accepts."""
# Retries double their wait up to a minute; past 20 tries a message or a request is not worth holding on to.
_ATTEMPTS = whole(1, 20)
_RETRY_DELAY = number("seconds, 0 to 60", high=60)


def _names(value: Any) -> bool:
    return (isinstance(value, str) and bool(value.strip())) or (
        isinstance(value, list) and bool(value) and all(isinstance(s, str) and s for s in value)
    )


def _local_names(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(n, str) and n for n in value.values())


@dataclass(frozen=True)
class PrintSettings:
    page_size: str = setting(
        "A4", check=one_of(PAGE_SIZES), help="The PDF's page size (tabloid is 11 by 17 inches, as ledger)."
    )
    bleed: str = setting(
        "0",
        check=Check(lambda v: isinstance(v, str) and bool(_LENGTH.match(v)), "a length such as '3mm' or '0'"),
        help='Paper added around each page for a print shop to trim, such as "3mm"; "0" for none.',
    )
    crop_marks: bool = setting(False, check=BOOLEAN, help="Crop marks in the bleed, for a print shop.")
    pdf_variant: str | None = setting(
        None,
        check=PDF_VARIANT,
        help="A PDF standard to meet: PDF/A to archive, PDF/UA for accessibility, PDF/X for print. "
        "Every PDF is tagged (structure, reading order, alt texts) whatever this says.",
        example="pdf/a-3b",
        parse=lambda value: value.lower() or None,
    )

    @property
    def css_page_size(self) -> str:
        """The page size as CSS names it, for ``@page { size: ... }``."""
        return _CSS_PAGE_SIZES.get(self.page_size, self.page_size)


@dataclass(frozen=True)
class CatalogSettings:
    threshold: float = setting(
        80.0,
        check=number("a percentage between 0 and 100", high=100),
        help="Percent of an issue's messages that must be translated for a language to be built "
        "('masthead build --force' builds it anyway).",
    )


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
        check=_ATTEMPTS,
        help="Tries per request on rate limits and server errors before a run stops (its work is saved).",
    )
    retry_delay: float = setting(
        1.0,
        check=_RETRY_DELAY,
        help="Seconds before the first retry; each further retry waits twice as long (at most a minute).",
    )
    publish_machine: bool = setting(
        False,
        check=BOOLEAN,
        help="Publish machine translations (readers are told so) instead of the source language's text.",
    )


@dataclass(frozen=True)
class EmailSettings:
    sender: str | None = setting(
        None,
        check=NAMED_ADDRESS,
        help="The From address, with a display name if you like. Until it is set, the email is built "
        "with a placeholder and 'masthead send' refuses to send by SMTP.",
        example="Harbour Notes <news@harbour.example.org>",
    )
    reply_to: str | None = setting(
        None, check=NAMED_ADDRESS, help="The Reply-To address.", example="hello@harbour.example.org"
    )
    list_id: str | None = setting(
        None,
        check=TEXT,
        help="The List-Id header's identifier.",
        derived="the host of base_url",
        example="news.harbour.example.org",
    )
    unsubscribe_mailto: str | None = setting(
        None,
        check=ADDRESS,
        help="An address that unsubscribes whoever writes to it (adds a mailto: List-Unsubscribe).",
        example="unsubscribe@harbour.example.org",
    )
    postal_address: str | None = setting(
        None,
        check=TEXT,
        help="The organisation's postal address, in the footer of every email.",
        example="1 Pier Road, Harbourtown",
    )

    @property
    def sender_is_set(self) -> bool:
        """Whether ``[email] sender`` is set in masthead.toml (rather than left to the placeholder)."""
        return self.sender is not None


@dataclass(frozen=True)
class DeliverySettings:
    database: str = setting(
        "subscribers.sqlite3", check=TEXT, help="The subscriber store and send log (a SQLite file)."
    )
    transport: str = setting(
        "smtp",
        check=one_of(("smtp", "maildir")),
        help="How 'masthead send' delivers: smtp, or maildir to write every message to disk "
        "(--transport overrides it).",
    )
    smtp_host: str = setting("localhost", check=TEXT, help="Your SMTP relay.")
    smtp_port: int = setting(
        25, check=whole(1, 65535, "a port"), help="587 for starttls, 465 for tls, as your relay says."
    )
    smtp_security: str = setting(
        "none",
        check=one_of(("none", "starttls", "tls")),
        help="none, starttls, or tls (implicit TLS); the relay's certificate and name are checked.",
    )
    smtp_ca_file: str | None = setting(
        None,
        check=TEXT,
        help="A PEM file of the authorities to trust for the relay's certificate, instead of the "
        "system's (a relay with a certificate from a private authority); relative to the workspace.",
        example="relay-ca.pem",
    )
    smtp_verify: bool = setting(
        True,
        check=BOOLEAN,
        help="false: do not check the relay's certificate (only on a network you trust: anyone on the "
        "way could read the messages and the password).",
    )
    username_env: str | None = setting(
        None,
        check=ENV_NAME,
        help="The name of the environment variable holding the SMTP user name (no login without it).",
        example="SMTP_USER",
    )
    password_env: str | None = setting(
        None,
        check=ENV_NAME,
        help="The name of the environment variable holding the SMTP password.",
        example="SMTP_PASSWORD",
    )
    secret_env: str = setting(
        "MASTHEAD_SECRET",
        check=ENV_NAME,
        help="The name of the environment variable holding the secret that signs unsubscribe links "
        "(16 characters or more).",
    )
    rate_per_second: float = setting(
        20.0,
        check=number("messages per second, a positive number", above=True),
        help="Messages per second, at most.",
    )
    connections: int = setting(2, check=whole(1, 32), help="SMTP connections in parallel.")
    maildir: str = setting(
        "outbox", check=TEXT, help="The folder that 'masthead send --transport maildir' writes."
    )
    max_attempts: int = setting(
        5,
        check=_ATTEMPTS,
        help="Tries per message on temporary failures (4xx replies, dropped connections) before moving on.",
    )
    retry_delay: float = setting(
        1.0,
        check=_RETRY_DELAY,
        help="Seconds before the first retry; each further retry waits twice as long (at most a minute).",
    )
    pause_after_failures: int = setting(
        20,
        check=whole(1),
        help="Failures in a row after which a campaign pauses (run 'masthead send' again to resume).",
    )


_SELECTOR = re.compile(
    r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$"
)


def _dkim_keys(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and all(isinstance(k, str) and _SELECTOR.match(k) for k in value)
        and all(isinstance(v, str) and v.strip() for v in value.values())
    )


@dataclass(frozen=True)
class DkimSettings:
    keys: tuple[tuple[str, str], ...] | None = setting(
        None,
        parse=lambda value: tuple(value.items()),
        check=Check(
            _dkim_keys, 'a table of selector = "key file", such as { mail2026 = "dkim/mail2026.pem" }'
        ),
        help="DKIM signing: each selector with its private key file (PEM, RSA or Ed25519; relative to the "
        "workspace), one signature per key; publish each key's record (masthead doctor shows it).",
        example={"rsa2026": "dkim/rsa2026.pem", "ed2026": "dkim/ed2026.pem"},
    )
    domain: str | None = setting(
        None,
        check=Check(
            lambda v: isinstance(v, str) and re.match(r"^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$", v) is not None,
            "a domain name",
        ),
        help="The signing domain (d=), where the keys' records are published.",
        derived="the domain of [email] sender",
        example="harbour.example.org",
    )


@dataclass(frozen=True)
class BouncesSettings:
    return_path: str | None = setting(
        None,
        check=ADDRESS,
        help="The address returned mail goes to (the envelope sender). Each subscriber's messages carry "
        "their own, local+id@domain (VERP), so a bounce names who it is about.",
        derived="the address of [email] sender",
        example="bounces@harbour.example.org",
    )
    maildir: str | None = setting(
        None,
        check=TEXT,
        help="The Maildir that returned mail is delivered to, read by 'masthead bounces'.",
        example="/var/mail/bounces",
    )
    imap_host: str | None = setting(
        None,
        check=TEXT,
        help="Or an IMAP server that holds the returned mail.",
        example="imap.harbour.example.org",
    )
    imap_port: int = setting(993, check=whole(1, 65535, "a port"), help="993 for tls, 143 for starttls.")
    imap_security: str = setting(
        "tls", check=one_of(("tls", "starttls", "none")), help="tls (implicit), starttls, or none."
    )
    imap_folder: str = setting("INBOX", check=TEXT, help="The IMAP folder to read.")
    imap_ca_file: str | None = setting(
        None,
        check=TEXT,
        help="A PEM file of the authorities to trust for the IMAP server's certificate.",
        example="imap-ca.pem",
    )
    imap_user_env: str | None = setting(
        None, check=ENV_NAME, help="The name of the variable holding the IMAP user name.", example="IMAP_USER"
    )
    imap_password_env: str | None = setting(
        None,
        check=ENV_NAME,
        help="The name of the variable holding the IMAP password.",
        example="IMAP_PASSWORD",
    )
    soft_limit: int = setting(
        3,
        check=whole(1),
        help="Soft bounces (a full mailbox, a refusal by policy) that mark an address bounced...",
    )
    soft_days: int = setting(30, check=whole(1, 365), help="... when they come within this many days.")


@dataclass(frozen=True)
class WebSettings:
    """The readers' side (``masthead serve``): sign-up, confirmation, unsubscribe, archive."""

    host: str = setting(
        "127.0.0.1", check=TEXT, help="The address 'masthead serve' listens on (--host overrides it)."
    )
    port: int = setting(
        8000,
        check=whole(1, 65535, "a port"),
        help="The port 'masthead serve' listens on (--port overrides it).",
    )
    signups_per_hour: int = setting(
        5,
        check=whole(1, 10_000),
        help="Sign-up forms accepted per hour from one network address; more get 'try again later'.",
    )
    confirm_hours: int = setting(
        72,
        check=whole(1, 24 * 30),
        help="How long a confirmation link works; sign-ups not confirmed by then are deleted.",
    )
    forwarded_allow_ips: str = setting(
        "127.0.0.1",
        check=TEXT,
        help="The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, comma-separated "
        "('*' for any): the client address is what the sign-up limit counts and consent records keep.",
    )


@dataclass(frozen=True)
class Config:
    """A workspace's settings, with paths resolved against the workspace root.

    The ``[newsletter]`` settings are declared on the fields that hold them once resolved; the other
    tables are the dataclasses above.
    """

    root: Path
    names: tuple[str, ...] = resolved(
        key="name",
        check=Check(_names, "a name, or a list of names in different scripts"),
        help="The newsletter's name, or one name per script as on a bilingual masthead; the first is "
        "the primary one.",
        required=True,
        example=["Harbour Notes", "港口札记"],
    )
    publisher: str = resolved(
        check=Check(lambda v: isinstance(v, str) and bool(v.strip()), "the publisher's name"),
        help="Who publishes the newsletter: the author of the PDF and the web page, named in emails.",
        derived="the newsletter's name",
        example="Harbour Friends",
    )
    source_language: Language = resolved(
        check=Check(lambda v: isinstance(v, str), "a BCP 47 language tag such as 'en'"),
        help="The language the issues are written in.",
        required=True,
        example="en",
    )
    languages: tuple[Language, ...] = resolved(
        check=Check(
            lambda v: isinstance(v, list) and all(isinstance(s, str) for s in v),
            "a list of BCP 47 tags such as ['en', 'zh-Hans', 'ar']",
        ),
        help="Every language to publish; the source language is always one, and comes first.",
        derived="the source language only",
        example=["en", "zh-Hans", "ar", "fr"],
    )
    base_url: str = resolved(
        check=url("an absolute http(s) URL where the web editions are published"),
        help="Where the output folder is published: emails link to <base_url><slug>/<lang>/index.html.",
        required=True,
        example="https://harbour.example.org/news/",
    )
    output: Path = resolved(
        check=Check(
            lambda v: isinstance(v, str) and bool(v), "a folder, relative to the workspace or absolute"
        ),
        help="Where builds go (<output>/<slug>/<lang>/): a folder of its own, outside issues/, "
        "templates/ and locales/.",
        default="build",
    )
    local_names: tuple[tuple[str, str], ...] = resolved(
        check=Check(_local_names, 'a table of names by language, such as { zh-Hans = "...", ar = "..." }'),
        help="The newsletter's name as readers of a language know it, shown first on that edition's "
        "masthead.",
        example={"zh-Hans": "港口札记", "ar": "ملاحظات الميناء"},
    )
    print: PrintSettings = field(default_factory=PrintSettings)
    catalogs: CatalogSettings = field(default_factory=CatalogSettings)
    translation: TranslationSettings = field(default_factory=TranslationSettings)
    email: EmailSettings = field(default_factory=EmailSettings)
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    dkim: DkimSettings = field(default_factory=DkimSettings)
    bounces: BouncesSettings = field(default_factory=BouncesSettings)
    web: WebSettings = field(default_factory=WebSettings)

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


TABLES: dict[str, type] = {
    "newsletter": Config,
    "print": PrintSettings,
    "catalogs": CatalogSettings,
    "translation": TranslationSettings,
    "email": EmailSettings,
    "delivery": DeliverySettings,
    "dkim": DkimSettings,
    "bounces": BouncesSettings,
    "web": WebSettings,
}
"""Every table of masthead.toml and the dataclass that declares its settings."""
