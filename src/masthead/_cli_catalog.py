"""``masthead catalog``: extract, update, compile, stats and check translation catalogs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ._cli_common import is_terminal, load, reports_errors
from ._config import Config
from ._language import Language
from .catalogs import check_catalogs, compile_catalogs, extract, stats, update

language_option = click.option(
    "-l", "--language", "languages", multiple=True, help="Only this language (repeatable)."
)


def _languages(config: Config, tags: tuple[str, ...]) -> list[Language]:
    return [config.language(tag) for tag in tags] or list(config.languages)


def _shown(config: Config, path: Path) -> str:
    return str(path.relative_to(config.root)) if path.is_relative_to(config.root) else str(path)


@click.group()
def catalog() -> None:
    """Translation catalogs: extract, update, compile, stats, check."""


@catalog.command("extract")
@click.argument("slug", required=False)
@click.pass_obj
@reports_errors
def extract_command(workspace: Path, slug: str | None) -> None:
    """Write locales/SLUG.pot from the issue and locales/masthead.pot from the theme."""
    config, issue = load(workspace, slug)
    for path, written in extract(config, issue):
        click.echo(f"{_shown(config, path)}: {'written' if written else 'unchanged'}")


@catalog.command("update")
@click.argument("slug", required=False)
@language_option
@click.pass_obj
@reports_errors
def update_command(workspace: Path, slug: str | None, languages: tuple[str, ...]) -> None:
    """Create or update each language's catalog of the issue, keeping every translation."""
    config, issue = load(workspace, slug)
    for result in update(config, issue, _languages(config, languages)):
        s = result.summary
        state = "created" if result.created else "updated" if result.written else "unchanged"
        click.echo(
            f"{_shown(config, result.path)}: {state}; {s.added} new, {s.from_memory} from translation "
            f"memory, {s.fuzzy} fuzzy matches, {s.obsolete} obsolete"
        )


@catalog.command("compile")
@language_option
@click.pass_obj
@reports_errors
def compile_command(workspace: Path, languages: tuple[str, ...]) -> None:
    """Write a .mo beside every .po of the workspace."""
    config, _ = load(workspace, None)
    for path in compile_catalogs(config, _languages(config, languages)):
        click.echo(_shown(config, path))


@catalog.command("stats")
@click.argument("slug", required=False)
@language_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
@reports_errors
def stats_command(workspace: Path, slug: str | None, languages: tuple[str, ...], as_json: bool) -> None:
    """How much of each language is translated, per catalog."""
    config, issue = load(workspace, slug)
    rows = stats(config, issue, _languages(config, languages))
    if as_json:
        data = [
            {"language": r.language.tag, "domain": r.domain, "total": r.total, "translated": r.translated,
             "fuzzy": r.fuzzy, "machine": r.machine, "untranslated": r.untranslated,
             "percent": round(r.percent, 1)}
            for r in rows
        ]  # fmt: skip
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not rows:
        # The source language has nothing to translate: say so rather than print an empty table.
        source = config.source_language.tag
        if languages:
            click.echo(f"no catalogs to count: {source} is the source language, written in the issue itself")
        else:
            click.echo(
                f"no catalogs to count: {source} is the source language and no other language is set; "
                "add languages to [newsletter] languages in masthead.toml"
            )
        return
    headers = ("language", "catalog", "translated", "fuzzy", "machine", "untranslated", "percent")
    table = [
        (r.language.tag, r.domain, str(r.translated), str(r.fuzzy), str(r.machine), str(r.untranslated),
         f"{r.percent:.1f} %")
        for r in rows
    ]  # fmt: skip
    if is_terminal():
        from rich.console import Console
        from rich.table import Table

        rich_table = Table(*headers)
        for row in table:
            rich_table.add_row(*row)
        Console().print(rich_table)
    else:
        widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
        for row in (headers, *table):
            click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


@catalog.command("check")
@click.argument("slug", required=False)
@language_option
@click.pass_obj
@reports_errors
def check_command(workspace: Path, slug: str | None, languages: tuple[str, ...]) -> None:
    """Find translations whose placeholders, links, emphasis, code, URLs or spacing differ."""
    config, issue = load(workspace, slug)
    problems = check_catalogs(config, issue, _languages(config, languages))
    for problem in problems:
        click.echo(problem.format())
    click.echo(f"{len(problems)} problem(s) found")
    if problems:
        sys.exit(1)
