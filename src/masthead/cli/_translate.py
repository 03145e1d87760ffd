"""``masthead translate``: pre-fill a language's untranslated messages by machine translation."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import load


@click.command("translate")
@click.argument("slug", required=False)
@click.option("-l", "--language", required=True, help="The language to fill, such as fr or zh-Hans.")
@click.option("--provider", help="The provider, overriding [translation] provider: libre, google, ...")
@click.pass_obj
def translate_command(workspace: Path, slug: str | None, language: str, provider: str | None) -> None:
    """Fill the untranslated messages of one language's catalog by machine translation, stored fuzzy.

    SLUG is the newest issue by default.
    """
    from ..translate import translate_issue

    config, issue = load(workspace, slug)
    r = translate_issue(config, issue, config.language(language), provider, show_progress=True)
    click.echo(
        f"{r.path.relative_to(config.root)}: {r.filled} of {r.untranslated} untranslated messages filled by "
        f"{r.provider} for review ({r.unchecked} flagged machine-unchecked, {r.failed} left empty); "
        f"{r.requests} sent, {r.cached} from the cache"
    )
