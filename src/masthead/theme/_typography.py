"""Typography per language: the quotation marks, spaces and line endings each language prints with.

Editors and translators type straight quotes and ordinary spaces; each edition prints its language's
own marks (“English”, « français », „Deutsch“, 「日本語」), with the no-break spaces French sets
inside guillemets and before ``; : ! ?``, and keeps the last two characters of a Chinese or Japanese
text together so that no line ends a paragraph with one character alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .._language import Language
from .._links import markdown
from ._fonts import script_key
from ._scripts import script_of

NARROW_NBSP = "\u202f"


@dataclass(frozen=True)
class Typography:
    quotes: tuple[str, str, str, str]
    """Opening and closing marks, then the pair for a quotation inside a quotation."""
    spaced: str = ""
    """Punctuation that takes a narrow no-break space before it (French ``; : ! ?``)."""


_ENGLISH = Typography(("“", "”", "‘", "’"))
_GUILLEMETS = Typography(("«", "»", "“", "”"))
_GERMAN = Typography(("„", "“", "‚", "‘"))
_CORNER_BRACKETS = Typography(("「", "」", "『", "』"))
_FRENCH = Typography((f"«{NARROW_NBSP}", f"{NARROW_NBSP}»", "“", "”"), spaced=";:!?")

TYPOGRAPHY: dict[str, Typography] = {
    "en": _ENGLISH,
    "fr": _FRENCH,
    "fr-CA": Typography(_FRENCH.quotes, spaced=":"),  # Quebec sets no space before ; ! ?
    "fr-CH": Typography(_FRENCH.quotes, spaced=""),
    "de": _GERMAN,
    "de-CH": Typography(("«", "»", "‹", "›")),
    "cs": _GERMAN,
    "pl": Typography(("„", "”", "«", "»")),
    "nl": _ENGLISH,
    "es": _GUILLEMETS,
    "it": _GUILLEMETS,
    "pt": _GUILLEMETS,
    "pt-BR": _ENGLISH,
    "ru": Typography(("«", "»", "„", "“")),
    "uk": Typography(("«", "»", "„", "“")),
    "el": _GUILLEMETS,
    "tr": _ENGLISH,
    "vi": _ENGLISH,
    "ar": _GUILLEMETS,
    "fa": _GUILLEMETS,
    "ur": _ENGLISH,
    "he": Typography(("”", "”", "’", "’")),
    "zh-Hans": _ENGLISH,
    "zh-Hant": _CORNER_BRACKETS,
    "ja": _CORNER_BRACKETS,
    "ko": _ENGLISH,
}


def typography(language: Language) -> Typography:
    """The conventions of ``language``: its own, else its language's, else its script's (the script
    table's quotation marks: Thai and Hindi “ ”, Amharic « », Armenian « »)."""
    key = script_key(language, TYPOGRAPHY)
    return TYPOGRAPHY[key] if key else Typography(script_of(language).quotes)


@cache
def typographer(language: Language) -> MarkdownIt:
    """The inline Markdown parser for the messages of ``language``: the one link rule and no raw HTML
    (:func:`masthead._links.markdown`), curly quotes and dashes, the language's spacing and, in
    Chinese and Japanese, the end of each message kept from leaving one character on a line."""
    conventions = typography(language)
    parser = markdown().disable("image")
    parser.options["typographer"] = True
    parser.options["quotes"] = list(conventions.quotes)
    parser.enable(["replacements", "smartquotes"])
    if conventions.quotes[0].startswith("«") or conventions.spaced:
        parser.core.ruler.push("spacing", _spacing(conventions))
    if language.is_cjk:
        parser.core.ruler.push("pair_quotes", _pair_quotes(conventions))
    if language.is_cjk and language.locale.language != "ko":
        parser.core.ruler.push("keep_last_characters", _keep_last_characters)
    return parser


_SPACES = f"[ \u00a0{NARROW_NBSP}]"


def _spacing(conventions: Typography) -> Callable[[StateCore], None]:
    inside = conventions.quotes[0].removeprefix("«")  # the space French sets inside « », or none
    marks = re.escape(conventions.spaced)
    # The spaces, or none, between a word and the punctuation that takes a space (not in 20:30 or a URL).
    before = re.compile(
        rf"(?:(?<=[^\s{marks}]){_SPACES}*|^{_SPACES}+)(?=[{marks}]+(?:\s|$|{_SPACES}?»))" if marks else "$^"
    )

    def spacing(state: StateCore) -> None:
        for text in _texts(state):
            content = re.sub(f"«{_SPACES}*", "«" + inside, text.content)
            content = re.sub(f"{_SPACES}*»", inside + "»", content)
            if marks:
                content = before.sub(NARROW_NBSP, content)
            text.content = content

    return spacing


def _pair_quotes(conventions: Typography) -> Callable[[StateCore], None]:
    """Pair the double quotes the smart-quote rule left straight: it looks for spaces around a quote,
    which Chinese and Japanese do not write, so in them a quote opens, the next one closes."""

    def pair_quotes(state: StateCore) -> None:
        for block in state.tokens:
            if block.type != "inline":
                continue
            opened = False
            for child in block.children or []:
                if child.type == "text" and '"' in child.content:
                    parts = child.content.split('"')
                    content = parts[0]
                    for part in parts[1:]:
                        content += conventions.quotes[1 if opened else 0] + part
                        opened = not opened
                    child.content = content

    return pair_quotes


# A CJK character (ideographs, kana, hangul, with the marks they take), then what may close the text:
# punctuation and closing quotes or brackets.
_CJK = r"[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
_LAST = re.compile(rf"(\S{_CJK}[^\w\s]*)$")


def _keep_last_characters(state: StateCore) -> None:
    """Keep the last two characters of each message on one line (with the punctuation after them),
    so that a paragraph never ends with a line of one character."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        last = block.children[-1]
        if last.type != "text":
            continue
        found = _LAST.search(last.content)
        if not found or (found.start() == 0 and len(block.children) == 1):
            continue  # two characters in all: nothing to keep together
        head = Token("text", "", 0, content=last.content[: found.start()])
        opening = Token("html_inline", "", 0, content='<span class="nobreak">')
        tail = Token("text", "", 0, content=found.group(1))
        closing = Token("html_inline", "", 0, content="</span>")
        block.children[-1:] = [head, opening, tail, closing]


def _texts(state: StateCore) -> list[Token]:
    return [
        child
        for block in state.tokens
        if block.type == "inline"
        for child in block.children or []
        if child.type == "text"
    ]


def label_pattern(language: Language) -> str:
    """How ``language`` joins a label and its value when its catalog does not say it: its script's
    way, with the space that French-like typography sets before a colon."""
    pattern = script_of(language).label
    if ":" in typography(language).spaced:
        pattern = pattern.replace("%(label)s:", f"%(label)s{NARROW_NBSP}:")
    return pattern
