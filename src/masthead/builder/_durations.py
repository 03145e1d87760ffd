"""How long each language's outputs took at the last build of the workspace, so that the next
build hands the longest PDF to a worker first.

Kept beside the build records, under the workspace's ``.masthead-cache/``; a missing or unreadable
file only means no language is known yet, and a failure to write is no error.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from pathlib import Path

from .._disk import write_atomic

logger = logging.getLogger("masthead.build")

DURATIONS = Path(".masthead-cache") / "seconds.json"


def recall_seconds(root: Path) -> dict[str, float]:
    """The seconds each language's PDF (with its web page and email, when they were made in the same
    job) took at the last build that made it, by language tag."""
    try:
        data = json.loads((root / DURATIONS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        tag: float(seconds)
        for tag, seconds in data.items()
        if isinstance(tag, str) and isinstance(seconds, int | float) and math.isfinite(seconds)
    }


def record_seconds(root: Path, seconds: Mapping[str, float]) -> None:
    """Add ``seconds`` (by language tag) to the record, replacing what it held for those languages."""
    if not seconds:
        return
    path = root / DURATIONS
    data = {**recall_seconds(root), **{tag: round(value, 3) for tag, value in seconds.items()}}
    try:
        write_atomic(path, json.dumps(data, sort_keys=True))
    except OSError as exc:
        logger.debug("could not record the seconds of the build in %s: %s", path, exc)
