"""Reading and writing ``.po``/``.pot`` files: a matched pair over paths, errors with their line.

The files are read and written by polib, which writes the previous source of a fuzzy entry
(``#| msgid``) the way GNU gettext does and reads it back; Babel's writer wraps those lines as prose,
which ``msgfmt`` and every PO editor then refuse, and its reader drops them. In memory a catalog stays
Babel's :class:`Catalog` (plural forms, locale data, updates). A catalog read from a file remembers
that file's header, so that writing it back changes only what the program changed: the header
fields keep the order and the values a translator or their tool gave them.
"""

from __future__ import annotations

import codecs
import gettext
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import polib
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import unescape

from .._disk import read_text, write_atomic
from .._errors import CatalogError

WRAP_WIDTH = 79
"""Where long strings are wrapped, as GNU gettext's tools wrap them by default (any width is valid)."""

# Header lines that change on every write even when no message did.
_VOLATILE = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"\n', re.MULTILINE)

_STRING = r'"(?:[^"\\]|\\[ntrabfv"\\?]|\\[0-7]{1,3}|\\x[0-9A-Fa-f]+)*"'
_LINE = re.compile(rf"^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_STRING}\s*$")
_PREVIOUS_LINE = re.compile(rf"^#\|\s*(?:(?:msgctxt|msgid|msgid_plural)\s+)?{_STRING}\s*$")
_PREVIOUS_PART = re.compile(rf"(msgctxt|msgid_plural|msgid)\s+((?:{_STRING}\s*)+)")
_QUOTED = re.compile(_STRING)


class PoCatalog(Catalog):
    """A catalog read from a ``.po`` or ``.pot`` file, with what writing it back keeps of the file."""

    origin: _Origin | None = None


@dataclass(frozen=True)
class _Origin:
    header_comment: str
    """The comment above the header entry, as the file has it (without the leading ``# ``)."""
    fields: tuple[tuple[str, str], ...]
    """The header's fields in the file's order."""
    as_read: tuple[tuple[str, str], ...]
    """Babel's view of the header right after reading: a field whose view changed since was set
    by the program, and is written anew; every other field is written as the file had it."""
    babel_comment: str
    previous_contexts: Mapping[tuple[str, ...], str] = field(default_factory=dict)
    """The ``#| msgctxt`` of fuzzy entries (Babel keeps no previous context), by previous msgid."""


class _OrderedPoFile(polib.POFile):
    """polib sorts the header's fields into an order of its own: keep the order they were given in."""

    def ordered_metadata(self) -> list[tuple[str, str]]:
        return list(self.metadata.items())


class _Entry(polib.POEntry):
    """An entry whose comments are written one line each, as GNU gettext writes them: polib wraps
    them like prose, which breaks a link to the web edition at its hyphens."""

    def __unicode__(self, wrapwidth: int = WRAP_WIDTH) -> str:
        comment, tcomment = self.comment, self.tcomment
        self.comment = self.tcomment = ""
        try:
            rest = super().__unicode__(wrapwidth)
        finally:
            self.comment, self.tcomment = comment, tcomment
        lines = [f"# {line}".rstrip() for line in tcomment.split("\n")] if tcomment else []
        if comment and not self.obsolete:
            lines += [f"#. {line}".rstrip() for line in comment.split("\n")]
        return "\n".join([*lines, rest])


class _Lines(str):
    """File text that polib splits into lines where gettext does, at ``\\n`` only: ``str.splitlines``
    would also split inside a translation holding a line separator (U+2028) or a form feed."""

    __slots__ = ()

    def splitlines(self, keepends: bool = False) -> list[str]:
        return self.split("\n")


# --- reading -------------------------------------------------------------------------------------


def _check_syntax(text: str, path: Path) -> None:
    """Refuse what a reader would silently read wrong: an unclosed quote drops a translation there."""
    # Lines end at \n only, as gettext reads them: a U+2028 inside a translation is just a character.
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip(" \t\r")
        if not stripped or stripped.startswith("#"):
            continue
        if not _LINE.match(stripped):
            raise CatalogError(
                f"syntax error in catalog: {stripped[:60]!r}",
                path=path,
                line=number,
                hint='each line is a keyword and a quoted string, such as msgstr "...", or a quoted '
                'continuation; quotes inside a string are written \\"',
            )


def _header_fields(text: str) -> list[tuple[int, str, str]]:
    """The header entry's fields (``msgstr`` of the first ``msgid ""``) with the line each starts on."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip() == 'msgid ""'), None)
    if start is None or start + 1 >= len(lines) or not lines[start + 1].strip().startswith("msgstr "):
        return []
    fields: list[tuple[int, str, str]] = []
    current, begins = "", start + 2
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if index > start + 1 and not stripped.startswith('"'):
            break
        piece = unescape(stripped.removeprefix("msgstr").strip())
        for char in piece:
            if not current:
                begins = index + 1
            if char == "\n":
                name, _, value = current.partition(":")
                fields.append((begins, name.strip(), value.strip()))
                current = ""
            else:
                current += char
    if current.strip():
        name, _, value = current.partition(":")
        fields.append((begins, name.strip(), value.strip()))
    return fields


def _check_header(text: str, path: Path) -> None:
    """Name the header line Babel would fail on (an unknown charset, language, date or plural rule)."""
    for line, name, value in _header_fields(text):
        problem = None
        if name.lower() == "content-type" and "charset=" in value:
            charset = value.split("charset=", 1)[1].split(";")[0].strip()
            try:
                known = codecs.lookup(charset).name
            except (LookupError, ValueError):  # ValueError: a NUL inside the name
                known = ""
            if known != "utf-8" and charset.upper() != "CHARSET":
                problem = f"charset {charset!r}: masthead reads catalogs as UTF-8"
        else:
            try:
                catalog = Catalog()
                catalog.mime_headers = [(name, value)]
                if name.lower() == "plural-forms":
                    # What gettext evaluates to pick a plural form: Babel reads it without a look.
                    gettext.c2py(catalog.plural_expr)
            except Exception as exc:  # Babel raises what its parsers raise; any of it means bad input
                problem = f"{type(exc).__name__}: {exc}"
        if problem:
            raise CatalogError(
                f"the header's {name} cannot be read: {problem}"[:300],
                path=path,
                line=line,
                hint="fix the header in a PO editor, or delete the line and let masthead write it again",
            )


def _gettext_form(text: str) -> str:
    """The text with two things GNU gettext reads and polib does not put right, line for line:
    a comment with no space after its ``#`` (``#note``), and the previous source of a fuzzy entry as
    earlier versions of masthead wrote it, wrapped like prose (``#| msgid "" "When the branch`` /
    ``#| opened its doors " "in 1996...``), which is joined again into one ``#| msgid`` line."""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        if re.match(r"#[^\s.:,|~#]", line):
            lines[index] = "# " + line[1:]
        if not line.startswith("#|"):
            index += 1
            continue
        end = index
        while end < len(lines) and lines[end].startswith("#|"):
            end += 1
        block = lines[index:end]
        if not all(_PREVIOUS_LINE.match(piece.rstrip()) for piece in block):
            joined = " ".join(piece[2:].strip() for piece in block)
            repaired = [
                f"#| {keyword} " + '"' + "".join(part[1:-1] for part in _QUOTED.findall(strings)) + '"'
                for keyword, strings in _PREVIOUS_PART.findall(joined)
            ]
            # Blank lines keep every later line where it was, so that errors name the file's lines.
            lines[index:end] = repaired[: len(block)] + [""] * (len(block) - len(repaired[: len(block)]))
        index = end
    return "\n".join(lines)


def _parse(text: str, path: Path) -> polib.POFile:
    try:
        return polib.pofile(_Lines(_gettext_form(text)), encoding="utf-8", klass=_OrderedPoFile)
    except (OSError, ValueError, IndexError, KeyError) as exc:
        # polib says "Syntax error in po file (line 12): unescaped double quote found".
        found = re.search(r"line (\d+)\)(?:: (.*))?", str(exc))
        detail = found.group(2) if found and found.group(2) else "a line gettext cannot read"
        raise CatalogError(
            f"syntax error in catalog: {detail}",
            path=path,
            line=int(found.group(1)) if found else None,
            hint="fix the line in a PO editor or text editor; strings must be quoted and escaped",
        ) from None


def _msgid_lines(lines: list[str], entries: Iterable[polib.POEntry]) -> dict[int, int]:
    """The line of each entry's ``msgid`` (polib counts from the entry's first comment), by id()."""
    found = {}
    for entry in entries:
        number = max(entry.linenum or 1, 1)
        while number <= len(lines) and not re.match(r"(#~\s*)?msgid\s", lines[number - 1].lstrip()):
            number += 1
        found[id(entry)] = number
    return found


def read_catalog(path: Path, locale: str | None = None, domain: str | None = None) -> Catalog:
    """Read a ``.po`` or ``.pot`` file; a syntax error names the file and line."""
    text = read_text(path, CatalogError)
    _check_syntax(text, path)
    _check_header(text, path)
    po = _parse(text, path)
    # polib gives the header entry's flags here (a list), though its name says yes or no.
    header_flags = cast(list[str] | bool, po.metadata_is_fuzzy)
    fuzzy = "fuzzy" in header_flags if isinstance(header_flags, list) else bool(header_flags)
    catalog = PoCatalog(locale=locale, domain=domain, fuzzy=fuzzy)
    babel_comment = "\n".join(f"# {line}".rstrip() if line else "#" for line in po.header.split("\n"))
    catalog.header_comment = babel_comment
    try:
        catalog.mime_headers = list(po.metadata.items())
    except Exception as exc:  # Babel raises what its parsers raise; any of it means bad input
        raise CatalogError(f"the header cannot be read: {exc}"[:300], path=path, line=1) from None
    lines = text.split("\n")
    msgid_line = _msgid_lines(lines, po)
    contexts: dict[tuple[str, ...], str] = {}
    for entry in po:
        message = _message(entry, catalog.num_plurals, msgid_line[id(entry)], path)
        key: str | tuple[str, str] = _singular(message.id)
        if message.context is not None:
            key = (_singular(message.id), message.context)
        if entry.obsolete:
            catalog.obsolete[key] = message
            continue
        if entry.previous_msgctxt is not None and message.previous_id:
            contexts[tuple(message.previous_id)] = entry.previous_msgctxt
        catalog[message.id] = message
    catalog.origin = _Origin(
        header_comment=po.header,
        fields=tuple(po.metadata.items()),
        as_read=tuple(catalog.mime_headers),
        babel_comment=catalog.header_comment,
        previous_contexts=contexts,
    )
    return catalog


def _singular(msgid: str | tuple[str, ...] | list[str]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _message(entry: polib.POEntry, plurals: int, line: int, path: Path) -> Message:
    msgid: str | tuple[str, str] = entry.msgid
    string: str | tuple[str, ...] = entry.msgstr
    if entry.msgid_plural:
        msgid = (entry.msgid, entry.msgid_plural)
        forms = entry.msgstr_plural or {0: entry.msgstr}
        if max(forms) >= plurals:
            raise CatalogError(
                f"msgstr[{max(forms)}]: this language has {plurals} plural forms, "
                f"msgstr[0] to msgstr[{plurals - 1}]",
                path=path,
                line=line,
                hint="remove the extra forms, or fix the header's Plural-Forms",
            )
        string = tuple(forms.get(index, "") for index in range(max(plurals, len(forms))))
    previous: list[str] = []
    if entry.fuzzy and entry.previous_msgid is not None:
        previous = [entry.previous_msgid]
        if entry.previous_msgid_plural is not None:
            previous.append(entry.previous_msgid_plural)
    # Babel's own reader keeps a reference without a line as (file, None), as this does.
    locations = cast(
        list[tuple[str, int]],
        [(name, int(number) if number.isdigit() else None) for name, number in entry.occurrences],
    )
    return Message(
        msgid,
        string,
        locations=locations,
        flags=entry.flags,
        auto_comments=entry.comment.split("\n") if entry.comment else [],
        user_comments=entry.tcomment.split("\n") if entry.tcomment else [],
        previous_id=previous,
        lineno=line,
        context=entry.msgctxt,
    )


# --- writing -------------------------------------------------------------------------------------


def _header(catalog: Catalog) -> tuple[str, list[tuple[str, str]]]:
    """The header comment and fields to write: the file's own, with what the program changed."""
    babel = [(name, value.strip()) for name, value in catalog.mime_headers]
    origin = catalog.origin if isinstance(catalog, PoCatalog) else None
    if origin is None:
        return _comment_text(catalog.header_comment), babel
    before = {name.lower(): value.strip() for name, value in origin.as_read}
    changed = {name.lower(): (name, value) for name, value in babel if before.get(name.lower()) != value}
    fields = []
    for name, value in origin.fields:
        fields.append((name, changed.pop(name.lower(), (name, value))[1]))
    fields += changed.values()
    comment = origin.header_comment
    if catalog.header_comment != origin.babel_comment:
        comment = _comment_text(catalog.header_comment)
    return comment, fields


def _comment_text(comment: str) -> str:
    """Babel's header comment (``# `` lines) as polib holds it (the lines without their ``#``)."""
    return "\n".join(re.sub(r"^# ?", "", line) for line in comment.rstrip("\n").split("\n"))


def _sorted(locations: Iterable[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
    # By file and line, as Babel wrote them: a catalog does not change when only the order in which
    # the sources were read does.
    return sorted(locations, key=lambda location: (location[0], location[1] or -1))


def _flags(flags: Iterable[str]) -> list[str]:
    # gettext's tools put "fuzzy" first.
    return sorted(flags, key=lambda flag: (flag != "fuzzy", flag))


def _entry(message: Message, origin: _Origin | None, *, obsolete: bool) -> polib.POEntry:
    msgid, plural = (message.id, "") if isinstance(message.id, str) else (message.id[0], message.id[1])
    entry = _Entry(
        msgid=msgid,
        msgid_plural=plural,
        msgctxt=message.context,
        occurrences=[(name, str(line) if line else "") for name, line in _sorted(message.locations)],
        comment="\n".join(message.auto_comments),
        tcomment="\n".join(message.user_comments),
        flags=_flags(message.flags),
        obsolete=obsolete,
    )
    if plural:
        forms = message.string if isinstance(message.string, tuple | list) else (message.string or "",)
        entry.msgstr_plural = {index: str(form or "") for index, form in enumerate(forms)}
    else:
        entry.msgstr = str(message.string or "")
    # polib reads no previous source of an obsolete entry (#~|): it is not written, so that reading
    # a catalog back gives what was written.
    if message.previous_id and message.fuzzy and not obsolete:
        entry.previous_msgid = message.previous_id[0]
        if len(message.previous_id) > 1:
            entry.previous_msgid_plural = message.previous_id[1]
        if origin is not None:
            entry.previous_msgctxt = origin.previous_contexts.get(tuple(message.previous_id))
    return entry


def catalog_bytes(catalog: Catalog, width: int = WRAP_WIDTH) -> bytes:
    """The catalog as GNU gettext writes a ``.po`` file, long strings wrapped at ``width``."""
    po = _OrderedPoFile(wrapwidth=width, encoding="utf-8")
    po.header, fields = _header(catalog)
    po.metadata = dict(fields)
    po.metadata_is_fuzzy = catalog.fuzzy
    origin = catalog.origin if isinstance(catalog, PoCatalog) else None
    for message in catalog:
        if message.id:
            po.append(_entry(message, origin, obsolete=False))
    for message in catalog.obsolete.values():
        po.append(_entry(message, origin, obsolete=True))
    return str(po).encode("utf-8")


# What ``msginit --no-translator`` writes: a catalog that no person has revised yet.
NO_TRANSLATOR = "Automatically generated"


def _fill_header(catalog: Catalog) -> None:
    """Replace the template's placeholders that ``msgfmt -c`` warns about; a translator's own
    ``Last-Translator`` and ``PO-Revision-Date`` (set by their PO editor) are kept as they are."""
    if catalog.last_translator.startswith("FULL NAME"):
        catalog.last_translator = NO_TRANSLATOR
    if not isinstance(catalog.revision_date, datetime):
        catalog.revision_date = datetime.now(UTC)


def _same(old: bytes, new: bytes) -> bool:
    return _VOLATILE.sub(b"", old) == _VOLATILE.sub(b"", new)


def write_catalog(path: Path, catalog: Catalog, width: int = WRAP_WIDTH) -> bool:
    """Write ``catalog`` atomically, unless only its dates would change; return whether it was written.

    A file another tool wrapped or ordered otherwise is left alone too when what it says is the same."""
    if path.suffix == ".po":
        _fill_header(catalog)
    data = catalog_bytes(catalog, width)
    if path.is_file():
        old = path.read_bytes()
        if _same(old, data):
            return False
        try:
            again = catalog_bytes(read_catalog(path, locale=str(catalog.locale or "") or None), width)
        except CatalogError:
            again = b""
        if _same(again, data):
            return False
    write_atomic(path, data)
    return True
