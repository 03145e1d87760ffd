"""Language islands: text in a language other than the edition's, marked with its own ``lang``
and ``dir`` so that it reads in its own direction, hyphenates and justifies by its own rules, and
stays isolated from the text around it.

Three kinds of text become islands: a message that falls back to the source language (untranslated,
or a translation that failed a check), a translation that kept the source text as it is (a
quotation left in English in an Arabic edition), and, inside any text, a run written in another
script (an English name in a Chinese sentence, a Chinese name in an English one) or a name that the
issue keeps untranslated.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from markupsafe import Markup

from .._language import Language
from ..sources import Text
from ._scripts import HAN, SCRIPTS, char_script as table_script, run_tag, script_of

# CJK ideographs, kana and hangul count as one script for islands, since Chinese, Japanese and Korean
# text mix them; every other script of the table is its own.
_GROUPS = {HAN: "CJK", "Hans": "CJK", "Hant": "CJK", "Hant-HK": "CJK", "Jpan": "CJK", "Kore": "CJK"}


def char_script(char: str) -> str | None:
    """The script of a letter or ideograph, as islands tell them apart; ``None`` for what has none
    (spaces, digits, punctuation)."""
    code = table_script(char)
    return _GROUPS.get(code, code) if code else None


@cache
def language_script(language: Language) -> str:
    """The script a language is written in (``Latn``, ``Arab``, ``CJK``...), from the script table."""
    code = script_of(language).code
    return _GROUPS.get(code, code)


# Print, web page and email ask this of the same texts: each is looked at once per process.
@lru_cache(maxsize=8192)
def scripts_of(text: str) -> frozenset[str]:
    return frozenset(script for script in map(char_script, text) if script)


@dataclass(frozen=True)
class Islands:
    """What one edition needs to mark its islands: its language, the source language, the other
    languages of the newsletter (to name a run by its script) and the names kept as written."""

    edition: Language
    source: Language
    languages: Sequence[Language] = ()
    names: Sequence[str] = ()

    def text_language(self, text: Text | str | None) -> Language:
        """The language a whole message is shown in: the source's when it falls back to it, or when
        its translation kept the source text in a script the edition does not write."""
        if not isinstance(text, Text) or self.edition == self.source:
            return self.edition
        if text.translation is None:
            return self.source
        own, source = language_script(self.edition), language_script(self.source)
        found = scripts_of(text.translation)
        if own != source and own not in found and source in found:
            return self.source
        return self.edition

    def block_attributes(self, text: Text | str | None) -> Markup:
        """``lang`` and ``dir`` for the element holding ``text``, when it is an island."""
        shown = self.text_language(text)
        return _attributes(shown) if shown != self.edition else Markup("")

    def wrap(self, text: Text | str | None, inner: Markup) -> Markup:
        """``inner`` (``text`` rendered) in a span of its language when the whole text is an island."""
        shown = self.text_language(text)
        return Markup(f"<span{_attributes(shown)}>{inner}</span>") if shown != self.edition else inner

    def mark_runs(self, text: str, within: Language) -> Markup:
        """``text`` (plain) escaped, with each run in another script than ``within``'s, and each name
        kept as written in a text of another language, in a span of its own language."""
        own = language_script(within)
        out: list[str] = []
        for piece, script in _runs(text, own):
            if script is None:
                out.append(self._mark_names(piece, within))
                continue
            language = self._language_for(script)
            attributes = _attributes(language) if language is not None else _run_attributes(piece)
            out.append(f"<span{attributes}>{html.escape(piece, quote=False)}</span>")
        return Markup("".join(out))

    def _language_for(self, script: str) -> Language | None:
        for language in (self.source, *self.languages):
            if language_script(language) == script:
                return language
        return None

    def _mark_names(self, text: str, within: Language) -> str:
        pattern = _names_pattern(tuple(self.names)) if within != self.source else None
        if pattern is None:
            return html.escape(text, quote=False)
        out, position = [], 0
        for match in pattern.finditer(text):
            out.append(html.escape(text[position : match.start()], quote=False))
            out.append(f"<span{_attributes(self.source)}>{html.escape(match.group(), quote=False)}</span>")
            position = match.end()
        out.append(html.escape(text[position:], quote=False))
        return "".join(out)


def _run_attributes(piece: str) -> Markup:
    """``lang`` and ``dir`` for a run in a script no language of the newsletter writes: its script
    alone (``und-Deva``), so that it is styled, and set in the direction, of that script."""
    code = next(code for code in map(table_script, piece) if code)
    row = SCRIPTS["Hans" if code == HAN else code]
    return Markup(f' lang="{run_tag(code)}" dir="{row.direction}"')


def _attributes(language: Language) -> Markup:
    return Markup(f' lang="{language.tag}" dir="{language.direction}"')


@cache
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    kept = sorted((name for name in names if name.strip()), key=len, reverse=True)
    if not kept:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(name) for name in kept) + r")(?!\w)")


def _runs(text: str, own: str) -> Iterable[tuple[str, str | None]]:
    """``text`` in pieces: runs of a script other than ``own`` (from its first letter to its last,
    with the spaces, digits and punctuation between) with that script, the rest with ``None``."""
    if scripts_of(text) <= {own}:  # the common case: nothing to mark
        if text:
            yield text, None
        return
    scripts = [char_script(char) for char in text]
    position, index = 0, 0
    while index < len(text):
        script = scripts[index]
        if script is None or script == own:
            index += 1
            continue
        end = index
        for later in range(index, len(text)):
            if scripts[later] == script:
                end = later
            elif scripts[later] is not None:
                break
        if position < index:
            yield text[position:index], None
        yield text[index : end + 1], script
        position = index = end + 1
    if position < len(text):
        yield text[position:], None
