"""The theme every output is made through: the templates and their strings, the script table and each
language's typography, runs of other scripts set apart (islands), fonts and the glyph preflight, and the
contrast of its colours. Print, the web page, the email and the service's pages all use it; it loads no
renderer.
"""

from __future__ import annotations

from ._contrast import (
    PAIRS as PAIRS,
    ContrastPair as ContrastPair,
    ContrastProblem as ContrastProblem,
    check_pairs as check_pairs,
    contrast_ratio as contrast_ratio,
    theme_contrast as theme_contrast,
)
from ._fonts import (
    check_glyphs as check_glyphs,
    fast_subsetting as fast_subsetting,
    font_for as font_for,
)
from ._islands import Islands as Islands
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

__all__ = [
    "PAIRS",
    "SCRIPTS",
    "ContrastPair",
    "ContrastProblem",
    "Islands",
    "Script",
    "ScriptRules",
    "check_glyphs",
    "check_pairs",
    "contrast_ratio",
    "environment",
    "fast_subsetting",
    "font_for",
    "inline_markdown",
    "local_date",
    "message_parser",
    "plain",
    "render_edition",
    "render_template",
    "script_of",
    "theme_contrast",
]
