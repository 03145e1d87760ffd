"""Reading what a person wrote: UTF-8 text, or an error naming the line of the first bad byte."""

from __future__ import annotations

from pathlib import Path

from .._errors import MastheadError

_SAVE_AS_UTF8 = "save the file as UTF-8 (every editor can; look for 'encoding' when saving)"


def read_text(path: Path, error: type[MastheadError], *, hint: str = _SAVE_AS_UTF8) -> str:
    """The text of ``path`` (UTF-8, a leading byte order mark dropped); ``error`` with ``hint`` if it is
    not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be read",
            path=path,
            line=line,
            hint=hint,
        ) from None
