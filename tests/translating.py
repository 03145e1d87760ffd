"""A translator's work on a workspace's catalogs: brought up to date with the sources, then filled."""

from __future__ import annotations

from pathlib import Path

from masthead import load_config
from masthead.catalogs import read_catalog, update, write_catalog
from masthead.sources import Issue, load_issue


def fill(path: Path, translate, only=None) -> None:  # type: ignore[no-untyped-def]
    """Translate entries of a catalog the way a translator would, then save it."""
    catalog = read_catalog(path)
    for message in catalog:
        if message.id and (only is None or only(message.id)):
            message.string = translate(message.id)
            message.flags.discard("fuzzy")
    write_catalog(path, catalog)


def updated(root: Path) -> None:
    config = load_config(root)
    update(config, issue_of(root), config.languages)


def issue_of(root: Path) -> Issue:
    return load_issue(root / "issues" / "spring", root=root)
