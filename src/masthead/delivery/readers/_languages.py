"""Which built edition each subscriber receives.

The rules, in order (the first that finds a built edition wins):

1. **Exact**: the edition whose tag is the subscriber's language (``pt-BR`` gets ``pt-BR``).
2. **Same language, same script**, after filling in the likely script (CLDR likely subtags, through
   Babel: ``zh-TW`` is written in ``Hant``, ``zh`` and ``zh-SG`` in ``Hans``, ``sr`` in ``Cyrl``). Among
   those, the edition in the subscriber's region first, then the one without a region (``pt-BR`` gets
   ``pt``), then any other region in the order of ``[newsletter] languages`` (``pt-BR`` gets ``pt-PT``).
3. **Same language, other script**, only where readers of one script commonly read the other: Chinese
   (``Hans``/``Hant``) and Serbian (``Cyrl``/``Latn``). A ``zh-Hant`` reader gets ``zh-Hans`` only when no
   Traditional Chinese edition was built; the plan shows this choice as a cross-script one. Other
   languages never cross scripts (``uz-Arab`` does not get ``uz-Latn``).
4. **Source**: the source language's edition.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.core import get_global

from ..._language import Language, find_language

READABLE_ACROSS_SCRIPTS = {"zh": {"Hans", "Hant"}, "sr": {"Cyrl", "Latn"}}


@dataclass(frozen=True)
class Choice:
    edition: Language
    rule: str
    """``exact``, ``region``, ``script`` or ``source``: which rule chose it."""


@cache
def _parts(tag: str) -> tuple[str, str | None, str | None]:
    """(language, script, region) with the likely script filled in."""
    try:
        locale = Locale.parse(tag.replace("_", "-"), sep="-")
    except (ValueError, TypeError):
        return tag.split("-")[0].lower(), None, None
    script = locale.script
    if script is None:
        likely = get_global("likely_subtags")
        for key in (f"{locale.language}_{locale.territory}", locale.language):
            if key in likely:
                parsed = Locale.parse(likely[key])
                script = parsed.script
                break
    return locale.language, script, locale.territory


def choose_edition(tag: str, built: Sequence[Language], source: Language) -> Choice:
    """The best built edition for a subscriber whose preferred language is ``tag``."""
    exact = find_language(tag, built)
    if exact is not None:
        return Choice(exact, "exact")
    lang, script, region = _parts(tag)
    same_script: list[tuple[int, int, Language]] = []
    other_script: list[tuple[int, int, Language]] = []
    for order, edition in enumerate(built):
        e_lang, e_script, e_region = _parts(edition.tag)
        if e_lang != lang:
            continue
        rank = 0 if e_region == region else 1 if e_region is None else 2
        if e_script == script:
            same_script.append((rank, order, edition))
        elif {script, e_script} <= READABLE_ACROSS_SCRIPTS.get(lang, set()):
            other_script.append((rank, order, edition))
    if same_script:
        return Choice(min(same_script, key=lambda item: item[:2])[2], "region")
    if other_script:
        return Choice(min(other_script, key=lambda item: item[:2])[2], "script")
    return Choice(source, "source")
