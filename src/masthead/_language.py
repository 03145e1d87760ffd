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
    # Babel quietly drops a script or region subtag it does not know ("zh-Hnas" parses as zh):
    # a tag with one is a typo, not a language.
    known = Locale("en")
    for subtag in tag.replace("_", "-").split("-")[1:]:
        script = len(subtag) == 4 and subtag.isalpha()
        region = (len(subtag) == 2 and subtag.isalpha()) or (len(subtag) == 3 and subtag.isdigit())
        if (script and subtag.title() not in known.scripts) or (
            region and subtag.upper() not in known.territories
        ):
            raise ValueError(f"unknown language tag {tag!r}")
    name = locale.get_display_name(locale) or tag
    return Language(
        tag=tag.replace("_", "-"),
        catalog_name=str(locale),
        direction="rtl" if locale.text_direction == "rtl" else "ltr",
        display_name=name,
    )
