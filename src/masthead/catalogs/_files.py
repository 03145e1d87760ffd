"""Reading and writing ``.po``/``.pot`` files: a matched pair over paths, errors with their line."""

from __future__ import annotations

import codecs
import io
import re
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, unescape, write_po

from .._disk import read_text, write_atomic
from .._errors import CatalogError

# Header lines that change on every write even when no message did.
_VOLATILE = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"\n', re.MULTILINE)


_STRING = r'"(?:[^"\\]|\\[ntrabfv"\\?]|\\[0-7]{1,3}|\\x[0-9A-Fa-f]+)*"'
_LINE = re.compile(rf"^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_STRING}\s*$")


def _check_syntax(text: str, path: Path) -> None:
    """Refuse what Babel would silently read wrong: an unclosed quote drops a translation there."""
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
                Catalog().mime_headers = [(name, value)]
            except Exception as exc:  # Babel raises what its parsers raise; any of it means bad input
                problem = f"{type(exc).__name__}: {exc}"
        if problem:
            raise CatalogError(
                f"the header's {name} cannot be read: {problem}"[:300],
                path=path,
                line=line,
                hint="fix the header in a PO editor, or delete the line and let masthead write it again",
            )


def read_catalog(path: Path, locale: str | None = None, domain: str | None = None) -> Catalog:
    """Read a ``.po`` or ``.pot`` file; a syntax error names the file and line."""
    text = read_text(path, CatalogError)
    _check_syntax(text, path)
    _check_header(text, path)
    try:
        with path.open("rb") as stream:
            catalog = read_po(stream, locale=locale, domain=domain, abort_invalid=True)
    except PoFileError as exc:
        raise CatalogError(
            f"syntax error in catalog: {str(exc).rsplit(' on ', 1)[0]}: {exc.line.strip()!r}",
            path=path,
            line=exc.lineno + 1,
            hint="fix the line in a PO editor or text editor; strings must be quoted and escaped",
        ) from None
    except (UnicodeDecodeError, ValueError, LookupError) as exc:
        raise CatalogError(f"cannot read catalog: {exc}", path=path, line=1) from None
    _restore_previous_ids(catalog, text)
    return catalog


def _restore_previous_ids(catalog: Catalog, text: str) -> None:
    """Babel writes ``#| msgid`` (the source a fuzzy translation was made for) but does not read it
    back; restore it so that updating a catalog never drops what a translator needs to see."""
    # Babel reads "#| msgid" lines as translator comments ("| msgid ..."): drop those, or every
    # later write would turn them into "# | msgid" comments.
    for message in (*catalog, *catalog.obsolete.values()):
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    previous: dict[int, str] = {}
    pending: list[str] = []
    in_previous = False
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("#| msgid "):
            pending, in_previous = [line[len("#| msgid ") :]], True
        elif line.startswith('#| "') and in_previous:
            pending.append(line[3:])
        elif line.startswith("msgid ") and pending:
            previous[number] = "".join(_unquote(part) for part in pending)
            pending, in_previous = [], False
        elif not line.startswith("#"):
            in_previous = False
    if not previous:
        return
    for message in catalog:
        if message.lineno in previous and message.fuzzy:
            message.previous_id = [previous[message.lineno]]


def _unquote(part: str) -> str:
    from babel.messages.pofile import unescape

    return unescape(part.strip())


def catalog_bytes(catalog: Catalog) -> bytes:
    stream = io.BytesIO()
    write_po(stream, catalog, width=96, include_previous=True, sort_output=False)
    return stream.getvalue()


# What ``msginit --no-translator`` writes: a catalog that no person has revised yet.
NO_TRANSLATOR = "Automatically generated"


def _fill_header(catalog: Catalog) -> None:
    """Replace the template's placeholders that ``msgfmt -c`` warns about; a translator's own
    ``Last-Translator`` and ``PO-Revision-Date`` (set by their PO editor) are kept as they are."""
    if catalog.last_translator.startswith("FULL NAME"):
        catalog.last_translator = NO_TRANSLATOR
    if not isinstance(catalog.revision_date, datetime):
        catalog.revision_date = datetime.now(UTC)


def write_catalog(path: Path, catalog: Catalog) -> bool:
    """Write ``catalog`` atomically, unless only its dates would change; return whether it was written."""
    if path.suffix == ".po":
        _fill_header(catalog)
    data = catalog_bytes(catalog)
    if path.is_file() and _VOLATILE.sub(b"", path.read_bytes()) == _VOLATILE.sub(b"", data):
        return False
    write_atomic(path, data)
    return True
