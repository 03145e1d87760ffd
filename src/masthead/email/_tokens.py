"""The theme's design tokens in the email: every ``var()`` replaced by its value before inlining.

css-inline copies declarations as they are, and many mail clients (Gmail, Outlook) drop a custom
property or a ``var()``, so the email carries none: the values of the ``:root`` rules in its
``<style>`` blocks (tokens.css) are written where they are used, and those declarations removed.
"""

from __future__ import annotations

import re

from .._errors import RenderError

_STYLE_BLOCK = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.DOTALL | re.IGNORECASE)
_STYLE_ATTRIBUTE = re.compile(r'(\sstyle=")([^"]*)(")')
_ROOT_RULE = re.compile(r":root\s*\{([^{}]*)\}\s*")
_CUSTOM_PROPERTY = re.compile(r"\s*(--[\w-]+)\s*:\s*([^;]*?)\s*(?:;|$)")
_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def resolve_tokens(page: str) -> str:
    """``page`` (HTML) with the custom properties that its ``<style>`` blocks set on ``:root``
    written in place of every ``var()`` in its CSS, and their declarations removed; a later
    ``:root`` rule overrides an earlier one, as in the cascade."""
    tokens: dict[str, str] = {}

    def collect(rule: re.Match[str]) -> str:
        kept = []
        for declaration in filter(str.strip, _COMMENT.sub("", rule.group(1)).split(";")):
            custom = _CUSTOM_PROPERTY.fullmatch(declaration)
            if custom:
                tokens[custom.group(1)] = custom.group(2)
            else:
                kept.append(declaration.strip())
        return f":root {{ {'; '.join(kept)}; }}\n" if kept else ""

    page = _STYLE_BLOCK.sub(lambda m: m.group(1) + _ROOT_RULE.sub(collect, m.group(2)) + m.group(3), page)
    page = _STYLE_BLOCK.sub(lambda m: m.group(1) + _substitute(m.group(2), tokens) + m.group(3), page)
    return _STYLE_ATTRIBUTE.sub(lambda m: m.group(1) + _substitute(m.group(2), tokens) + m.group(3), page)


def _substitute(css: str, tokens: dict[str, str], seen: tuple[str, ...] = ()) -> str:
    """``css`` with each ``var(--name)`` or ``var(--name, fallback)`` replaced by its value."""
    out, position = [], 0
    for match in _VAR.finditer(css):
        if match.start() < position:
            continue  # inside a fallback already handled
        end, fallback = _closing(css, match.end())
        name = match.group(1)
        if name in seen:
            raise RenderError(f"the email's CSS token {name} refers to itself through {' -> '.join(seen)}")
        if name in tokens:
            value = _substitute(tokens[name], tokens, (*seen, name))
        elif fallback is not None:
            value = _substitute(fallback, tokens, seen)
        else:
            raise RenderError(
                f"the email's CSS uses var({name}), which no :root rule defines",
                hint=f"define {name} in templates/tokens.css, or give the var() a fallback",
            )
        out += [css[position : match.start()], value]
        position = end
    return "".join([*out, css[position:]])


def _closing(css: str, start: int) -> tuple[int, str | None]:
    """Where the ``var(`` whose name ends at ``start`` closes, and its fallback (if it has one)."""
    depth, comma = 1, None
    for index in range(start, len(css)):
        char = css[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                fallback = css[comma + 1 : index].strip() if comma is not None else None
                return index + 1, fallback
        elif char == "," and depth == 1 and comma is None:
            comma = index
    raise RenderError(f"the email's CSS has an unclosed var( near {css[start - 20 : start + 20]!r}")
