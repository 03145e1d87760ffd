"""``masthead init``, ``new``, ``build`` and ``doctor``: the workspace and its issues."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .._config import load_config


@click.command("build")
@click.argument("slug", required=False)
@click.option("-l", "--language", "languages", multiple=True, help="Build only this language (repeatable).")
@click.option("--force", is_flag=True, help="Rebuild unchanged languages and build incomplete ones too.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Parallel processes (default: one per core).")
@click.pass_obj
def build_command(
    workspace: Path, slug: str | None, languages: tuple[str, ...], force: bool, jobs: int | None
) -> None:
    """Build an issue's PDF, web page and email in every language (the newest issue by default)."""
    from ..builder import build

    config = load_config(workspace)
    report = build(config, slug, languages, force=force, jobs=jobs)
    for item in report.built:
        pdf = item.pdf.relative_to(config.root) if item.pdf.is_relative_to(config.root) else item.pdf
        click.echo(f"{item.language.tag}: {pdf} ({item.seconds:.1f} s)")


@click.command("new")
@click.argument("slug")
@click.pass_obj
def new_command(workspace: Path, slug: str) -> None:
    """Start a new issue in issues/SLUG."""
    from .._scaffold import new_issue

    config = load_config(workspace)
    folder = new_issue(config.issues_dir, slug)
    click.echo(f"created {folder.relative_to(config.root)}; build it with 'masthead build {slug}'")


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--name", help="The newsletter's name.")
def init_command(folder: Path, name: str | None) -> None:
    """Create a workspace in FOLDER that builds at once."""
    from .._scaffold import init_workspace

    created = init_workspace(folder, name)
    click.echo(f"created a workspace in {created}; try 'cd {folder} && masthead build'")


@click.command("doctor")
@click.pass_obj
def doctor_command(workspace: Path) -> None:
    """Check the settings, WeasyPrint, Pango, font subsetting, each language's fonts, the DKIM keys
    and the newest issue's images."""
    from .._doctor import run_checks

    checks = run_checks(workspace)
    for check in checks:
        if check.warning:
            mark = click.style("warn", fg="yellow")
        else:
            mark = click.style("ok  ", fg="green") if check.ok else click.style("FAIL", fg="red")
        fix = f"  -> {check.fix}" if not check.ok and check.fix else ""
        click.echo(f"{mark} {check.name}: {check.detail}{fix}")
    if not all(check.ok for check in checks):
        sys.exit(1)
