"""Checks a translation must pass before it is published: what the source has, it must keep."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .._links import markdown, unpublishable_links

_markdown = markdown()
_RESERVED = "%%masthead:"  # where a message template fills in each subscriber's fields
_PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]|%[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}")
# An HTML tag, comment or declaration; not a Markdown autolink (<https://...>, <ana@example.org>).
_TAG = re.compile(r"<!--.*?-->|<[!?][A-Za-z][^<>]*>|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", re.DOTALL)
_URL = re.compile(r"\b(?:https?://|mailto:|www\.)[^\s<>()\]]+[^\s<>()\].,;:!?'\"]")


@dataclass(frozen=True)
class Shape:
    """What a message carries that a translation must carry too, whatever the language."""

    placeholders: Counter[str]
    links: Counter[str]
    images: Counter[str]
    code: Counter[str]
    emphasis: int
    strong: int
    urls: Counter[str]
    unpublishable: Counter[str]
    """Targets of links written in Markdown that the link rule refuses (printed as written)."""


def shape(text: str) -> Shape:
    links: Counter[str] = Counter()
    images: Counter[str] = Counter()
    code: Counter[str] = Counter()
    emphasis = strong = 0
    for token in _markdown.parseInline(text):
        for child in token.children or []:
            if child.type == "link_open":
                links[str(child.attrs.get("href", ""))] += 1
            elif child.type == "image":
                images[str(child.attrs.get("src", ""))] += 1
            elif child.type == "code_inline":
                code[child.content] += 1
            elif child.type == "em_open":
                emphasis += 1
            elif child.type == "strong_open":
                strong += 1
    without_links = re.sub(r"\]\([^)]*\)", "]", text)
    return Shape(
        placeholders=Counter(_PLACEHOLDER.findall(text)),
        links=links,
        images=images,
        code=code,
        emphasis=emphasis,
        strong=strong,
        urls=Counter(_URL.findall(without_links)),
        unpublishable=Counter(unpublishable_links(text)),
    )


def check_translation(source: str, translation: str) -> list[str]:
    """What is wrong with ``translation`` of ``source``; an empty list when it can be published."""
    if not translation:
        return []
    problems: list[str] = []
    if _RESERVED in translation and _RESERVED not in source:
        problems.append(f"holds {_RESERVED!r}, which masthead keeps for itself")
    want, got = shape(source), shape(translation)
    if want.placeholders != got.placeholders:
        problems.append(_differ("placeholders", want.placeholders, got.placeholders))
    if got.unpublishable - want.unpublishable:
        added = ", ".join(sorted((got.unpublishable - want.unpublishable).elements()))
        problems.append(f"links that cannot be published (only http(s) and mailto): {added}")
    if want.links != got.links:
        problems.append(_differ("links", want.links, got.links))
    if want.images != got.images:
        problems.append(_differ("images", want.images, got.images))
    if want.code != got.code:
        problems.append(_differ("code", want.code, got.code))
    if want.urls != got.urls:
        problems.append(_differ("URLs", want.urls, got.urls))
    if want.emphasis != got.emphasis:
        problems.append(f"emphasis: the source has {want.emphasis}, the translation {got.emphasis}")
    if want.strong != got.strong:
        problems.append(f"strong emphasis: the source has {want.strong}, the translation {got.strong}")
    markup = Counter(_TAG.findall(translation)) - Counter(_TAG.findall(source))
    if markup:
        tags = ", ".join(sorted(markup))
        problems.append(f"markup the source does not have (HTML is never published as such): {tags[:120]}")
    for edge, pattern in (("leading", r"^\s*"), ("trailing", r"\s*$")):
        a, b = re.search(pattern, source), re.search(pattern, translation)
        if a and b and a.group() != b.group():
            problems.append(f"{edge} whitespace differs from the source")
    return problems


def _differ(what: str, want: Counter[str], got: Counter[str]) -> str:
    missing = sorted((want - got).elements())
    extra = sorted((got - want).elements())
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append("unexpected " + ", ".join(extra))
    return f"{what}: " + "; ".join(parts)


def check_theme_translation(
    source: str | tuple[str, ...] | list[str], translation: str | tuple[str, ...] | list[str]
) -> list[str]:
    """What is wrong with a translation of a theme string (each plural form of it): what
    :func:`check_translation` finds, and anything that keeps the templates from filling it in (they
    put values in with ``%``, so a lone ``%`` or a placeholder the source does not give breaks it)."""
    sources = [source] if isinstance(source, str) else list(source)
    forms = [translation] if isinstance(translation, str) else list(translation)
    problems: list[str] = []
    for index, form in enumerate(forms):
        if not form:
            continue
        # The first form answers the singular source, the others the plural one.
        wanted = sources[min(index, len(sources) - 1)]
        found = check_translation(wanted, form)
        if form.count('"') > wanted.count('"'):
            # Templates put theme strings in attributes too (aria-label="..."), as HTML.
            found.append("a straight double quote, which would end an HTML attribute: write “ ” or « »")
        values = {name: 1 for text in sources for name in re.findall(r"%\(([^)]*)\)", text)}
        try:
            form % values
        except (ValueError, TypeError, KeyError) as exc:
            if not any(problem.startswith("placeholders:") for problem in found):
                found.append(f"cannot be filled in ({exc}); a percent sign is written %%")
        problems += [problem for problem in found if problem not in problems]
    return problems
