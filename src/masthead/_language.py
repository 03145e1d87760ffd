"""Languages: BCP 47 tags in settings, gettext names for catalogs, Babel for everything else."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

_SCRIPTS_WITH_ITALICS = frozenset({"Latn", "Cyrl", "Grek"})
"""Scripts whose fonts have true italic forms; any other would be slanted by the renderer."""


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

    @property
    def script(self) -> str:
        """The ISO 15924 code of the script the language is written in (``Latn``, ``Arab``, ``Hant``):
        the tag's own, else the one CLDR gives as likely (``zh-TW`` writes ``Hant``)."""
        locale = self.locale
        if locale.script:
            return str(locale.script)
        likely = get_global("likely_subtags")
        for key in (f"{locale.language}_{locale.territory}", locale.language):
            parts = str(likely.get(key, "")).split("_")
            if len(parts) > 1 and len(parts[1]) == 4:
                return parts[1]
        return ""

    @property
    def has_italics(self) -> bool:
        """Whether the script has italics to emphasise with; the others (Arabic, Hebrew, CJK,
        Devanagari, Thai...) emphasise by weight or marks, never by slanting upright letters."""
        return self.script in _SCRIPTS_WITH_ITALICS


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


def find_language(tag: str, languages: Iterable[Language]) -> Language | None:
    """The one of ``languages`` that ``tag`` names, or ``None``: the one rule every lookup follows
    (settings, command options, URLs, forms, subscribers' preferences), so that ``zh-hans``,
    ``zh_Hans`` and ``ZH-HANS`` all name ``zh-Hans`` wherever a reader or editor writes them."""
    wanted = tag.strip().replace("_", "-").lower()
    return next((lang for lang in languages if lang.tag.lower() == wanted), None)
