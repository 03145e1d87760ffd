"""The ``masthead`` command: parse options, call one function, report.

Each subcommand lives in a module of this package, imported only when that command (or the list of
commands in ``--help``) needs it; a command imports the pipeline stage it calls inside its body, so
``masthead --help`` loads none of them. Errors a user can fix become a message and exit code 1 in one
place, :class:`~masthead.cli._group.MastheadGroup`.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from .. import __version__
from ._group import MastheadGroup

__all__ = ["cli", "main"]

COMMANDS = {
    "bounces": "masthead.cli._bounces:bounces_command",
    "build": "masthead.cli._workspace:build_command",
    "catalog": "masthead.cli._catalog:catalog",
    "doctor": "masthead.cli._workspace:doctor_command",
    "init": "masthead.cli._workspace:init_command",
    "new": "masthead.cli._workspace:new_command",
    "send": "masthead.cli._send:send_command",
    "serve": "masthead.cli._serve:serve_command",
    "subscribers": "masthead.cli._subscribers:subscribers",
    "translate": "masthead.cli._translate:translate_command",
}
"""Every subcommand, as ``module:attribute``."""


class _LogFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            text = f"{record.levelname.lower()}: {message}"
            return click.style(text, fg="yellow") if sys.stderr.isatty() else text
        return message


@click.group(cls=MastheadGroup, lazy_commands=COMMANDS)
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


def main() -> None:
    cli(prog_name="masthead")
