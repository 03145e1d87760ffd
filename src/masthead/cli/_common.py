"""What the commands share: the workspace's settings and issue, language options, paths as shown."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from .._config import Config
    from .._language import Language
    from ..sources import Issue

language_option = click.option(
    "-l", "--language", "languages", multiple=True, help="Only this language (repeatable)."
)


def load(workspace: Path, slug: str | None) -> tuple[Config, Issue]:
    """The workspace's settings and issue ``slug`` (the newest when ``None``)."""
    from .._config import load_config
    from ..sources import find_issue, load_issue

    config = load_config(workspace)
    return config, load_issue(find_issue(config.issues_dir, slug), root=config.root)


def selected(config: Config, tags: tuple[str, ...]) -> list[Language]:
    """The languages named by ``-l`` options, or every configured language."""
    return [config.language(tag) for tag in tags] or list(config.languages)


def shown(config: Config, path: Path) -> str:
    """``path`` relative to the workspace when it lies inside it."""
    return str(path.relative_to(config.root)) if path.is_relative_to(config.root) else str(path)


def is_terminal() -> bool:
    return sys.stdout.isatty()
