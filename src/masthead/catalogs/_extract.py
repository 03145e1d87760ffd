"""Extraction: an issue's texts and the theme's strings as message templates (``.pot``)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from ..sources import Issue, Text, texts


def issue_messages(issue: Issue) -> list[Text]:
    """The texts of ``issue`` that translators translate: everything but names kept as written."""
    kept = set(issue.names)
    return [text for text in texts(issue) if text.source and text.source not in kept]


def extract_issue(issue: Issue, project: str) -> Catalog:
    """One message per block; the same text in several places is one message with every reference."""
    catalog = Catalog(
        domain=issue.slug,
        project=project,
        version=f"{issue.number} ({issue.slug})",
        header_comment=f"# Messages of issue {issue.number} ({issue.slug}) of {project}.\n#",
        fuzzy=False,
    )
    for text in issue_messages(issue):
        location = (text.origin.path, text.origin.line)
        existing = catalog.get(text.source)
        if existing is not None:
            existing.locations.append(location)
            if text.kind not in existing.auto_comments:
                existing.auto_comments.append(text.kind)
        else:
            catalog.add(text.source, locations=[location], auto_comments=[text.kind])
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
