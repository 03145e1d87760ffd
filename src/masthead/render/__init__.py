"""Stage 3: an :class:`~masthead.editions.Edition` rendered through the theme, once per language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes
from ._contrast import (
    PAIRS as PAIRS,
    ContrastPair as ContrastPair,
    ContrastProblem as ContrastProblem,
    check_pairs as check_pairs,
    contrast_ratio as contrast_ratio,
    theme_contrast as theme_contrast,
)
from ._figures import PrintImages as PrintImages, ScreenImages as ScreenImages
from ._fonts import (
    check_glyphs as check_glyphs,
    fast_subsetting as fast_subsetting,
    font_for as font_for,
)
from ._outputs import render_print as render_print, render_web as render_web
from ._scripts import SCRIPTS as SCRIPTS, Script as Script, ScriptRules as ScriptRules, script_of as script_of
from ._theme import (
    environment as environment,
    inline_markdown as inline_markdown,
    local_date as local_date,
    message_parser as message_parser,
    plain as plain,
    render_edition as render_edition,
    render_template as render_template,
)

# What needs WeasyPrint is imported when first used: the theme's templates alone (the service's
# pages, the email) do not load it.
if TYPE_CHECKING:
    from ._fetch import refusal as refusal
    from ._pdf import pdf_options as pdf_options, write_pdf as write_pdf
    from ._placement import language_skeleton as language_skeleton, measure as measure, union as union

__getattr__, __dir__, __all__ = lazy_attributes(__name__)
