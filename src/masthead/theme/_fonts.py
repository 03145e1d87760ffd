"""Fonts: which family each script gets, and a preflight that no character is left without one."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from functools import cache
from pathlib import Path

from markupsafe import Markup

from .._disk import find_written
from .._errors import RenderError
from .._language import Language
from ._scripts import Script, char_row, script_of


def script_key(language: Language, keys: Collection[str]) -> str:
    """Which of ``keys`` (``zh-Hans``, ``zh-Hant``, ``zh-HK``, ``ja``, ``ar``, ...) names the conventions
    of ``language``: its tag, else for Chinese its script or region (``zh-TW`` writes Traditional
    characters, ``zh-HK`` Hong Kong's forms of them), else its language; ``""`` if none does."""
    locale = language.locale
    candidates = [language.tag]
    if locale.language == "zh":
        if locale.script != "Hans" and locale.territory == "HK":
            candidates.append("zh-HK")
        traditional = locale.script == "Hant" or (
            not locale.script and locale.territory in {"TW", "HK", "MO"}
        )
        candidates.append("zh-Hant" if traditional else "zh-Hans")
    candidates += [f"{locale.language}-{locale.script}", locale.language]
    return next((key for key in candidates if key in keys), "")


def font_for(language: Language) -> tuple[str, str]:
    """The serif family the theme sets ``language``'s script in, and its Debian package."""
    row = script_of(language)
    return row.serif, row.package


_CSS_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


def font_stack(families: Iterable[str], generic: str) -> Markup:
    """A CSS ``font-family`` value: each family once, in order, quoted unless it is a single word,
    then the generic family (``serif``, ``sans-serif``)."""
    names = [name for name in dict.fromkeys(families) if name]
    quoted = [
        name
        if _CSS_IDENTIFIER.fullmatch(name)
        else '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        for name in names
    ]
    return Markup(", ".join([*quoted, generic]))


@cache
def _charset(family: str) -> frozenset[int]:
    """The code points the font fontconfig picks for ``family`` covers (empty if it is not installed)."""
    if not shutil.which("fc-match"):
        return frozenset()
    found = subprocess.run(
        ["fc-match", "-f", "%{family}\n%{file}\n%{index}", family],
        capture_output=True, text=True, check=False,
    ).stdout.split("\n")  # fmt: skip
    if len(found) < 3 or family not in found[0].split(","):
        return frozenset()  # fontconfig substituted another family: ours is missing
    from fontTools.ttLib import TTFont

    font = TTFont(found[1], fontNumber=int(found[2] or 0), lazy=True)
    return frozenset(font.getBestCmap() or {})


@cache
def _any_font_covers(code_point: int) -> bool:
    """Whether any installed font has this character (Pango falls back to it)."""
    if not shutil.which("fc-list"):
        return True
    listing = subprocess.run(
        ["fc-list", f":charset={code_point:x}", "family"], capture_output=True, text=True, check=False
    )
    return bool(listing.stdout.strip())


@cache
def _one_font_covers(chars: frozenset[str]) -> bool:
    if not chars or not shutil.which("fc-list"):
        return True
    charset = " ".join(f"{ord(char):x}" for char in sorted(chars))
    listing = subprocess.run(
        ["fc-list", f":charset={charset}", "family"], capture_output=True, text=True, check=False
    )
    return bool(listing.stdout.strip())


_TAGS = re.compile(r"<style.*?</style>|<[^>]+>", re.DOTALL)


def check_glyphs(page: str, language: Language, sources: Sequence[Path] = ()) -> None:
    """Stop with the characters of ``page`` (HTML) that no installed font can draw, naming the first
    file of ``sources`` (files or folders: the issue, its catalogs, the settings) that holds one."""
    family = script_of(language).serif
    text = html.unescape(_TAGS.sub(" ", page))
    drawn = frozenset(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf"))
    if _one_font_covers(drawn):  # the usual case: the language's own font has every character
        return
    stack = (_charset(family), _charset("Noto Serif"), _charset("Noto Sans"))
    rest = {char for char in drawn if not any(ord(char) in charset for charset in stack)}
    # One fontconfig query usually settles the rest (a font that has them all, such as the CJK font
    # for a Chinese name on an Arabic page); only if none has them all is each character asked about.
    missing = (
        [] if _one_font_covers(frozenset(rest)) else sorted(c for c in rest if not _any_font_covers(ord(c)))
    )
    if missing:
        shown = ", ".join(
            f"{char} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')})" for char in missing[:12]
        )
        hint = missing_fonts_hint(missing, language)
        found = find_written([form for char in missing for form in _written_forms(char)], sources)
        raise RenderError(
            f"{language.tag}: {len(missing)} character(s) have no font and would print as empty boxes: "
            + shown,
            path=found[0] if found else None,
            line=found[1] if found else None,
            hint=hint,
        )


def _installed(family: str) -> bool:
    return bool(_charset(family))


def missing_fonts_hint(missing: Sequence[str], language: Language) -> str:
    """What to install for ``missing`` characters: the package of each one's script (a Devanagari
    letter in a Japanese edition needs fonts-noto-core, not the edition's fonts-noto-cjk)."""
    rows: dict[str, Script] = {}
    others = False
    for char in missing:
        row = char_row(char, language)
        if row is None or (_installed(row.serif) and _installed(row.sans)):
            others = True  # its script's fonts are there and lack it, or no row names its script
        else:
            rows.setdefault(row.package, row)
    parts = [
        f"{row.name}: apt install {row.package} ({row.serif}, {row.sans})"
        for row in sorted(rows.values(), key=lambda row: row.package)
    ]
    if others:
        emoji = any(unicodedata.category(char) == "So" and ord(char) >= 0x1F000 for char in missing)
        parts.append(
            "install a font that has the others"
            + (" (emoji: apt install fonts-noto-color-emoji)" if emoji else "")
            + f"; {script_of(language).serif} ({script_of(language).package}) is this language's font"
        )
    return "; ".join(parts)


def _written_forms(char: str) -> list[str]:
    """How a character may be written in a source: as itself, or escaped (YAML, PO, HTML)."""
    code = ord(char)
    escapes = [f"\\U{code:08X}", f"\\U{code:08x}", f"&#x{code:X};", f"&#x{code:x};", f"&#{code};"]
    if code <= 0xFFFF:
        escapes += [f"\\u{code:04X}", f"\\u{code:04x}"]
    if code <= 0xFF:
        escapes += [f"\\x{code:02X}", f"\\x{code:02x}"]
    return [char, html.escape(char), *escapes]


def fast_subsetting() -> bool:
    """Whether WeasyPrint subsets fonts through HarfBuzz (fast) rather than fontTools (several times
    slower on CJK fonts); the fast path needs libharfbuzz-subset0."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))
