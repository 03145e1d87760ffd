"""An issue's images, prepared once before its languages are rendered: where print places each
one (measured on the layout, kept until the sources, theme or settings change), then the copies
for print and screens that every language's PDF, web page and email share."""

from __future__ import annotations

import json
import logging
from functools import partial
from pathlib import Path

from ._config import Config
from ._errors import display_path
from ._fingerprint import layout_digest
from ._output import write_atomic
from .images import Placement, PreparedImages, prepare_images
from .images._encode import upright_size
from .images._prepare import FOLDER, Runner, serial
from .render._placement import language_skeleton, measure, union
from .sources import Issue

logger = logging.getLogger("masthead.build")

PLACEMENTS = ".placements.json"
"""Where the measured placements are kept, in the issue's output images folder."""


def prepare_issue_images(config: Config, issue: Issue, out: Path, run: Runner = serial) -> PreparedImages:
    """Measure (or recall) where print places the images of ``issue``, make (or find) their copies
    in ``out``, and warn about each image with too few pixels for print."""
    placements = placements_of(config, issue, out, run)
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
    cache = out / FOLDER / PLACEMENTS
    key = layout_digest(config, issue.folder)
    recalled = _recall(cache, key)
    if recalled is not None:
        return recalled
    sizes = {}
    for source in dict.fromkeys(issue.images):
        size = upright_size(issue.folder / source)
        if size is not None:
            sizes[source] = size
    # Languages alike in direction, script and sizes have the same skeleton: one measure each.
    shape = partial(language_skeleton, config=config, issue=issue, sizes=sizes)
    documents = list(dict.fromkeys(run(shape, [language.tag for language in config.languages])))
    task = partial(measure, base_url=issue.folder, theme=(config.templates_dir,))
    placements = union(run(task, documents))
    logger.info("measured where print places %d images (%d layouts)", len(placements), len(documents))
    if remember:
        entries = {source: [p.width, p.height] for source, p in sorted(placements.items())}
        write_atomic(cache, json.dumps({"key": key, "placements": entries}, indent=1) + "\n")
    return placements


def _recall(cache: Path, key: str) -> dict[str, Placement] | None:
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        return {source: Placement(float(w), float(h)) for source, (w, h) in data["placements"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
