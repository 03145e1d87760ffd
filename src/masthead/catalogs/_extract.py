"""Extraction: an issue's texts and the theme's strings as message templates (``.pot``)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from ..sources import Issue, Text, texts
from ._context import places


def issue_messages(issue: Issue) -> list[Text]:
    """The texts of ``issue`` that translators translate: everything but names kept as written."""
    kept = set(issue.names)
    return [text for text in texts(issue) if text.source and text.source not in kept]


def extract_issue(issue: Issue, project: str, page_url: str | None = None) -> Catalog:
    """One message per block; the same text in several places is one message with every reference.

    Each message says, as extracted comments, where it appears (``paragraph 3 of “Open doors”
    (open-doors)``) and, given the URL of the issue's web page, the link to that place in it."""
    where = {id(place.text): place for place in places(issue)}
    catalog = Catalog(
        domain=issue.slug,
        project=project,
        version=f"{issue.number} ({issue.slug})",
        header_comment=f"# Messages of issue {issue.number} ({issue.slug}) of {project}.\n#",
        fuzzy=False,
    )
    for text in issue_messages(issue):
        location = (text.origin.path, text.origin.line)
        place = where.get(id(text))
        comments = [text.kind] if place is None else [place.where]
        if place is not None and page_url:
            comments.append(f"{page_url}#{place.anchor}")
        existing = catalog.get(text.source)
        if existing is not None:
            existing.locations.append(location)
            existing.auto_comments += [c for c in comments if c not in existing.auto_comments]
        else:
            catalog.add(text.source, locations=[location], auto_comments=comments)
    return catalog


def extract_theme(template_dirs: list[Path], project: str) -> Catalog:
    """The theme strings (``_()`` in the Jinja2 templates) of every template folder given."""
    catalog = Catalog(
        domain="masthead",
        project=project,
        version="theme",
        header_comment="# Theme strings of masthead: labels around the newsletter's own text.\n#",
        fuzzy=False,
    )
    method_map = [("**.html", "jinja2"), ("**.txt", "jinja2")]
    options = {"**.html": {"extensions": "jinja2.ext.i18n"}, "**.txt": {"extensions": "jinja2.ext.i18n"}}
    for folder in template_dirs:
        if not folder.is_dir():
            continue
        for filename, lineno, message, comments, context in extract_from_dir(
            str(folder), method_map, options_map=options, comment_tags=("NOTE:",)
        ):
            catalog.add(
                message,
                locations=[(f"templates/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog
