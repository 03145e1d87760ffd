"""Stage 3: an :class:`~masthead.editions.Edition` rendered through the theme (:mod:`masthead.theme`),
once per language: the print HTML and its PDF, and the web page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes
from ._figures import PrintImages as PrintImages, ScreenImages as ScreenImages
from ._outputs import render_print as render_print, render_web as render_web

# What needs WeasyPrint is imported when first used: the web page alone does not load it.
if TYPE_CHECKING:
    from ._fetch import refusal as refusal
    from ._pdf import PAGE_ATTRIBUTE as PAGE_ATTRIBUTE, pdf_options as pdf_options, write_pdf as write_pdf
    from ._placement import language_skeleton as language_skeleton, measure as measure

__getattr__, __dir__, __all__ = lazy_attributes(__name__)
