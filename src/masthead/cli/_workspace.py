"""``masthead init``, ``new``, ``build`` and ``doctor``: the workspace and its issues."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("build")
@click.argument("slug", required=False)
@click.option("-l", "--language", "languages", multiple=True, help="Build only this language (repeatable).")
@click.option("--only", "stages", multiple=True, type=click.Choice(["web", "email", "pdf"]),
              help="Build only this output of each language: web, email or pdf (repeatable).")  # fmt: skip
@click.option("--force", is_flag=True, help="Rebuild unchanged languages and build incomplete ones too.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Parallel processes (default: one per core).")
@click.pass_obj
def build_command(
    workspace: Path,
    slug: str | None,
    languages: tuple[str, ...],
    stages: tuple[str, ...],
    force: bool,
    jobs: int | None,
) -> None:
    """Build an issue's PDF, web page and email in every language (the newest issue by default).

    Only what changed since the last build is made again; a build with nothing to do says so at once.
    """
    from ..publication import STAGES, Request, nothing_to_do

    wanted = tuple(stage for stage in STAGES if stage in stages) or STAGES
    # Decided from the record of the last build before the settings, the issue or the renderer load.
    if not force and nothing_to_do(workspace, Request(slug, languages, wanted)) is not None:
        return
    from .._config import load_config
    from ..builder import build

    config = load_config(workspace)
    report = build(config, slug, languages, force=force, jobs=jobs, stages=wanted)
    for item in report.built:
        main = item.written()[0]  # the PDF, or else the web page, or else the email
        shown = main.relative_to(config.root) if main.is_relative_to(config.root) else main
        click.echo(f"{item.language.tag}: {shown} ({item.seconds:.1f} s)")


@click.command("new")
@click.argument("slug")
@click.pass_obj
def new_command(workspace: Path, slug: str) -> None:
    """Start a new issue in issues/SLUG."""
    from .._config import load_config
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
