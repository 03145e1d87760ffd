"""Preparing an issue's images once for every language: which copies each image needs, made (or
found made) under ``<output>/<slug>/images/``, named by a digest of the original and of the copy's
size and settings, so an unchanged image is never processed again."""

from __future__ import annotations

import hashlib
import logging
import math
import re
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from .._config import ImageSettings
from .._layout import EMAIL_HTML, IMAGES, WEB_PAGE
from ._encode import Original, Task, inspect, make
from ._model import Derivative, LowResolution, Placement, PreparedImage, PreparedImages

logger = logging.getLogger("masthead.images")

T = TypeVar("T")
R = TypeVar("R")


class Runner(Protocol):
    """How work is done: one item after another here (:func:`serial`), or a process pool's ``map``."""

    def __call__(self, function: Callable[[T], R], items: Iterable[T], /) -> Iterable[R]: ...


def serial(function: Callable[[T], R], items: Iterable[T], /) -> list[R]:
    return [function(item) for item in items]


RECIPE = "1"
"""Part of every copy's name: changed when the way copies are made changes, so old ones are not used."""

FOLDER = IMAGES
_KEEP_WITHIN = 0.9
"""An original at most this much larger than needed is used at its own size: scaling it would
save little and cost a generation of JPEG encoding."""
_SECOND_SCREEN = 1.15
"""A copy twice the screen width is made only when the original is this much wider than the first."""
_DERIVED = re.compile(r"\.(?:(?:print|\d+w)\.)?[0-9a-f]{10}\.[A-Za-z0-9]+$")


def prepare_images(
    issue_folder: Path,
    sources: Sequence[str],
    placements: Mapping[str, Placement],
    settings: ImageSettings,
    out: Path,
    *,
    run: Runner = serial,
) -> PreparedImages:
    """Prepare the images ``sources`` (paths relative to ``issue_folder``) for print at the sizes
    ``placements`` give and for screens, in ``out/images/``. Originals are only read."""
    folder = out / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    originals = {source: inspect(issue_folder / source) for source in dict.fromkeys(sources)}
    plans: dict[str, tuple[Task | None, list[Task]]] = {}
    tasks: dict[str, Task] = {}
    for source, original in originals.items():
        if original.format is None or original.width <= 0:
            continue
        placement = placements.get(source)
        printed = _print_task(original, placement, settings, folder) if placement else None
        screens = [] if original.animated else _screen_tasks(original, settings, folder)
        plans[source] = (printed, screens)
        for task in (printed, *screens):
            if task is not None:
                tasks.setdefault(task.prefix, task)
    made = dict(zip(tasks, run(make, tasks.values()), strict=True))

    prepared: dict[str, PreparedImage] = {}
    low: list[LowResolution] = []
    for source, original in originals.items():
        placement = placements.get(source)
        if source not in plans:
            prepared[source] = PreparedImage(
                source, original.width, original.height, original=_published(original, folder)
            )
            continue
        printed, screens = plans[source]
        dpi = _dpi(original, placement) if placement else None
        prepared[source] = PreparedImage(
            source,
            original.width,
            original.height,
            print=made[printed.prefix] if printed else None,
            screens=tuple(made[task.prefix] for task in screens),
            original=_published(original, folder) if original.animated else None,
            placement=placement,
            dpi=dpi,
        )
        if placement is not None:
            low += _too_few_pixels(original, placement, settings.warn_below_dpi)
    return PreparedImages(out, prepared, tuple(low))


def low_resolution(
    issue_folder: Path, sources: Sequence[str], placements: Mapping[str, Placement], threshold: int
) -> list[LowResolution]:
    """The images with fewer pixels than ``threshold`` dpi at the size print places them, without
    making any copy."""
    found = []
    for source in dict.fromkeys(sources):
        placement = placements.get(source)
        if placement is not None:
            found += _too_few_pixels(inspect(issue_folder / source), placement, threshold)
    return found


def _too_few_pixels(original: Original, placement: Placement, threshold: int) -> list[LowResolution]:
    if original.format is None or original.width <= 0:
        return []
    dpi = _dpi(original, placement)
    if dpi >= threshold:
        return []
    width, height = (math.ceil(v / 96 * threshold) for v in (placement.width, placement.height))
    return [LowResolution(original.path, dpi, placement, (width, height))]


def _print_task(
    original: Original, placement: Placement, settings: ImageSettings, folder: Path
) -> Task | None:
    """The copy the PDF embeds, at the print resolution at its placed size (never enlarged), or
    ``None`` when the original is embedded as it is (a JPEG of that size with no metadata)."""
    wanted = max(
        placement.width / 96 * settings.print_dpi / original.width,
        placement.height / 96 * settings.print_dpi / original.height,
    )
    size = (original.width, original.height)
    if wanted < _KEEP_WITHIN:
        size = scaled(original.width, original.height, original.width * wanted)
    unchanged = size == (original.width, original.height) and not original.turned
    if unchanged and original.format == "JPEG" and not original.metadata:
        return None
    return _task(original, "print", size, settings.jpeg_quality, folder)


def _screen_tasks(original: Original, settings: ImageSettings, folder: Path) -> list[Task]:
    """Copies for screens: the screen width, and twice it where the original has the pixels."""
    tasks: list[Task] = []
    for width in (settings.screen_width, 2 * settings.screen_width):
        if tasks and original.width < tasks[-1].size[0] * _SECOND_SCREEN:
            break
        if original.width <= width / _KEEP_WITHIN:
            width = original.width
        size = scaled(original.width, original.height, width) if width < original.width else None
        size = size or (original.width, original.height)
        tasks.append(_task(original, f"{size[0]}w", size, settings.jpeg_quality, folder, True))
    return tasks


def scaled(width: int, height: int, wanted: float) -> tuple[int, int]:
    """A size about ``wanted`` pixels wide with the shape of ``width`` x ``height`` as exactly as
    whole pixels allow: the layout sizes a figure from its image's shape, so a copy shaped even a
    pixel differently would move everything after it by a fraction of a point."""
    step = math.gcd(width, height)
    across, down = width // step, height // step
    if across <= wanted / 30:  # a whole multiple of the exact shape lies within a few per cent
        times = max(1, min(round(wanted / across), step))
        return across * times, down * times
    candidates = range(max(1, round(wanted) - 24), min(width, round(wanted) + 24) + 1)

    def off_shape(across: int) -> tuple[float, float]:
        exact = across * height / width
        return abs(exact - round(exact)), abs(across - wanted)

    best = min(candidates, key=off_shape)
    return best, max(1, round(best * height / width))


def _task(
    original: Original,
    kind: str,
    size: tuple[int, int],
    quality: int,
    folder: Path,
    progressive: bool = False,
) -> Task:
    recipe = f"{RECIPE} {original.digest} {kind} {size[0]}x{size[1]} q{quality} p{int(progressive)}"
    key = hashlib.sha256(recipe.encode()).hexdigest()[:10]
    return Task(original, folder, f"{_stem(original.path)}.{kind}.{key}", size, quality, progressive)


def _published(original: Original, folder: Path) -> Derivative:
    """The original itself, copied unchanged for screens (an SVG, an animation)."""
    name = f"{_stem(original.path)}.{original.digest[:10]}{original.path.suffix.lower()}"
    target = folder / name
    if not target.is_file():
        shutil.copyfile(original.path, target.with_name("." + name + ".part"))
        target.with_name("." + name + ".part").replace(target)
    return Derivative(f"{FOLDER}/{name}", original.width, original.height)


def _stem(path: Path) -> str:
    """A file name's stem that any URL and file system takes as it is."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem).strip("-")[:60] or "image"


def _dpi(original: Original, placement: Placement) -> float:
    return min(original.width / (placement.width / 96), original.height / (placement.height / 96))


def remove_stale(out: Path, keep: Iterable[str]) -> list[Path]:
    """Remove the copies in ``out/images/`` that are not in ``keep`` and that no web page or email
    in ``out`` names (a language built earlier and not rebuilt still shows its own)."""
    folder = out / FOLDER
    if not folder.is_dir():
        return []
    kept = {Path(path).name for path in keep}
    pages = [
        page.read_text(encoding="utf-8", errors="replace")
        for language in out.iterdir()
        if language.is_dir()
        for page in (language / WEB_PAGE, language / EMAIL_HTML)
        if page.is_file()
    ]
    removed = []
    for path in folder.iterdir():
        name = path.name
        if (
            path.is_file()
            and _DERIVED.search(name)
            and name not in kept
            and not any(name in p for p in pages)
        ):
            path.unlink()
            removed.append(path)
    if removed:
        logger.debug("removed %d copies of images no edition uses", len(removed))
    return removed
