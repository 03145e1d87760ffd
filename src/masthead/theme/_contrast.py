"""The theme's colours in contrast-checked pairs: each text colour against the backgrounds it stands on.

WCAG 2.2 AA asks 4.5:1 for body and small text and 3:1 for large text and for the graphics a reader
needs (rules and markers). The pairs below name which design tokens of ``tokens.css`` meet where, for
the light scheme and the email's dark one; :func:`theme_contrast` reads the tokens as a workspace's
``templates/tokens.css`` sets them and names each pair an override has broken, with its ratio.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial

from tinycss2.color3 import parse_color

from .._config import Config
from .._language import Language
from ._theme import render_template

TEXT = 4.5
"""WCAG 2.2 AA (1.4.3): body and small text."""
LARGE_OR_GRAPHIC = 3.0
"""WCAG 2.2 AA (1.4.3, 1.4.11): text from 24 px (19 px bold), rules, markers and control borders."""


@dataclass(frozen=True)
class ContrastPair:
    """A token used as a foreground on another token, the least contrast it needs, and where."""

    foreground: str
    background: str
    minimum: float
    used_for: str


PAIRS: tuple[ContrastPair, ...] = (
    ContrastPair("--color-ink", "--color-paper", TEXT, "body text"),
    ContrastPair("--color-ink-soft", "--color-paper", TEXT, "summaries and standfirsts"),
    ContrastPair("--color-muted", "--color-paper", TEXT, "bylines, captions and source lines"),
    ContrastPair("--color-muted", "--color-panel", TEXT, "the colophon's roles"),
    ContrastPair("--color-muted", "--color-backdrop", TEXT, "the email's top bar"),
    ContrastPair("--color-faint", "--color-paper", TEXT, "photo credits"),
    ContrastPair("--color-brand", "--color-paper", TEXT, "titles and links"),
    ContrastPair("--color-brand", "--color-backdrop", TEXT, "the email's top-bar links"),
    ContrastPair("--color-accent-ink", "--color-paper", TEXT, "kickers, labels and section titles"),
    ContrastPair("--color-accent-ink", "--color-panel", TEXT, "the colophon's heading"),
    ContrastPair("--color-paper", "--color-brand", TEXT, "the masthead and the back page"),
    ContrastPair("--color-accent-soft", "--color-brand", TEXT, "the masthead's second name"),
    ContrastPair("--color-on-brand-muted", "--color-brand", TEXT, "the back page's issue line"),
    ContrastPair("--color-accent", "--color-paper", LARGE_OR_GRAPHIC, "rules, markers and link underlines"),
    ContrastPair("--color-dark-ink", "--color-dark-paper", TEXT, "the email's text in dark mode"),
    ContrastPair("--color-dark-link", "--color-dark-paper", TEXT, "titles and links in dark mode"),
    ContrastPair("--color-dark-muted", "--color-dark-paper", TEXT, "bylines, captions, footer in dark mode"),
    ContrastPair("--color-dark-accent", "--color-dark-paper", TEXT, "kickers and labels in dark mode"),
    ContrastPair("--color-dark-ink", "--color-dark-panel", TEXT, "the colophon in dark mode"),
    ContrastPair("--color-dark-muted", "--color-dark-panel", TEXT, "the colophon's roles in dark mode"),
    ContrastPair("--color-dark-accent", "--color-dark-panel", TEXT, "the colophon's heading in dark mode"),
    ContrastPair("--color-dark-ink", "--color-dark-backdrop", TEXT, "the email's top bar in dark mode"),
    ContrastPair("--color-dark-link", "--color-dark-backdrop", TEXT, "the top bar's links in dark mode"),
    ContrastPair("--color-dark-ink", "--color-dark-brand", TEXT, "the masthead and back page in dark mode"),
    ContrastPair("--color-dark-link", "--color-dark-brand", TEXT, "the back page's links in dark mode"),
    ContrastPair("--color-paper", "--color-dark-brand", TEXT, "the newsletter's name in dark mode"),
    ContrastPair("--color-accent-soft", "--color-dark-brand", TEXT, "the second name in dark mode"),
)  # fmt: skip


@dataclass(frozen=True)
class ContrastProblem:
    """A pair whose colours, as the theme sets them, do not contrast enough (or cannot be read)."""

    pair: ContrastPair
    foreground: str
    background: str
    ratio: float | None
    """``None`` when a value is not a colour that can be checked (such as a ``color-mix()``)."""

    def __str__(self) -> str:
        pair = self.pair
        colours = f"{pair.foreground} ({self.foreground}) on {pair.background} ({self.background})"
        if self.ratio is None:
            return f"{colours}, {pair.used_for}: not a colour whose contrast can be checked"
        needs = "text" if pair.minimum >= TEXT else "large text, rules and markers"
        return (
            f"{colours}, {pair.used_for}: {_ratio(self.ratio)}, below the {_ratio(pair.minimum)} "
            f"WCAG 2.2 AA asks for {needs}"
        )


def _ratio(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + ":1"


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG's relative luminance of an sRGB colour whose channels run from 0 to 1."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """WCAG's contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _rgb(value: str) -> tuple[float, float, float, float] | None:
    colour = parse_color(value)
    if colour is None or isinstance(colour, str):  # not a colour, or currentColor
        return None
    return (colour.red, colour.green, colour.blue, colour.alpha)


def check_pairs(tokens: Mapping[str, str], pairs: Iterable[ContrastPair] = PAIRS) -> list[ContrastProblem]:
    """The pairs that ``tokens`` (custom property -> CSS value) break; pairs naming a token that is
    not set are left alone. A translucent foreground is laid over its background first."""
    problems = []
    for pair in pairs:
        if pair.foreground not in tokens or pair.background not in tokens:
            continue
        foreground, background = tokens[pair.foreground], tokens[pair.background]
        front, back = _rgb(foreground), _rgb(background)
        if front is None or back is None or back[3] < 1:
            problems.append(ContrastProblem(pair, foreground, background, None))
            continue
        alpha = front[3]
        seen = tuple(alpha * f + (1 - alpha) * b for f, b in zip(front[:3], back[:3], strict=True))
        ratio = contrast_ratio((seen[0], seen[1], seen[2]), (back[0], back[1], back[2]))
        if ratio < pair.minimum - 0.005:  # the figure is shown to two decimals: 4.495 reads 4.5
            problems.append(ContrastProblem(pair, foreground, background, ratio))
    return problems


_ROOT_RULE = re.compile(r":root\s*\{([^{}]*)\}")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_DECLARATION = re.compile(r"^\s*(--[\w-]+)\s*:\s*(.*?)\s*$", re.DOTALL)
_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*))?\)")


def root_tokens(css: str) -> dict[str, str]:
    """The custom properties that ``css`` sets on ``:root`` (a later rule wins, as in the cascade),
    with each ``var()`` among them replaced by its value."""
    tokens: dict[str, str] = {}
    for rule in _ROOT_RULE.finditer(_COMMENT.sub("", css)):
        for declaration in rule.group(1).split(";"):
            match = _DECLARATION.match(declaration)
            if match:
                tokens[match.group(1)] = match.group(2)
    for _ in range(8):  # tokens that refer to tokens, a few levels deep
        resolved = {name: _VAR.sub(partial(_value, tokens), value) for name, value in tokens.items()}
        if resolved == tokens:
            break
        tokens = resolved
    return tokens


def _value(tokens: Mapping[str, str], var: re.Match[str]) -> str:
    """What a ``var()`` stands for: its token's value, else its fallback, else itself."""
    return tokens.get(var.group(1), var.group(2) or var.group(0))


def theme_contrast(config: Config, languages: Iterable[Language]) -> list[ContrastProblem]:
    """The contrast pairs that the theme's tokens (the workspace's ``tokens.css`` where it has one)
    break in any of ``languages``, each problem once."""
    problems: dict[ContrastProblem, None] = {}
    for language in languages:
        css = render_template("tokens.css", templates_dir=config.templates_dir, language=language)
        problems.update(dict.fromkeys(check_pairs(root_tokens(css))))
    return list(problems)
