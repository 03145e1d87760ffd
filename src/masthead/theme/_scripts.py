"""The script table: how each writing system is set, decided once for the print edition, the web page
and the email.

Styles follow the script of the text, not a list of languages: an English kicker inside a Hindi
edition keeps its letter-spacing, a Hindi one never gets it, whichever edition it is printed in. Each
row says which Noto families draw the script (serif and sans, and the Debian package that has them),
and which of the Latin habits its readers accept: letter-spacing (never on a joined or cluster script,
whose letters touch or stack), justification by widening spaces (never where spaces only part
phrases, as in Thai), hyphenation, capitals, slanted emphasis; its quotation marks, how a label meets
its value ("Website: ", "ウェブサイト：", "Հասցե՝ "), its line-breaking rule and its leading.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from markupsafe import Markup

from .._language import Language

LABEL_PATTERN = "%(label)s: %(value)s"
"""The theme's message for a label and its value; each catalog writes it in its language's way."""


@dataclass(frozen=True)
class Script:
    code: str
    """ISO 15924 (``Latn``, ``Deva``); the Han variants by their fonts' region (``Hans``, ``Jpan``)."""
    name: str
    serif: str
    sans: str
    package: str
    """The Debian package that has both families."""
    ranges: tuple[tuple[int, int], ...] = ()
    """The code points of the script's own letters (for Han, the ideographs every variant shares)."""
    email: tuple[str, ...] = ()
    """Families the email names before the Noto ones: what readers' phones and desktops have."""
    rtl: bool = False
    tracking: bool = True
    """Letter-spacing allowed. Never on a script whose letters join (Arabic), stack into clusters
    (every Indic script, Thai and its neighbours) or sit on a square grid (CJK)."""
    justify: bool = True
    """Justified by widening the spaces between words; Thai, Lao, Khmer and Myanmar put spaces only
    between phrases, and Chinese and Japanese none at all: they are set ragged."""
    hyphens: bool = True
    uppercase: bool = True
    """Kickers and labels may be set in capitals (the script has them, and the renderers set them right)."""
    slant: bool = True
    """Emphasis may be slanted: the fonts have true italics. Other scripts emphasise by weight or marks."""
    quotes: tuple[str, str, str, str] = ("“", "”", "‘", "’")
    """The marks a language of this script uses unless its own are known (see ``_typography``)."""
    label: str = LABEL_PATTERN
    """A label and its value, when the theme's catalog does not say it for the language."""
    line_break: str = "spaces"
    """``spaces`` (between words), ``ideographic`` (between characters, with the CJK rules that keep
    closing marks and small kana off a line's start), ``keep-all`` (Korean: between words, never
    inside one), ``dictionary`` (between the words a dictionary finds: Thai, Lao, Khmer, Myanmar)."""
    leading: float = 1.5
    """Print leading: scripts with marks above and below the letters need more room between lines."""
    size: str = "9.6pt"
    """Print body size: scripts whose letters are small on their body (Arabic, Indic, Thai,
    Ethiopic) are set larger, so that they read at the size Latin does."""

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    @property
    def families(self) -> tuple[str, str]:
        return self.serif, self.sans

    @property
    def sample(self) -> str:
        """A letter of the script, to ask fontconfig which font draws it."""
        for start, end in self.ranges:
            for code in range(start, end + 1):
                if unicodedata.category(chr(code)).startswith("L"):
                    return chr(code)
        return ""


def _rows(*ranges: tuple[int, int]) -> tuple[tuple[int, int], ...]:
    return ranges


_CORE = "fonts-noto-core"
_CJK = "fonts-noto-cjk"
_CJK_OPTIONS: dict[str, Any] = {
    "tracking": False, "justify": False, "hyphens": False, "uppercase": False, "slant": False,
    "line_break": "ideographic", "leading": 1.7,
}  # fmt: skip
_CORNERS: dict[str, Any] = {"quotes": ("「", "」", "『", "』"), "label": "%(label)s：%(value)s"}
_HAN = _rows((0x2E80, 0x2FDF), (0x3005, 0x3007), (0x3021, 0x3029), (0x3100, 0x312F), (0x31A0, 0x31BF),
             (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))  # fmt: skip
# Joined and cluster scripts: no tracking, no capitals, no slant, no hyphenation (no renderer has a
# dictionary for them, and their readers break lines between words).
_CLUSTER: dict[str, Any] = {
    "tracking": False, "hyphens": False, "uppercase": False, "slant": False, "leading": 1.7, "size": "10.2pt",
}  # fmt: skip
_PHRASES: dict[str, Any] = _CLUSTER | {"justify": False, "line_break": "dictionary", "size": "10.4pt"}


def _indic(
    code: str, name: str, start: int, *more: tuple[int, int], serif: str = "", email: tuple[str, ...] = ()
) -> Script:
    # Nirmala UI draws every Indic script on Windows; the others are Apple's.
    return Script(code, name, serif or f"Noto Serif {name}", f"Noto Sans {name}", _CORE,
                  _rows((start, start + 0x7F), *more), email=(f"Noto Sans {name}", *email, "Nirmala UI"),
                  **_CLUSTER)  # fmt: skip


SCRIPTS: dict[str, Script] = {
    script.code: script
    for script in (
        Script("Latn", "Latin", "Noto Serif", "Noto Sans", _CORE,
               _rows((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x24F), (0x1E00, 0x1EFF),
                     (0x2C60, 0x2C7F), (0xA720, 0xA7FF), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)),
               email=("Noto Sans", "Segoe UI", "Helvetica", "Arial")),
        Script("Cyrl", "Cyrillic", "Noto Serif", "Noto Sans", _CORE,
               _rows((0x400, 0x52F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F)),
               quotes=("«", "»", "„", "“")),
        # Greek capitals drop their accents, which a renderer's uppercasing keeps: no capitals.
        Script("Grek", "Greek", "Noto Serif", "Noto Sans", _CORE, _rows((0x370, 0x3FF), (0x1F00, 0x1FFF)),
               uppercase=False, quotes=("«", "»", "“", "”")),
        Script("Armn", "Armenian", "Noto Serif Armenian", "Noto Sans Armenian", _CORE,
               _rows((0x530, 0x58F), (0xFB13, 0xFB17)), hyphens=False, slant=False,
               quotes=("«", "»", "«", "»"), label="%(label)s՝ %(value)s"),
        Script("Geor", "Georgian", "Noto Serif Georgian", "Noto Sans Georgian", _CORE,
               _rows((0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)),
               hyphens=False, uppercase=False, slant=False, quotes=("„", "“", "«", "»")),
        Script("Hebr", "Hebrew", "Noto Serif Hebrew", "Noto Sans Hebrew", _CORE,
               _rows((0x590, 0x5FF), (0xFB1D, 0xFB4F)), email=("Noto Sans Hebrew", "Arial"), rtl=True,
               tracking=False, hyphens=False, uppercase=False, slant=False, quotes=("”", "”", "’", "’"),
               leading=1.65, size="10.4pt"),
        Script("Arab", "Arabic", "Noto Naskh Arabic", "Noto Sans Arabic", _CORE,
               _rows((0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
               email=("Noto Naskh Arabic", "Noto Sans Arabic", "Geeza Pro", "Tahoma"), rtl=True,
               quotes=("«", "»", "“", "”"),
               **_CLUSTER | {"leading": 1.65, "size": "10.4pt"}),
        _indic("Deva", "Devanagari", 0x900, (0xA8E0, 0xA8FF), email=("Kohinoor Devanagari", "Mangal")),
        _indic("Beng", "Bengali", 0x980, email=("Kohinoor Bangla", "Vrinda")),
        _indic("Guru", "Gurmukhi", 0xA00),
        _indic("Gujr", "Gujarati", 0xA80),
        _indic("Orya", "Oriya", 0xB00, serif="Noto Sans Oriya"),
        _indic("Taml", "Tamil", 0xB80, (0x11FC0, 0x11FFF), email=("Tamil Sangam MN", "Latha")),
        _indic("Telu", "Telugu", 0xC00),
        _indic("Knda", "Kannada", 0xC80),
        _indic("Mlym", "Malayalam", 0xD00),
        _indic("Sinh", "Sinhala", 0xD80),
        Script("Thai", "Thai", "Noto Serif Thai", "Noto Sans Thai", _CORE, _rows((0xE00, 0xE7F)),
               email=("Noto Sans Thai", "Thonburi", "Leelawadee UI", "Tahoma"), **_PHRASES),
        Script("Laoo", "Lao", "Noto Serif Lao", "Noto Sans Lao", _CORE, _rows((0xE80, 0xEFF)),
               **_PHRASES),
        Script("Khmr", "Khmer", "Noto Serif Khmer", "Noto Sans Khmer", _CORE,
               _rows((0x1780, 0x17FF), (0x19E0, 0x19FF)), quotes=("«", "»", "“", "”"),
               **_PHRASES | {"leading": 1.8}),
        Script("Mymr", "Myanmar", "Noto Serif Myanmar", "Noto Sans Myanmar", _CORE,
               _rows((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)),
               **_PHRASES | {"leading": 1.9}),
        Script("Tibt", "Tibetan", "Noto Serif Tibetan", "Noto Serif Tibetan", _CORE, _rows((0xF00, 0xFFF)),
               **_CLUSTER | {"leading": 1.8}),
        # Ethiopic's syllables stand apart, but spacing them out reads as a list of syllables; its
        # preface colon (፦) introduces a value.
        Script("Ethi", "Ethiopic", "Noto Serif Ethiopic", "Noto Sans Ethiopic", _CORE,
               _rows((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)), tracking=False, hyphens=False,
               uppercase=False, slant=False, quotes=("«", "»", "‹", "›"), label="%(label)s፦ %(value)s",
               email=("Noto Sans Ethiopic", "Kefa", "Nyala", "Ebrima"),
               leading=1.6, size="10.2pt"),
        Script("Hans", "Han (Simplified)", "Noto Serif CJK SC", "Noto Sans CJK SC", _CJK, _HAN,
               email=("Noto Sans CJK SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei"),
               label="%(label)s：%(value)s", **_CJK_OPTIONS),
        Script("Hant", "Han (Traditional)", "Noto Serif CJK TC", "Noto Sans CJK TC", _CJK, _HAN,
               email=("Noto Sans CJK TC", "PingFang TC", "Microsoft JhengHei"),
               **_CORNERS, **_CJK_OPTIONS),
        Script("Hant-HK", "Han (Hong Kong)", "Noto Serif CJK HK", "Noto Sans CJK HK", _CJK, _HAN,
               email=("Noto Sans CJK HK", "PingFang HK", "Microsoft JhengHei"),
               **_CORNERS, **_CJK_OPTIONS),
        # Japanese: kana, and the ideographs in their Japanese forms.
        Script("Jpan", "Japanese", "Noto Serif CJK JP", "Noto Sans CJK JP", _CJK,
               _rows((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)),
               email=("Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Meiryo"),
               **_CORNERS, **_CJK_OPTIONS),
        # Korean: hangul, set between words (keep-all) on screens, never split inside one; print,
        # which cannot keep words whole, justifies between syllables as Korean books do.
        Script("Kore", "Korean", "Noto Serif CJK KR", "Noto Sans CJK KR", _CJK,
               _rows((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF)),
               email=("Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic"),
               **_CJK_OPTIONS | {"line_break": "keep-all", "justify": True}),
    )
}  # fmt: skip

HAN = "Hani"
"""What :func:`char_script` says of an ideograph: its forms are those of the language it is read in."""

# Languages whose own conventions differ from their script's row.
_LANGUAGES: dict[str, Script] = {
    # Urdu reads in Nastaliq where the reader's system has it.
    "ur": replace(SCRIPTS["Arab"], email=("Noto Nastaliq Urdu", "Noto Naskh Arabic", "Tahoma")),
}

_LATIN = Language("und-Latn", "und_Latn", "ltr", "Latin")
"""Latin text of no particular language: an address, a web address set apart."""

_SCRIPT_OF_LANGUAGE = {"Jpan": "Jpan", "Kore": "Kore", "Hang": "Kore", "Hira": "Jpan", "Kana": "Jpan"}


@cache
def script_of(language: Language) -> Script:
    """The row for ``language``: its own, else its script's (Chinese by its characters and region,
    Hong Kong its own forms), else Latin."""
    locale = language.locale
    if locale.language in _LANGUAGES:
        return _LANGUAGES[locale.language]
    code = language.script
    if locale.language == "zh":
        traditional = code == "Hant" or (not locale.script and locale.territory in {"TW", "HK", "MO"})
        if traditional and locale.territory == "HK":
            return SCRIPTS["Hant-HK"]
        return SCRIPTS["Hant" if traditional else "Hans"]
    if locale.language == "ja":
        return SCRIPTS["Jpan"]
    if locale.language == "ko":
        return SCRIPTS["Kore"]
    return SCRIPTS.get(_SCRIPT_OF_LANGUAGE.get(code, code), SCRIPTS["Latn"])


_RANGES: list[tuple[int, int, str]] = sorted(
    {(start, end, HAN if code.startswith("Han") else code)
     for code, script in SCRIPTS.items() for start, end in script.ranges}
)  # fmt: skip
_STARTS = [start for start, _end, _code in _RANGES]


def char_script(char: str) -> str | None:
    """The script code of a letter or ideograph (``Latn``, ``Deva``, ``Hani`` for any ideograph,
    ``Jpan`` for kana, ``Kore`` for hangul); ``None`` for what has none (spaces, digits, punctuation)."""
    code = ord(char)
    index = bisect.bisect_right(_STARTS, code) - 1
    if index >= 0 and _RANGES[index][0] <= code <= _RANGES[index][1]:
        return _RANGES[index][2]
    return None


def char_row(char: str, language: Language) -> Script | None:
    """The row that sets ``char`` in a text of ``language``: an ideograph takes the language's Han
    variant (Japanese forms in Japanese), or Simplified Chinese in a language that writes none."""
    code = char_script(char)
    if code is None:
        return None
    if code == HAN:
        own = script_of(language)
        return own if own.code.startswith(("Han", "Jpan", "Kore")) else SCRIPTS["Hans"]
    return SCRIPTS[code]


def text_rows(text: str, language: Language) -> list[Script]:
    """The rows of the scripts written in ``text`` (read in ``language``), in order of first use."""
    rows: dict[str, Script] = {}
    for char in dict.fromkeys(text):
        row = char_row(char, language)
        if row is not None:
            rows.setdefault(row.code, row)
    return list(rows.values())


def allows(text: str, language: Language, feature: str) -> bool:
    """Whether every script written in ``text`` (read in ``language``) allows ``feature``
    (``tracking``, ``uppercase``, ...); a text without letters takes its language's rule."""
    rows = text_rows(text, language) or [script_of(language)]
    return all(getattr(row, feature) for row in rows)


def run_tag(code: str) -> str:
    """The ``lang`` for a run in a script that no language of the newsletter writes: undetermined
    language in that script (``und-Deva``), so that it is styled by its script."""
    return f"und-{'Hani' if code == HAN else code}"


FEATURES = ("tracking", "justify", "hyphens", "uppercase", "slant")


@dataclass(frozen=True)
class ScriptRules:
    """What one output's CSS needs from the table: the edition's row, and for each feature a
    selector for the text whose script lacks it, whatever language it is in: the newsletter's
    languages written in such a script, and a run in such a script that no language of the
    newsletter writes (marked ``und-Xxxx``)."""

    edition: Language
    languages: tuple[Language, ...] = ()

    @property
    def own(self) -> Script:
        return script_of(self.edition)

    def without(self, feature: str) -> Markup:
        """``:lang(hi), :lang(th), :lang(und-Deva), ...``: the text whose script lacks ``feature``."""
        return Markup(", ".join(f":lang({tag})" for tag in self.tags(feature)) or ":not(*)")

    def line_breaking(self, rule: str) -> Markup:
        """The text whose script breaks its lines by ``rule`` (``ideographic``, ``keep-all``...)."""
        tags = [lang.tag for lang in self._all() if script_of(lang).line_break == rule]
        tags += [run_tag(row.code) for row in _unique_codes() if row.line_break == rule]
        return Markup(", ".join(f":lang({tag})" for tag in dict.fromkeys(tags)) or ":not(*)")

    def tags(self, feature: str, *, allowed: bool = False) -> list[str]:
        """The ``lang`` values of the text whose script allows ``feature`` (or lacks it): for
        attribute selectors, where ``:lang()`` is not understood (an email's inliner)."""
        if feature not in FEATURES:
            raise ValueError(f"unknown script feature {feature!r}; known: {', '.join(FEATURES)}")
        tags = [lang.tag for lang in self._all() if getattr(script_of(lang), feature) is allowed]
        if not allowed:
            tags += [run_tag(row.code) for row in _unique_codes() if not getattr(row, feature)]
        return list(dict.fromkeys(tags))

    def islands(self) -> list[tuple[Markup, Script]]:
        """For Latin and each script of the newsletter's other languages, when it is not the
        edition's own, a selector for text in it (in one of those languages, or a run marked
        ``und-Xxxx``) and its row: such text takes its own script's fonts first, so that its digits
        and punctuation match its letters. In a right-to-left edition, anything set apart left to
        right counts as Latin."""
        found: dict[str, tuple[list[str], Script]] = {}
        for lang in (*self._all(), _LATIN):
            row = script_of(lang)
            if row.code != self.own.code and lang != _LATIN:
                found.setdefault(row.code, ([], row))[0].append(f":lang({lang.tag})")
            elif row.code != self.own.code:
                found.setdefault(row.code, ([], row))
        for tags, row in found.values():
            if not row.code.startswith(("Han", "Jpan", "Kore")):
                tags.append(f":lang({run_tag(row.code)})")
        selectors = []
        for code, (tags, row) in found.items():
            selector = f"[lang]:is({', '.join(tags)})"
            if code == "Latn" and self.own.rtl:
                selector += ', [dir="ltr"]'
            selectors.append((Markup(selector), row))
        return selectors

    def allowed(self, feature: str) -> Markup:
        """The newsletter's languages whose script allows ``feature``, as a selector."""
        return Markup(", ".join(f":lang({tag})" for tag in self.tags(feature, allowed=True)) or ":not(*)")

    def stack(self, kind: str, *, first: Sequence[str] = ()) -> list[str]:
        """Families for ``kind`` (``serif``, ``sans`` or ``email``): ``first``, the edition's script,
        Latin, the scripts of the newsletter's other languages, the ideographs (in Simplified Chinese
        forms unless a language of the newsletter writes them otherwise), then, in print and on the
        web, every other script of the table: a name or quotation in any script has a font."""
        rows = [self.own, SCRIPTS["Latn"], *(script_of(lang) for lang in self._all()), SCRIPTS["Hans"]]
        if kind != "email":
            rows += [row for row in SCRIPTS.values() if row.package != _CJK]
        families: list[str] = list(first)
        for row in rows:
            if kind == "email":
                families += [*row.email, row.sans]
            else:
                families.append(row.serif if kind == "serif" else row.sans)
        return list(dict.fromkeys(families))

    def _all(self) -> Iterable[Language]:
        return dict.fromkeys((self.edition, *self.languages))


@cache
def _unique_codes() -> tuple[Script, ...]:
    """One row per script code a run can be marked with (the Han variants share ``Hani``)."""
    rows: dict[str, Script] = {}
    for row in SCRIPTS.values():
        code = HAN if row.code.startswith("Han") else row.code
        rows.setdefault(code, replace(row, code=code))
    return tuple(rows.values())


def text_direction(text: str) -> str | None:
    """The direction of ``text`` by its first letter with one (as ``dir="auto"`` finds it), or
    ``None`` when it has none (digits and punctuation only)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None
