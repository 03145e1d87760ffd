"""Languages: BCP 47 tags in settings, gettext names for catalogs, Babel for everything else."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError


@dataclass(frozen=True)
class Language:
    """One language a newsletter is published in."""

    tag: str
    """The BCP 47 tag used in settings, ``lang`` attributes and output paths (``zh-Hans``)."""
    catalog_name: str
    """The gettext name used for catalog folders (``zh_Hans``)."""
    direction: str
    """``ltr`` or ``rtl``."""
    display_name: str
    """The language's name in itself (``中文``, ``العربية``)."""

    @property
    def locale(self) -> Locale:
        return _locale(self.catalog_name)

    @property
    def is_rtl(self) -> bool:
        return self.direction == "rtl"

    @property
    def is_cjk(self) -> bool:
        return self.locale.language in {"zh", "ja", "ko"}


@cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@cache
def language(tag: str) -> Language:
    """Return the :class:`Language` for a BCP 47 tag; raise ``ValueError`` if Babel does not know it."""
    try:
        locale = Locale.parse(tag.replace("_", "-"), sep="-")
    except (ValueError, UnknownLocaleError) as exc:
        raise ValueError(f"unknown language tag {tag!r}") from exc
    name = locale.get_display_name(locale) or tag
    return Language(
        tag=tag.replace("_", "-"),
        catalog_name=str(locale),
        direction="rtl" if locale.text_direction == "rtl" else "ltr",
        display_name=name,
    )
