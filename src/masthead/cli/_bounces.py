"""``masthead bounces``: act on the mail that came back."""

from __future__ import annotations

from pathlib import Path

import click

from .._config import load_config


@click.command("bounces")
@click.option(
    "--maildir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Read this Maildir instead of the mailbox in [bounces].",
)
@click.pass_obj
def bounces_command(workspace: Path, maildir: Path | None) -> None:
    """Act on returned mail: bounces mark addresses bounced, complaints unsubscribe; the rest is listed."""
    from ..delivery import process_bounces

    click.echo(process_bounces(load_config(workspace), maildir=maildir).format())
