"""``masthead doctor``: is this machine ready to build every configured language?"""

from __future__ import annotations

import ctypes.util
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

from ._language import Language

# The font family each script needs, and the Debian package that provides it.
SCRIPT_FONTS: dict[str, tuple[str, str]] = {
    "latin": ("Noto Serif", "fonts-noto-core"),
    "zh-Hans": ("Noto Serif CJK SC", "fonts-noto-cjk"),
    "zh-Hant": ("Noto Serif CJK TC", "fonts-noto-cjk"),
    "ja": ("Noto Serif CJK JP", "fonts-noto-cjk"),
    "ko": ("Noto Serif CJK KR", "fonts-noto-cjk"),
    "ar": ("Noto Naskh Arabic", "fonts-noto-core"),
    "he": ("Noto Serif Hebrew", "fonts-noto-core"),
}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def font_families() -> set[str]:
    """Font families fontconfig knows on this machine."""
    if not shutil.which("fc-list"):
        return set()
    listing = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return {name.strip() for line in listing.splitlines() for name in line.split(",")}


def font_for(language: Language) -> tuple[str, str]:
    """The family the theme uses for ``language``'s script, and its Debian package."""
    locale = language.locale
    for key in (language.tag, f"{locale.language}-{locale.script}", locale.language):
        if key in SCRIPT_FONTS:
            return SCRIPT_FONTS[key]
    if locale.language == "zh":
        return SCRIPT_FONTS["zh-Hant" if locale.territory in {"TW", "HK", "MO"} else "zh-Hans"]
    return SCRIPT_FONTS["ar"] if language.is_rtl and locale.language != "he" else SCRIPT_FONTS["latin"]


def run_checks(languages: Sequence[Language]) -> list[Check]:
    checks: list[Check] = []
    try:
        import weasyprint
        from weasyprint.text.ffi import pango

        number = pango.pango_version()
        pango_version = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
        checks.append(Check("WeasyPrint", True, f"{weasyprint.__version__}, Pango {pango_version}"))
    except (ImportError, OSError) as exc:
        checks.append(Check("WeasyPrint", False, str(exc), "apt install libpango-1.0-0 libpangoft2-1.0-0"))
    subset = ctypes.util.find_library("harfbuzz-subset")
    checks.append(Check(
        "HarfBuzz subsetting", subset is not None,
        subset or "missing: fonts are subset by a much slower fallback (CJK builds take 4x longer)",
        "apt install libharfbuzz-subset0",
    ))  # fmt: skip
    families = font_families()
    needed = {"en": SCRIPT_FONTS["latin"]} | {lang.tag: font_for(lang) for lang in languages}
    for tag, (family, package) in needed.items():
        ok = family in families
        checks.append(Check(
            f"Font for {tag}", ok, family if ok else f"{family} is not installed", f"apt install {package}",
        ))  # fmt: skip
    for tool, package in (("pdftotext", "poppler-utils"), ("pdffonts", "poppler-utils")):
        found = shutil.which(tool)
        checks.append(Check(tool, found is not None, found or "not found (used by the tests)",
                            f"apt install {package}"))  # fmt: skip
    return checks
