"""What every command shares: errors shown as messages with exit code 1, and the workspace's issue."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from ._config import Config, load_config
from .sources import Issue, find_issue, load_issue

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn a :class:`~masthead.MastheadError` into its message on stderr and exit code 1."""
    from ._errors import MastheadError

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except MastheadError as exc:
            click.secho(f"error: {exc.format()}", fg="red", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def load(workspace: Path, slug: str | None) -> tuple[Config, Issue]:
    """The workspace's settings and issue ``slug`` (the newest when ``None``)."""
    config = load_config(workspace)
    return config, load_issue(find_issue(config.issues_dir, slug), root=config.root)


def is_terminal() -> bool:
    return sys.stdout.isatty()
