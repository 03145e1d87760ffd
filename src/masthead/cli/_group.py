"""The command group: subcommands imported only when used, and one place where errors become messages."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from typing import Any

import click

from .._errors import MastheadError


class SummaryGroup(click.Group):
    """A group whose list of commands in ``--help`` gives each command's first sentence whole."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                # click cuts summaries to the width left beside the names, often mid-sentence.
                rows.append((name, command.get_short_help_str(limit=sys.maxsize)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class MastheadGroup(SummaryGroup):
    """A group whose subcommands live in modules imported on first use, named ``"module:attribute"``.

    Its :meth:`invoke` surrounds every subcommand (nested groups included), so a
    :class:`~masthead.MastheadError` from anywhere becomes its message on stderr and exit code 1,
    without a decorator on each command.
    """

    def __init__(self, *args: Any, lazy_commands: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy_commands:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = self.lazy_commands[cmd_name].partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.lazy_commands[cmd_name]} is not a click command")
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MastheadError as exc:
            click.secho(f"error: {exc.format()}", fg="red", err=True)
            ctx.exit(1)
