"""One article: its front matter (title, kicker, standfirst, author, source, figure) and its body."""

from __future__ import annotations

import re
from pathlib import Path

from .._disk import read_text
from .._errors import MastheadError, SourceError
from ._body import body_blocks
from ._figures import figure
from ._model import Article
from ._reader import Reader, relative
from ._yaml import LineDict, load_yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)


def load_article(
    path: Path, article_id: str, folder: Path, root: Path, problems: list[MastheadError]
) -> Article | None:
    """The article in ``path``, or ``None`` with its problems added to ``problems``."""
    rel = relative(path, root)
    source = read_text(path, SourceError)
    match = _FRONT_MATTER.match(source)
    if not match:
        problems.append(SourceError(
            "article has no front matter", path=path, line=1,
            hint="start the file with a '---' line, then 'title: ...', then another '---' line",
        ))  # fmt: skip
        return None
    try:
        data = load_yaml(match.group(1) or "", path, first_line=2)
    except SourceError as exc:
        problems.append(exc)
        return None
    if not isinstance(data, LineDict):
        problems.append(SourceError("front matter must be a mapping of keys to values", path=path,
                                    line=2))  # fmt: skip
        return None
    meta = Reader(data, path, rel, problems, "front matter")
    meta.check_keys(["title", "kicker", "standfirst", "author", "source", "figure"])
    title = meta.text("title", "article title", required=True)
    figure_reader = meta.mapping("figure")
    body_line = source[: match.end()].count("\n") + 1
    body = body_blocks(source[match.end() :], path, rel, body_line, folder, problems)
    if title is None:
        return None
    return Article(
        id=article_id,
        path=rel,
        title=title,
        body=body,
        kicker=meta.text("kicker", "kicker"),
        standfirst=meta.text("standfirst", "standfirst"),
        author=meta.string("author"),
        source=meta.text("source", "source line"),
        figure=figure(figure_reader, folder, problems) if figure_reader else None,
    )
