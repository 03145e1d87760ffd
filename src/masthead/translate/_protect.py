"""Shield what a translator must not touch, restore it afterwards, and say what came back broken.

Inline Markdown (emphasis markers, link brackets with their URLs, code), bare URLs, e-mail addresses,
numbers, placeholders and the issue's untranslatable names are replaced by numbered markers such as
``⟦3⟧`` before a text goes to a provider: machine translation engines pass such bracketed numbers
through, while they translate, re-punctuate or re-space anything that looks like words. The markers
are put back afterwards; a marker that comes back missing, twice, unknown or garbled is a problem
the caller records instead of publishing the result.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

OPEN, CLOSE, ATOM = "open", "close", "atom"
_MARKER = re.compile(r"⟦\s*(\d+)\s*⟧")

_TITLE = r'(?:\s+"[^"]*")?'
_DEST = r"[^()\s]*(?:\([^()\s]*\)[^()\s]*)*"
_PATTERNS = [
    ("escape", r"\\[\\`*_{}\[\]()#+\-.!<>|~]"),
    ("marker", r"[⟦⟧]"),
    ("code", r"``[^`]+``|`[^`]+`"),
    ("autolink", r"<(?:https?://|mailto:)[^>\s]+>|<[^@\s<>]+@[^@\s<>]+>"),
    ("image", rf"!\[[^\]]*\]\({_DEST}{_TITLE}\)"),
    ("link_open", rf"\[(?=(?:[^\[\]]|\[[^\[\]]*\])*\]\({_DEST}{_TITLE}\))"),
    ("link_close", rf"\]\({_DEST}{_TITLE}\)"),
    ("entity", r"&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);"),
    ("url", r"\b(?:https?://|mailto:|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]"),
    ("email", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    ("placeholder", r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]|%[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}"),
    ("names", None),
    ("number", r"(?<![\w.])\d+(?:[.,:/]\d+)*"),
    ("emphasis", r"\*{1,3}|(?<![A-Za-z0-9])_{1,3}|_{1,3}(?![A-Za-z0-9])"),
]


@dataclass(frozen=True)
class Shielded:
    """A text with its protected parts replaced by markers ``⟦0⟧``, ``⟦1⟧``, ..."""

    text: str
    pieces: tuple[str, ...]
    """What each marker stands for, by number."""
    kinds: tuple[str, ...]
    """``open`` (an opening emphasis or link bracket), ``close`` or ``atom``."""


def _scanner(names: Iterable[str]) -> re.Pattern[str]:
    parts = []
    ordered = sorted({n for n in names if n.strip()}, key=len, reverse=True)
    for group, pattern in _PATTERNS:
        if group == "names":
            if not ordered:
                continue
            pattern = r"(?<!\w)(?:" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)"
        parts.append(f"(?P<{group}>{pattern})")
    return re.compile("|".join(parts))


def _kind(group: str, text: str, start: int, end: int) -> str:
    if group == "link_open":
        return OPEN
    if group == "link_close":
        return CLOSE
    if group != "emphasis":
        return ATOM
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if not after.isspace() and (before.isspace() or not before.isalnum()) and before not in "*_":
        return OPEN
    if not before.isspace():
        return CLOSE
    return ATOM


def shield(text: str, names: Iterable[str] = ()) -> Shielded:
    pieces: list[str] = []
    kinds: list[str] = []
    out: list[str] = []
    position = 0
    for match in _scanner(names).finditer(text):
        group = match.lastgroup or "atom"
        out.append(text[position : match.start()])
        out.append(f"⟦{len(pieces)}⟧")
        pieces.append(match.group())
        kinds.append(_kind(group, text, match.start(), match.end()))
        position = match.end()
    out.append(text[position:])
    return Shielded("".join(out), tuple(pieces), tuple(kinds))


def restore(shielded: Shielded, translated: str) -> tuple[str, list[str]]:
    """Put the protected parts back into ``translated``; return it and what was lost or garbled."""
    problems: list[str] = []
    found = Counter(int(m.group(1)) for m in _MARKER.finditer(translated))
    expected = range(len(shielded.pieces))
    missing = [shielded.pieces[i] for i in expected if found[i] == 0]
    doubled = [shielded.pieces[i] for i in expected if found[i] > 1]
    unknown = sorted(i for i in found if i >= len(shielded.pieces))
    if missing:
        problems.append("lost " + _describe(missing))
    if doubled:
        problems.append("repeated " + _describe(doubled))
    if unknown:
        problems.append(f"invented markers {unknown}")

    def put_back(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return shielded.pieces[index] if index < len(shielded.pieces) else ""

    # An opening marker hugs the text after it, a closing one the text before it, as in the source.
    text = translated
    for index, kind in enumerate(shielded.kinds):
        if kind == OPEN:
            text = re.sub(rf"(⟦\s*{index}\s*⟧)\s+", r"\1", text)
        elif kind == CLOSE:
            text = re.sub(rf"\s+(⟦\s*{index}\s*⟧)", r"\1", text)
    text = _MARKER.sub(put_back, text)
    if "  " in text and "  " not in "".join(shielded.pieces) + _MARKER.sub("x", shielded.text):
        text = re.sub(r"(?<=\S) {2,}(?=\S)", " ", text)  # spaces a provider put around markers
    stray = sum(text.count(c) for c in "⟦⟧") - sum(p.count("⟦") + p.count("⟧") for p in shielded.pieces)
    if stray > 0:
        problems.append("garbled markers")
    return text, problems


def _describe(pieces: list[str]) -> str:
    named: list[str] = []
    for piece in pieces:
        if piece == "[":
            continue
        if piece.startswith("]("):
            name = "the link to " + piece[2:-1].split()[0]
        elif set(piece) <= {"*", "_"}:
            name = "emphasis"
        else:
            name = repr(piece)
        if name not in named:
            named.append(name)
    return ", ".join(named) or "a link"


_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟])\s+")


def split(text: str, limit: int, measure: object = len) -> list[str]:
    """Cut ``text`` into pieces no longer than ``limit`` (by ``measure``), at sentence ends where it can,
    then between words, and only as a last resort inside a word. Joining the pieces with one space
    gives the text back (up to the kind of whitespace at the cuts)."""
    size = measure if callable(measure) else len
    if size(text) <= limit:
        return [text]
    units: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if size(sentence) <= limit:
            units.append(sentence)
            continue
        for word in sentence.split():
            while size(word) > limit:
                cut = limit
                while cut > 1 and size(word[:cut]) > limit:
                    cut -= 1
                units.append(word[:cut])
                word = word[cut:]
            units.append(word)
    chunks: list[str] = []
    for unit in units:
        if chunks and size(chunks[-1] + " " + unit) <= limit:
            chunks[-1] += " " + unit
        else:
            chunks.append(unit)
    return chunks


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--|<\?|javascript:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def untrusted(source: str, translated: str) -> tuple[str, list[str]]:
    """Treat a provider's answer as untrusted text: drop control characters and report any markup
    (HTML tags, comments, ``javascript:``) that the source does not have."""
    text = _CONTROL.sub("", translated)
    have = Counter(m.group().lower() for m in _TAG.finditer(source))
    extra = Counter(m.group().lower() for m in _TAG.finditer(text)) - have
    problems = []
    if extra:
        shown = ", ".join(sorted(tag[:30] for tag in extra))
        problems.append(f"markup the source does not have: {shown}")
    return text, problems
