"""The ``masthead`` command: parse options, call one function, report."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from ._build import build
from ._config import load_config
from ._doctor import run_checks
from ._errors import MastheadError
from ._scaffold import init_workspace, new_issue

F = TypeVar("F", bound=Callable[..., Any])


def _reports_errors(command: F) -> F:
    """Turn a :class:`MastheadError` into its message on stderr and exit code 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except MastheadError as exc:
            click.secho(f"error: {exc.format()}", fg="red", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


class _LogFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            return click.style(f"{record.levelname.lower()}: {message}", fg="yellow")
        return message


@click.group()
@click.version_option(__version__, prog_name="masthead")
@click.option("-C", "--workspace", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="The workspace folder (default: the current folder).")  # fmt: skip
@click.option("-v", "--verbose", is_flag=True, help="Show debugging output.")
@click.pass_context
def cli(ctx: click.Context, workspace: Path, verbose: bool) -> None:
    """Publish a newsletter in many languages from one source."""
    ctx.obj = workspace
    handler = logging.StreamHandler()
    handler.setFormatter(_LogFormatter())
    logger = logging.getLogger("masthead")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False


@cli.command("build")
@click.argument("slug", required=False)
@click.option("-l", "--language", "languages", multiple=True, help="Build only this language (repeatable).")
@click.pass_obj
@_reports_errors
def build_command(workspace: Path, slug: str | None, languages: tuple[str, ...]) -> None:
    """Build an issue's PDF and web page in every language (the newest issue by default)."""
    config = load_config(workspace)
    report = build(config, slug, languages)
    for item in report.built:
        click.echo(f"{item.language.tag}: {item.pdf.relative_to(config.root)} ({item.seconds:.1f} s)")


@cli.command("new")
@click.argument("slug")
@click.pass_obj
@_reports_errors
def new_command(workspace: Path, slug: str) -> None:
    """Start a new issue in issues/SLUG."""
    config = load_config(workspace)
    folder = new_issue(config.issues_dir, slug)
    click.echo(f"created {folder.relative_to(config.root)}; build it with 'masthead build {slug}'")


@cli.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--name", help="The newsletter's name.")
@_reports_errors
def init_command(folder: Path, name: str | None) -> None:
    """Create a workspace in FOLDER that builds at once."""
    created = init_workspace(folder, name)
    click.echo(f"created a workspace in {created}; try 'cd {folder} && masthead build'")


@cli.command("doctor")
@click.pass_obj
@_reports_errors
def doctor_command(workspace: Path) -> None:
    """Check WeasyPrint, Pango, font subsetting and the fonts every language needs."""
    try:
        languages = load_config(workspace).languages
    except MastheadError:
        languages = ()
    checks = run_checks(languages)
    for check in checks:
        mark = click.style("ok  ", fg="green") if check.ok else click.style("FAIL", fg="red")
        fix = f"  -> {check.fix}" if not check.ok and check.fix else ""
        click.echo(f"{mark} {check.name}: {check.detail}{fix}")
    if not all(check.ok for check in checks):
        sys.exit(1)


def main() -> None:
    cli(prog_name="masthead")
