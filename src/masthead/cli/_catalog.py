"""``masthead catalog``: extract, update, compile, stats and check translation catalogs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._common import is_terminal, language_option, load, selected, shown
from ._group import SummaryGroup

if TYPE_CHECKING:
    from .._config import Config
    from .._language import Language


@click.group(cls=SummaryGroup)
def catalog() -> None:
    """Translation catalogs: extract, update, init, merge, compile, stats, check."""


def _only_source(config: Config, chosen: list[Language]) -> bool:
    return all(language == config.source_language for language in chosen)


def _no_catalogs(verb: str, config: Config, languages: tuple[str, ...]) -> str:
    """Why there is nothing to ``verb``: the source language has no catalog, it is the issue itself."""
    source = config.source_language.tag
    if languages:
        return f"no catalogs to {verb}: {source} is the source language, written in the issue itself"
    return (
        f"no catalogs to {verb}: {source} is the source language and no other language is set; "
        "add languages to [newsletter] languages in masthead.toml"
    )


@catalog.command("extract")
@click.argument("slug", required=False)
@click.pass_obj
def extract_command(workspace: Path, slug: str | None) -> None:
    """Write locales/SLUG.pot from the issue and locales/masthead.pot from the theme.

    SLUG is the newest issue by default.
    """
    from ..catalogs import extract

    config, issue = load(workspace, slug)
    for path, written in extract(config, issue):
        click.echo(f"{shown(config, path)}: {'written' if written else 'unchanged'}")


@catalog.command("update")
@click.argument("slug", required=False)
@language_option
@click.pass_obj
def update_command(workspace: Path, slug: str | None, languages: tuple[str, ...]) -> None:
    """Create or update each language's catalog of the issue, keeping every translation.

    SLUG is the newest issue by default.
    """
    from ..catalogs import update

    config, issue = load(workspace, slug)
    chosen = selected(config, languages)
    if _only_source(config, chosen):
        click.echo(_no_catalogs("update", config, languages))
        return
    for result in update(config, issue, chosen):
        s = result.summary
        state = "created" if result.created else "updated" if result.written else "unchanged"
        click.echo(
            f"{shown(config, result.path)}: {state}; {s.added} new, {s.from_memory} from translation "
            f"memory, {s.fuzzy} fuzzy matches, {s.obsolete} obsolete"
        )


@catalog.command("init")
@click.argument("tag", metavar="LANG")
@click.pass_obj
def init_command(workspace: Path, tag: str) -> None:
    """Start the theme's catalog for LANG in the workspace, from locales/masthead.pot.

    For a language the theme does not ship, so that its labels (Headlines, By, Photo:...) are
    translated; for one it ships, entries translated here override the shipped ones. A catalog
    already there is brought up to date with the theme, keeping every translation.
    """
    from .._config import load_config
    from ..catalogs import init_theme_catalog

    config = load_config(workspace)
    result = init_theme_catalog(config, config.language(tag))
    state = "created" if result.created else "updated" if result.written else "unchanged"
    click.echo(
        f"{shown(config, result.path)}: {state} from {shown(config, result.template)}; "
        f"{result.untranslated} theme strings to translate; Plural-Forms: {result.plural_forms}"
    )
    if result.shipped is not None:
        click.echo("the theme ships a catalog in this language: what you translate here overrides it")


@catalog.command("merge")
@click.argument("returned", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("slug", required=False)
@click.option("-l", "--language", "tag", required=True, help="The language of the translations.")
@click.pass_obj
def merge_command(workspace: Path, returned: Path, slug: str | None, tag: str) -> None:
    """Take the translations of RETURNED (a .po file) into the language's catalog of the issue.

    For translations done elsewhere, such as XLIFF from an agency turned back into a .po file with
    xliff2po: each translation comes in with its state (fuzzy or reviewed) and the translator's
    comments, and the catalog keeps everything else (previous source texts, flags, contexts, comments).
    SLUG is the newest issue by default.
    """
    from ..catalogs import merge_translations

    config, issue = load(workspace, slug)
    result = merge_translations(config, issue, config.language(tag), returned.resolve())
    state = "updated" if result.written else "unchanged"
    click.echo(
        f"{shown(config, result.path)}: {state}; {result.translated} translations taken in, "
        f"{result.reviewed} of them reviewed"
    )
    if result.left_out:
        click.echo(f"{len(result.left_out)} messages the catalog no longer has were left out:")
        for msgid in result.left_out:
            click.echo(f"    {msgid[:70]!r}")


@catalog.command("compile")
@language_option
@click.pass_obj
def compile_command(workspace: Path, languages: tuple[str, ...]) -> None:
    """Write a .mo beside every .po of the workspace."""
    from ..catalogs import compile_catalogs

    config, _ = load(workspace, None)
    chosen = selected(config, languages)
    compiled = compile_catalogs(config, chosen)
    for path in compiled:
        click.echo(shown(config, path))
    if not compiled:
        click.echo(
            _no_catalogs("compile", config, languages)
            if _only_source(config, chosen)
            else "no catalogs to compile yet: 'masthead catalog update' writes them"
        )


@catalog.command("stats")
@click.argument("slug", required=False)
@language_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def stats_command(workspace: Path, slug: str | None, languages: tuple[str, ...], as_json: bool) -> None:
    """How much of each language is translated, per catalog.

    SLUG is the newest issue by default.
    """
    from ..catalogs import changed_report, stats

    config, issue = load(workspace, slug)
    rows = stats(config, issue, selected(config, languages))
    if as_json:
        data = [
            {"language": r.language.tag, "domain": r.domain, "total": r.total, "translated": r.translated,
             "fuzzy": r.fuzzy, "machine": r.machine, "untranslated": r.untranslated,
             "percent": round(r.percent, 1),
             "changed": [{"file": c.path.as_posix(), "line": c.line, "msgid": c.msgid, "previous": c.previous}
                         for c in r.changed]}
            for r in rows
        ]  # fmt: skip
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(_no_catalogs("count", config, languages))
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
    for r in rows:
        report = changed_report(
            r.language, r.changed, config.source_language, previous=config.catalogs.publish_previous
        )
        if report:
            click.echo(report)


@catalog.command("check")
@click.argument("slug", required=False)
@language_option
@click.pass_obj
def check_command(workspace: Path, slug: str | None, languages: tuple[str, ...]) -> None:
    """Find translations whose placeholders, links, emphasis, code, URLs or spacing differ.

    SLUG is the newest issue by default.
    """
    from ..catalogs import check_catalogs

    config, issue = load(workspace, slug)
    problems = check_catalogs(config, issue, selected(config, languages))
    for problem in problems:
        click.echo(problem.format())
    click.echo(f"{len(problems)} {'problem' if len(problems) == 1 else 'problems'} found")
    if problems:
        sys.exit(1)
