"""``masthead subscribers``: add, import, export, list and remove subscribers."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .._config import load_config
from ..delivery import STATUSES
from ._group import SummaryGroup

status_option = click.option(
    "--status", type=click.Choice(STATUSES), help="Only subscribers with this status."
)


@click.group(cls=SummaryGroup)
def subscribers() -> None:
    """The subscriber list: add, import, export, list, remove."""


@subscribers.command("add")
@click.argument("address")
@click.option("-n", "--name", help="The subscriber's name.")
@click.option("-l", "--language", help="Preferred language, a BCP 47 tag (default: the source language).")
@click.pass_obj
def add_command(workspace: Path, address: str, name: str | None, language: str | None) -> None:
    """Add ADDRESS, or update it and subscribe it again."""
    from ..delivery import add_subscriber

    outcome = add_subscriber(load_config(workspace), address, name, language)
    click.echo(f"{address}: {outcome}")


@subscribers.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def import_command(workspace: Path, file: Path) -> None:
    """Import a CSV file with the header address,name,language[,status]; report every bad row."""
    from ..delivery import import_subscribers

    report = import_subscribers(load_config(workspace), file)
    click.echo(report.format())
    sys.exit(1 if report.problems else 0)


@subscribers.command("export")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), default="-")
@status_option
@click.option("--overwrite", is_flag=True, help="Replace FILE if it exists.")
@click.pass_obj
def export_command(workspace: Path, file: Path, status: str | None, overwrite: bool) -> None:
    """Write the subscribers to FILE as CSV (standard output by default)."""
    from .._errors import DeliveryError
    from ..delivery import export_subscribers

    to_file = str(file) != "-"
    if to_file and file.exists() and not overwrite:
        raise DeliveryError(
            "the file exists; nothing was written",
            path=file,
            hint="add --overwrite to replace it, or name another file",
        )
    with click.open_file(str(file), "w", encoding="utf-8", atomic=to_file) as stream:
        count = export_subscribers(load_config(workspace), stream, status=status)
    if to_file:  # on standard output, the CSV is all there is
        click.echo(f"exported {count} {'subscriber' if count == 1 else 'subscribers'} to {file}", err=True)


@subscribers.command("list")
@status_option
@click.option("-l", "--language", help="Only subscribers who prefer this language.")
@click.pass_obj
def list_command(workspace: Path, status: str | None, language: str | None) -> None:
    """List subscribers: address, language, status and name."""
    from ..delivery import list_subscribers

    for item in list_subscribers(load_config(workspace), status=status, language=language):
        click.echo(f"{item.address}\t{item.language}\t{item.status}\t{item.name or ''}")


@subscribers.command("remove")
@click.argument("address")
@click.option(
    "--forget", is_flag=True, help="Erase the address and its send history instead of unsubscribing."
)
@click.pass_obj
def remove_command(workspace: Path, address: str, forget: bool) -> None:
    """Unsubscribe ADDRESS (it stays on file, so no import subscribes it again)."""
    from ..delivery import remove_subscriber

    changed = remove_subscriber(load_config(workspace), address, forget=forget)
    click.echo(
        f"{address}: {('erased' if forget else 'unsubscribed') if changed else 'already unsubscribed'}"
    )
