"""Reading YAML mappings of an issue's sources: fields checked one by one, every problem kept."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches
from pathlib import Path

from .._errors import MastheadError, SourceError
from ._model import Origin, Text
from ._yaml import LineDict, LineList

RESERVED_MARKER = "%%masthead:"
"""Marks the places a message template fills per subscriber; no text may hold it."""


class Reader:
    """Reads the fields of one YAML mapping, recording problems instead of stopping at the first."""

    def __init__(
        self, data: LineDict, path: Path, rel: str, problems: list[MastheadError], what: str
    ) -> None:
        self.data, self.path, self.rel, self.problems, self.what = data, path, rel, problems, what

    def check_keys(self, known: Iterable[str]) -> None:
        known = list(known)
        for key in self.data:
            if key not in known:
                close = get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(known)
                self.problem(f"unknown key {key!r} in {self.what}", key, hint)

    def line(self, key: str | None = None) -> int:
        return self.data.lines.get(key, self.data.line) if key else self.data.line

    def problem(self, message: str, key: str | None = None, hint: str | None = None) -> None:
        self.problems.append(SourceError(message, path=self.path, line=self.line(key), hint=hint))

    def string(self, key: str, *, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(f"{self.what} has no {key!r}", hint=f"add '{key}: ...'")
            return None
        if isinstance(value, bool | LineDict | LineList):
            self.problem(f"{key!r} in {self.what} must be text", key)
            return None
        text = " ".join(str(value).split())
        if not text:
            if required:
                self.problem(f"{key!r} in {self.what} is empty", key)
            return None
        self._check_marker(text, key)
        return text

    def names(self, key: str) -> tuple[str, ...] | None:
        """Names written as is (never translated): one name, or a list of them; ``None`` (and a
        problem) when the value is neither."""
        value = self.data.get(key)
        if value is None:
            return ()
        items = [value] if isinstance(value, str | int) and not isinstance(value, bool) else value
        if not isinstance(items, list) or not all(
            isinstance(item, str | int) and not isinstance(item, bool) for item in items
        ):
            self.problem(f"{key!r} in {self.what} must be a name or a list of names", key)
            return None
        names = tuple(" ".join(str(item).split()) for item in items)
        for name in names:
            self._check_marker(name, key)
        return tuple(name for name in names if name)

    def _check_marker(self, text: str, key: str | None) -> None:
        if RESERVED_MARKER in text:
            self.problem(f"{key!r} holds {RESERVED_MARKER!r}, which masthead keeps for itself", key,
                         "write it another way, such as with a space after the %%")  # fmt: skip

    def text(self, key: str, kind: str, *, required: bool = False) -> Text | None:
        value = self.string(key, required=required)
        if value is None:
            return None
        return Text(value, kind, Origin(self.rel, self.line(key)))

    def mapping(self, key: str) -> Reader | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, LineDict):
            self.problem(f"{key!r} in {self.what} must be a mapping of keys to values", key)
            return None
        return Reader(value, self.path, self.rel, self.problems, f"{key!r}")

    def sequence(self, key: str) -> LineList:
        value = self.data.get(key)
        if value is None:
            return LineList()
        if not isinstance(value, LineList):
            self.problem(f"{key!r} in {self.what} must be a list", key)
            return LineList()
        return value


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def suggest(word: str, known: Iterable[str]) -> str | None:
    close = get_close_matches(word, list(known), n=1)
    return f"did you mean {close[0]!r}?" if close else None


def nearest_file(name: str, folder: Path) -> str | None:
    names = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
    candidates = [n.removesuffix(".md") for n in names] if not name.count("/") else names
    hint = suggest(name, candidates)
    return hint


def choice(reader: Reader, key: str, choices: tuple[str, ...], default: str) -> str:
    value = reader.string(key)
    if value is None:
        return default
    if value not in choices:
        close = get_close_matches(value, choices, n=1)
        reader.problem(
            f"{key} {value!r} is not one of {', '.join(choices)}", key,
            f"did you mean {close[0]!r}?" if close else None,
        )  # fmt: skip
        return default
    return value
