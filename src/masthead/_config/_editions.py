"""The ``[print]`` and ``[catalogs]`` settings: how the PDF is laid out, which languages are
complete enough to build, and what a changed message prints until it is reviewed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache
from typing import Any

from ._declare import BOOLEAN, Check, number, one_of, setting

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
    changed: str = setting(
        "source",
        check=one_of(("source", "previous")),
        help="What an edition prints for a message whose source changed since it was translated (its "
        "translation is fuzzy) until a translator reviews it: the source language's text, or the "
        "previous translation. The build names every such message either way.",
    )

    @property
    def publish_previous(self) -> bool:
        """Whether a fuzzy translation made by a person is printed until it is reviewed."""
        return self.changed == "previous"
