"""An issue's images, prepared once before its languages are rendered: where print places each
one (measured on skeletons of the layout, each kept until it changes), then the copies for print
and screens that every language's PDF, web page and email share."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from .._config import Config
from .._disk import write_atomic
from .._errors import display_path
from .._layout import IMAGES
from ..images import (
    Placement,
    PreparedImages,
    Runner,
    largest_placements,
    prepare_images,
    serial,
    upright_size,
)
from ..publication import layout_digest
from ..sources import Issue

logger = logging.getLogger("masthead.build")

PLACEMENTS = ".placements.json"
"""Where the measured placements are kept, in the issue's output images folder."""


def prepare_issue_images(
    config: Config, issue: Issue, out: Path, run: Runner = serial, *, for_print: bool = True
) -> PreparedImages:
    """Measure (or recall) where print places the images of ``issue``, make (or find) their copies
    in ``out``, and warn about each image with too few pixels for print. Without ``for_print``,
    only the copies for screens (the web page, the email): nothing is laid out, and WeasyPrint is
    not loaded."""
    placements = placements_of(config, issue, out, run) if for_print else {}
    prepared = prepare_images(issue.folder, issue.images, placements, config.images, out, run=run)
    for low in prepared.low_resolution:
        logger.warning("%s", low.message(display_path(low.path), config.images.warn_below_dpi))
    return prepared


def placements_of(
    config: Config, issue: Issue, out: Path, run: Runner = serial, *, remember: bool = True
) -> dict[str, Placement]:
    """The largest size at which print places each image of ``issue`` in any configured language;
    kept in ``out`` with ``remember``, for the next build to recall while nothing it depends on
    changes."""
    cache = out / IMAGES / PLACEMENTS
    key = layout_digest(config, issue.folder)
    known = _recall(cache)
    if known.get("key") == key:
        return _placements(known["placements"])
    from ..render import language_skeleton, measure  # WeasyPrint, only to lay out

    sizes = {}
    for source in dict.fromkeys(issue.images):
        size = upright_size(issue.folder / source)
        if size is not None:
            sizes[source] = size
    # Languages alike in direction, script and sizes have the same skeleton: one measure each; and a
    # skeleton measured before (only words changed since) is not laid out again.
    shape = partial(language_skeleton, config=config, issue=issue, sizes=sizes)
    documents = {_digest(d): d for d in run(shape, [language.tag for language in config.languages])}
    measured = {digest: _placements(found) for digest, found in known.get("measures", {}).items()}
    new = [digest for digest in documents if digest not in measured]
    task = partial(measure, base_url=issue.folder, theme=(config.templates_dir,))
    measured.update(zip(new, run(task, [documents[digest] for digest in new]), strict=True))
    placements = largest_placements(measured[digest] for digest in documents)
    counts = (len(placements), len(new), len(documents))
    logger.info("measured where print places %d images (%d new layouts of %d)", *counts)
    if remember:
        data = {
            "key": key,
            "placements": _entries(placements),
            "measures": {digest: _entries(measured[digest]) for digest in documents},
        }
        write_atomic(cache, json.dumps(data, indent=1, sort_keys=True) + "\n")
    return placements


def _digest(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def _entries(placements: Mapping[str, Placement]) -> dict[str, list[float]]:
    return {source: [p.width, p.height] for source, p in sorted(placements.items())}


def _placements(entries: Mapping[str, Sequence[float]]) -> dict[str, Placement]:
    return {source: Placement(float(w), float(h)) for source, (w, h) in entries.items()}


def _recall(cache: Path) -> dict[str, Any]:
    """What the last build measured, or nothing when it cannot be read."""
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        for entries in (data["placements"], *data["measures"].values()):
            _placements(entries)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}
