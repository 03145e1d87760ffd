"""Stage 3: an :class:`~masthead.editions.Edition` rendered through the theme, once per language."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._contrast import PAIRS, ContrastPair, ContrastProblem, check_pairs, contrast_ratio, theme_contrast
from ._figures import PrintImages, ScreenImages
from ._fonts import check_glyphs, fast_subsetting, font_for
from ._outputs import render_print, render_web
from ._scripts import SCRIPTS, Script, ScriptRules, script_of
from ._theme import (
    environment,
    inline_markdown,
    local_date,
    message_parser,
    plain,
    render_edition,
    render_template,
)

if TYPE_CHECKING:
    from ._fetch import refusal
    from ._pdf import pdf_options, write_pdf
    from ._placement import language_skeleton, measure, union

__all__ = [
    "PAIRS",
    "SCRIPTS",
    "ContrastPair",
    "ContrastProblem",
    "PrintImages",
    "ScreenImages",
    "Script",
    "ScriptRules",
    "check_glyphs",
    "check_pairs",
    "contrast_ratio",
    "environment",
    "fast_subsetting",
    "font_for",
    "inline_markdown",
    "language_skeleton",
    "local_date",
    "measure",
    "message_parser",
    "pdf_options",
    "plain",
    "refusal",
    "render_edition",
    "render_print",
    "render_template",
    "render_web",
    "script_of",
    "theme_contrast",
    "union",
    "write_pdf",
]


_WEASYPRINT = {
    "language_skeleton": "._placement",
    "measure": "._placement",
    "pdf_options": "._pdf",
    "refusal": "._fetch",
    "union": "._placement",
    "write_pdf": "._pdf",
}
"""What needs WeasyPrint is imported when first used: the theme's templates alone (the service's
pages, the email) do not load it."""


def __getattr__(name: str) -> Any:
    if name not in _WEASYPRINT:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WEASYPRINT[name], __name__), name)
