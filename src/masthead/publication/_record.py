"""What the last builds were asked and found, so that a build asked again with nothing to do knows it
before loading anything heavy.

Each finished build records, under the workspace's ``.masthead-cache/``, the request (issue,
languages, outputs), the size, time and inode of every file it could have read (settings, issues,
theme, catalogs, and masthead itself with its theme and catalogs) and of every file in the issue's
output folder,
and what it said before rendering (languages skipped, warnings). A build asked the same while every
one of those files is as recorded has nothing to do: it says the same and stops, with the standard
library alone. Anything else (a file changed, added or removed, an output touched, another
request) takes the full way, whose digests decide what to build.

A file changed within :data:`_RACY` seconds before the build looked at it may change again without
its size or time moving (file times are only so fine): it is never taken as unchanged from its
record, so the next build takes the full way and records it again.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._disk import write_atomic

logger = logging.getLogger("masthead.build")

WEB, EMAIL, PDF = "web", "email", "pdf"
STAGES = (WEB, EMAIL, PDF)
"""The outputs of an edition, each made by a stage of its own, in the order an editor wants them."""

RECORD = Path(".masthead-cache") / "builds.json"
_FORMAT = 2
_RACY = 2.0
_KEPT = 16
"""How many different requests are remembered (one per issue and set of languages, mostly)."""
PACKAGE = Path(__file__).resolve().parent.parent
"""masthead itself: its code, theme and catalogs (a new version, or an edited file, is a change)."""
INPUT_FOLDERS = ("issues", "templates", "locales")
"""The workspace folders builds read, besides the settings file."""
_SKIPPED = (".mo", ".pyc")


@dataclass(frozen=True)
class Request:
    """What a build is asked: the issue (``None``: the newest), the languages (empty: every one) and
    the outputs."""

    slug: str | None
    languages: tuple[str, ...]
    stages: tuple[str, ...]

    @property
    def key(self) -> str:
        return json.dumps([self.slug, list(self.languages), sorted(self.stages)])


@dataclass(frozen=True)
class Outcome:
    """What a build with nothing to do reports: the issue, and what it said before rendering."""

    slug: str
    issue_folder: str
    unchanged: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]
    messages: tuple[tuple[int, str], ...]
    """Every message the build logged before rendering, by level, to be said again."""
    extra: Mapping[str, Any]
    """What else the report holds, as plain data."""


class Snapshot:
    """The size, time and inode of the files of some folders, taken at one moment."""

    def __init__(self, files: Mapping[str, list[int]], taken: float) -> None:
        self.files = files
        self.taken = taken

    @classmethod
    def of(cls, paths: Iterable[Path], *, racy: bool) -> Snapshot:
        """The files of ``paths`` (folders are walked, single files taken as they are); with
        ``racy``, a file changed just before now is marked so that no later snapshot matches it."""
        taken = time.time()
        files: dict[str, list[int]] = {}
        for path in paths:
            _walk(str(path), files)
        if racy:
            limit = int((taken - _RACY) * 1e9)
            for entry in files.values():
                if entry[1] > limit:
                    entry[1] = -1
        return cls(files, taken)


def _walk(path: str, files: dict[str, list[int]]) -> None:
    try:
        entries = list(os.scandir(path))
    except NotADirectoryError:
        try:
            info = os.stat(path)
        except OSError:
            return
        files[path] = [info.st_size, info.st_mtime_ns, info.st_ino]
        return
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=True):
            if entry.name != "__pycache__":
                _walk(entry.path, files)
        elif entry.name.endswith(_SKIPPED):
            continue
        else:
            try:
                info = entry.stat()
            except OSError:
                continue
            files[entry.path] = [info.st_size, info.st_mtime_ns, info.st_ino]


def input_paths(root: Path) -> list[Path]:
    """Every file and folder a build of the workspace at ``root`` may read."""
    return [root / "masthead.toml", *(root / name for name in INPUT_FOLDERS), PACKAGE]


def _record_path(root: Path) -> Path:
    return root / RECORD


def _load(root: Path) -> dict[str, Any]:
    try:
        data = json.loads(_record_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != _FORMAT or data.get("root") != str(root):
        return {}
    if not isinstance(data.get("builds"), dict):
        return {}
    return data


def recall(root: Path, request: Request) -> Outcome | None:
    """The outcome of the last build asked ``request`` in the workspace at ``root``, if nothing it
    read or wrote has changed since; ``None`` otherwise."""
    root = root.resolve()
    entry = _load(root).get("builds", {}).get(request.key)
    if not isinstance(entry, dict):
        return None
    try:
        if Snapshot.of(input_paths(root), racy=False).files != entry["inputs"]:
            return None
        if Snapshot.of([Path(entry["output"])], racy=False).files != entry["outputs"]:
            return None
        return Outcome(
            slug=str(entry["slug"]),
            issue_folder=str(entry["issue_folder"]),
            unchanged=tuple(entry["unchanged"]),
            skipped=tuple((str(tag), str(reason)) for tag, reason in entry["skipped"]),
            messages=tuple((int(level), str(text)) for level, text in entry["messages"]),
            extra=dict(entry.get("extra", {})),
        )
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def remember(
    root: Path,
    request: Request,
    inputs: Snapshot,
    output: Path,
    outcome: Outcome,
) -> None:
    """Record that ``request`` found the workspace's files as ``inputs`` (taken before the build
    read them) and left ``output`` as it is now, with ``outcome``; a failure to write is no error
    (the next build takes the full way)."""
    root = root.resolve()
    data = _load(root) or {"format": _FORMAT, "root": str(root), "builds": {}}
    builds: dict[str, Any] = data["builds"]
    builds.pop(request.key, None)
    builds[request.key] = {
        "slug": outcome.slug,
        "issue_folder": outcome.issue_folder,
        "unchanged": list(outcome.unchanged),
        "skipped": [list(pair) for pair in outcome.skipped],
        "messages": [list(pair) for pair in outcome.messages],
        "extra": dict(outcome.extra),
        "inputs": inputs.files,
        "output": str(output),
        "outputs": Snapshot.of([output], racy=False).files,
    }
    while len(builds) > _KEPT:
        builds.pop(next(iter(builds)))
    path = _record_path(root)
    try:
        write_atomic(path, json.dumps(data, separators=(",", ":")))
    except OSError as exc:
        logger.debug("could not record the build in %s: %s", path, exc)


def forget(root: Path) -> None:
    """Drop every record of the workspace at ``root`` (the next build takes the full way)."""
    _record_path(root.resolve()).unlink(missing_ok=True)


def nothing_to_do(root: Path, request: Request) -> Outcome | None:
    """The outcome of the last build asked ``request`` when nothing has changed since (see
    :func:`recall`), said again as that build said it, each language up to date."""
    outcome = recall(root, request)
    if outcome is not None:
        for level, text in outcome.messages:
            logger.log(level, "%s", text)
        for tag in outcome.unchanged:
            logger.info("%s: up to date", tag)
    return outcome


class Transcript(logging.Handler):
    """Keeps the warnings a build logs, to record them with the outcome."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.levelno, record.getMessage()))
