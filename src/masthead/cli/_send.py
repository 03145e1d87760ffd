"""``masthead send``: a campaign, or with ``--dry-run`` its plan."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .._config import load_config


@click.command("send")
@click.argument("slug")
@click.option("--transport", type=click.Choice(["smtp", "maildir"]), help="Override [delivery] transport.")
@click.option("--dry-run", is_flag=True, help="Show what would be sent, per language; send nothing.")
@click.option(
    "--status", is_flag=True, help="Show how far the campaign is, across every sender; send nothing."
)
@click.option(
    "--retry-failed",
    is_flag=True,
    help="Send again to the subscribers whose message was refused by an earlier run (each run lists them).",
)
@click.pass_obj
def send_command(
    workspace: Path, slug: str, transport: str | None, dry_run: bool, status: bool, retry_failed: bool
) -> None:
    """Send issue SLUG to every active subscriber in their language; run it again to resume."""
    from ..delivery import campaign_progress, plan_campaign, send_campaign

    config = load_config(workspace)
    if status:
        click.echo(campaign_progress(config, slug, transport=transport).format())
        return
    if dry_run:
        click.echo(plan_campaign(config, slug, transport=transport, retry_failed=retry_failed).format())
        return
    report = send_campaign(config, slug, transport=transport, show_progress=True, retry_failed=retry_failed)
    click.echo(report.format())
    sys.exit(0 if report.complete else 1)
