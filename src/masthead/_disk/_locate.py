"""Where something shown in an output was written: the first file and line that holds it.

Renders work on text that has left its files (a character without a font, a URL a stylesheet or SVG
asks for); to name the line a person has to fix, the files it can come from are searched for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

# Files a person writes, the likeliest to hold a reference first.
WRITTEN = (".svg", ".css", ".html", ".xml", ".md", ".yaml", ".yml", ".po", ".toml", ".txt")
_LARGEST = 4 * 1024 * 1024


def _files(places: Iterable[Path]) -> Iterator[Path]:
    found: list[Path] = []
    for place in dict.fromkeys(places):
        if place.is_file():
            found.append(place)
        elif place.is_dir():
            found.extend(p for p in place.rglob("*") if p.suffix.lower() in WRITTEN and p.is_file())
    order = {suffix: index for index, suffix in enumerate(WRITTEN)}
    yield from sorted(dict.fromkeys(found), key=lambda p: (order.get(p.suffix.lower(), len(order)), str(p)))


def find_written(needles: Sequence[str], places: Iterable[Path]) -> tuple[Path, int] | None:
    """The first file (of ``places``, files or folders) and line holding a needle, trying the needles
    in order; ``None`` when none holds any."""
    files = list(_files(places))
    for needle in needles:
        if not needle:
            continue
        for path in files:
            try:
                if path.stat().st_size > _LARGEST:
                    continue
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            index = text.find(needle)
            if index >= 0:
                return path, text.count("\n", 0, index) + 1
    return None
