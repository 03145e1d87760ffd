"""The settings of a workspace: the ``[newsletter]`` table, declared on :class:`Config` itself, and
every other table's dataclass gathered under it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._errors import MastheadError
from .._language import Language, find_language
from ._declare import Check, resolved, url
from ._editions import CatalogSettings, PrintSettings
from ._images import ImageSettings
from ._mail import BouncesSettings, DeliverySettings, DkimSettings, EmailSettings, SubscribersSettings
from ._translation import TranslationSettings
from ._web import WebSettings

CONFIG_FILE = "masthead.toml"


def _names(value: Any) -> bool:
    return (isinstance(value, str) and bool(value.strip())) or (
        isinstance(value, list) and bool(value) and all(isinstance(s, str) and s for s in value)
    )


def _local_names(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(n, str) and n for n in value.values())


def _postal_address(value: Any) -> bool:
    return (isinstance(value, str) and bool(value.strip())) or (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(a, str) and a.strip() for a in value.values())
    )


@dataclass(frozen=True)
class Config:
    """A workspace's settings, with paths resolved against the workspace root.

    The ``[newsletter]`` settings are declared on the fields that hold them once resolved; each other
    table is a dataclass of its own module.
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
        # ASCII: the URL goes into every email's List-Unsubscribe header as it is written.
        check=url(
            "an absolute http(s) URL where the web editions are published, in ASCII (a domain in its "
            "xn-- form, anything else in the path %-encoded)",
            ascii_only=True,
        ),
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
    postal_address: tuple[tuple[str, str], ...] = resolved(
        check=Check(
            _postal_address,
            'an address, or a table of addresses by language, such as { en = "...", zh-Hant = "..." }',
        ),
        help="The publisher's postal address, in the footer of every email (bulk-mail rules ask for it) "
        "and of the web page, and on the back page. A table gives a language the address's local form; "
        "the other languages get the source language's, which the table must have.",
        example={"en": "1 Pier Road, Harbourtown", "zh-Hans": "港口镇码头路1号"},
    )
    print: PrintSettings = field(default_factory=PrintSettings)
    images: ImageSettings = field(default_factory=ImageSettings)
    catalogs: CatalogSettings = field(default_factory=CatalogSettings)
    translation: TranslationSettings = field(default_factory=TranslationSettings)
    email: EmailSettings = field(default_factory=EmailSettings)
    subscribers: SubscribersSettings = field(default_factory=SubscribersSettings)
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

    def postal_address_for(self, language: Language) -> str | None:
        """The postal address as readers of ``language`` write it: its local form if it has one,
        else the source language's; ``None`` when the setting is not set."""
        addresses = dict(self.postal_address)
        return addresses.get(language.tag) or addresses.get(self.source_language.tag)

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
        found = find_language(tag, self.languages)
        if found is not None:
            return found
        known = ", ".join(lang.tag for lang in self.languages)
        raise MastheadError(
            f"language {tag!r} is not configured",
            path=self.root / CONFIG_FILE,
            hint=f"configured languages: {known}; add it to [newsletter] languages",
        )


TABLES: dict[str, type] = {
    "newsletter": Config,
    "print": PrintSettings,
    "images": ImageSettings,
    "catalogs": CatalogSettings,
    "translation": TranslationSettings,
    "email": EmailSettings,
    "subscribers": SubscribersSettings,
    "delivery": DeliverySettings,
    "dkim": DkimSettings,
    "bounces": BouncesSettings,
    "web": WebSettings,
}
"""Every table of masthead.toml and the dataclass that declares its settings."""
EDITION_TABLES = frozenset({"newsletter", "print", "images", "catalogs", "translation", "email"})
"""The tables whose settings can change an edition's bytes (its PDF, web page or email). The others
are about sending, returned mail and the reader service: changing them leaves every edition as built."""
