"""The ``masthead`` command: parse options, call one function, report."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from . import __version__
from ._build import build
from ._cli_catalog import catalog
from ._cli_common import reports_errors
from ._cli_delivery import send_command, subscribers
from ._cli_translate import translate_command
from ._config import load_config
from ._doctor import run_checks
from ._scaffold import init_workspace, new_issue


class _LogFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            text = f"{record.levelname.lower()}: {message}"
            return click.style(text, fg="yellow") if sys.stderr.isatty() else text
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
@click.option("--force", is_flag=True, help="Rebuild unchanged languages and build incomplete ones too.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Parallel processes (default: one per core).")
@click.pass_obj
@reports_errors
def build_command(
    workspace: Path, slug: str | None, languages: tuple[str, ...], force: bool, jobs: int | None
) -> None:
    """Build an issue's PDF, web page and email in every language (the newest issue by default)."""
    config = load_config(workspace)
    report = build(config, slug, languages, force=force, jobs=jobs)
    for item in report.built:
        pdf = item.pdf.relative_to(config.root) if item.pdf.is_relative_to(config.root) else item.pdf
        click.echo(f"{item.language.tag}: {pdf} ({item.seconds:.1f} s)")


@cli.command("new")
@click.argument("slug")
@click.pass_obj
@reports_errors
def new_command(workspace: Path, slug: str) -> None:
    """Start a new issue in issues/SLUG."""
    config = load_config(workspace)
    folder = new_issue(config.issues_dir, slug)
    click.echo(f"created {folder.relative_to(config.root)}; build it with 'masthead build {slug}'")


@cli.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--name", help="The newsletter's name.")
@reports_errors
def init_command(folder: Path, name: str | None) -> None:
    """Create a workspace in FOLDER that builds at once."""
    created = init_workspace(folder, name)
    click.echo(f"created a workspace in {created}; try 'cd {folder} && masthead build'")


@cli.command("doctor")
@click.pass_obj
@reports_errors
def doctor_command(workspace: Path) -> None:
    """Check WeasyPrint, Pango, font subsetting and the fonts every language needs."""
    checks = run_checks(workspace)
    for check in checks:
        mark = click.style("ok  ", fg="green") if check.ok else click.style("FAIL", fg="red")
        fix = f"  -> {check.fix}" if not check.ok and check.fix else ""
        click.echo(f"{mark} {check.name}: {check.detail}{fix}")
    if not all(check.ok for check in checks):
        sys.exit(1)


cli.add_command(catalog)
cli.add_command(subscribers)
cli.add_command(send_command)
cli.add_command(translate_command)


def main() -> None:
    cli(prog_name="masthead")
