"""Read ``issues/<slug>/``: ``issue.yaml`` and its Markdown articles, into the source model.

Every problem found is collected and reported at once, each with its file and line.
"""

from __future__ import annotations

import datetime
import logging
import re
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from .._errors import MastheadError, SourceError, display_path, raise_all
from .._links import address_problem, link_problem, markdown, unpublishable_links
from ._fields import headlines, issue_date
from ._figures import figure, image_figure
from ._model import (
    LAYOUTS,
    Article,
    BackPage,
    Block,
    Credit,
    Heading,
    Headline,
    Issue,
    ItemList,
    Origin,
    Paragraph,
    Quote,
    Section,
    Text,
)
from ._reader import Reader, nearest_file, relative, suggest
from ._yaml import LineDict, load_yaml

logger = logging.getLogger("masthead.sources")

ISSUE_FILE = "issue.yaml"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_md = markdown()


def load_issue(folder: Path | str, *, root: Path | str | None = None) -> Issue:
    """Load the issue in ``folder``; paths in messages are relative to ``root`` (the workspace)."""
    folder = Path(folder).resolve()
    root = Path(root).resolve() if root is not None else folder.parent.parent
    path = folder / ISSUE_FILE
    slug = folder.name
    if not path.is_file():
        raise SourceError(
            f"no {ISSUE_FILE} in issue folder {folder}",
            path=path,
            hint=f"create one with 'masthead new {slug}'",
        )
    rel = relative(path, root)
    data = load_yaml(path.read_text(encoding="utf-8"), path)
    if not isinstance(data, LineDict):
        raise SourceError(f"{ISSUE_FILE} must be a mapping of keys to values", path=path, line=1)
    problems: list[MastheadError] = []
    issue = Reader(data, path, rel, problems, ISSUE_FILE)
    issue.check_keys(
        ["number", "date", "date_label", "title", "kicker", "summary", "cover", "headlines",
         "sections", "colophon", "back", "names"]
    )  # fmt: skip
    if not _SLUG.match(slug):
        problems.append(SourceError(
            f"issue folder name {slug!r} is not a valid slug", path=folder,
            hint="use lower-case letters, digits and hyphens, such as 'winter-2026'",
        ))  # fmt: skip

    number = data.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        issue.problem("'number' must be the issue number, a whole number", "number")
        number = 0
    date, date_precision = issue_date(data.get("date"))
    if date is None:
        issue.problem(
            "'date' must be written as YYYY, YYYY-MM or YYYY-MM-DD", "date",
            "such as 'date: 2026', 'date: 2026-06' or 'date: 2026-06-01'; "
            "'date_label: Spring 2026' prints words of your own instead",
        )  # fmt: skip
        date = datetime.date(1970, 1, 1)
    title = issue.text("title", "issue title", required=True)

    cover_reader = issue.mapping("cover")
    cover = figure(cover_reader, folder, problems) if cover_reader else None

    sections: list[Section] = []
    seen: dict[str, int] = {}
    for line, entry in zip(issue.sequence("sections").lines, issue.sequence("sections"), strict=True):
        if not isinstance(entry, LineDict):
            problems.append(SourceError("each section must be a mapping", path=path, line=line))
            continue
        section = Reader(entry, path, rel, problems, "section")
        section.check_keys(["title", "layout", "articles"])
        layout = section.string("layout") or "standard"
        if layout not in LAYOUTS:
            close = get_close_matches(layout, LAYOUTS, n=1)
            section.problem(
                f"unknown layout {layout!r}", "layout",
                (f"did you mean {close[0]!r}? " if close else "") + "layouts: " + ", ".join(LAYOUTS),
            )  # fmt: skip
        articles: list[Article] = []
        ids = section.sequence("articles")
        if not ids:
            section.problem("section lists no articles", hint="add 'articles: [article-id, ...]'")
        for id_line, article_id in zip(ids.lines, ids, strict=True):
            article_id = str(article_id)
            if article_id in seen:
                problems.append(SourceError(
                    f"article {article_id!r} is listed twice (first on line {seen[article_id]})",
                    path=path, line=id_line, hint="each article appears once in an issue",
                ))  # fmt: skip
                continue
            seen[article_id] = id_line
            article_path = folder / f"{article_id}.md"
            if not article_path.is_file():
                problems.append(SourceError(
                    f"article {article_id!r} not found: no file {article_id}.md",
                    path=path, line=id_line,
                    hint=nearest_file(article_id, folder) or f"create {relative(article_path, root)}",
                ))  # fmt: skip
                continue
            article = _article(article_path, article_id, folder, root, problems)
            if article:
                articles.append(article)
        for article in articles:
            _check_layout(layout, article, folder)
        section_title = section.text("title", "section title", required=True)
        if section_title:
            sections.append(Section(section_title, layout, tuple(articles)))

    headline_entries = headlines(issue, seen) or tuple(
        Headline(s.articles[0].id) for s in sections if s.articles
    )

    colophon: list[Credit] = []
    for line, entry in zip(issue.sequence("colophon").lines, issue.sequence("colophon"), strict=True):
        if not isinstance(entry, LineDict):
            problems.append(SourceError(
                "each colophon entry must be a mapping with 'role' and 'names'", path=path, line=line
            ))  # fmt: skip
            continue
        credit = Reader(entry, path, rel, problems, "colophon entry")
        credit.check_keys(["role", "names"])
        role = credit.text("role", "colophon role", required=True)
        names = entry.get("names")
        names_list = [names] if isinstance(names, str) else list(names or [])
        if not names_list:
            credit.problem("colophon entry has no names", hint="add 'names: [Name, ...]'")
        if role:
            colophon.append(Credit(role, tuple(str(name) for name in names_list)))

    back = None
    back_reader = issue.mapping("back")
    if back_reader:
        back_reader.check_keys(["about", "address", "website", "email"])
        about = back_reader.text("about", "organisation description", required=True)
        website = back_reader.string("website")
        if website and (why := link_problem(website, web_only=True)):
            back_reader.problem(why, "website", hint="write the website's full address, such as "
                                "https://example.org/")  # fmt: skip
            website = None
        email = back_reader.string("email")
        if email and (why := address_problem(email)):
            back_reader.problem(why, "email", hint="write the address alone, such as hello@example.org")
            email = None
        if about:
            back = BackPage(
                about=about,
                address=back_reader.text("address", "address"),
                website=website,
                email=email,
            )

    names_value = data.get("names") or []
    raise_all(problems)
    assert title is not None
    return Issue(
        slug=slug,
        folder=folder,
        number=number,
        date=date,
        title=title,
        kicker=issue.text("kicker", "kicker"),
        summary=issue.text("summary", "summary"),
        cover=cover,
        headlines=headline_entries,
        sections=tuple(sections),
        colophon=tuple(colophon),
        back=back,
        names=tuple(str(name) for name in names_value),
        date_precision=date_precision,
        date_label=issue.text("date_label", "issue date"),
    )


def _check_layout(layout: str, article: Article, folder: Path) -> None:
    """What builds but would surprise a reader: a timeline with no years, news with no source."""
    where = display_path(folder / f"{article.id}.md")
    if layout == "timeline" and not any(isinstance(b, Heading) and b.level <= 2 for b in article.body):
        logger.warning("%s: a timeline article without '## ' headings shows as one block", where)
    if layout == "news" and article.source is None:
        logger.warning("%s: a news article without 'source:' prints no source line", where)


def _article(
    path: Path, article_id: str, folder: Path, root: Path, problems: list[MastheadError]
) -> Article | None:
    rel = relative(path, root)
    source = path.read_text(encoding="utf-8")
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
    body = _blocks(source[match.end() :], path, rel, body_line, folder, problems)
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


def _blocks(
    body: str, path: Path, rel: str, first_line: int, folder: Path, problems: list[MastheadError]
) -> tuple[Block, ...]:
    """Turn a Markdown body into blocks, one message per heading, paragraph or list item."""
    tokens = _md.parse(body)
    blocks: list[Block] = []

    def origin(token: Token) -> Origin:
        return Origin(rel, first_line + (token.map[0] if token.map else 0))

    def text(inline: Token, kind: str) -> Text:
        line = origin(inline).line
        if any(child.type == "image" for child in inline.children or []):
            # Inside a sentence an image would be neither a figure (caption, credit) nor checked text.
            problems.append(SourceError(
                f"an image inside a {kind}", path=path, line=line,
                hint="put the image in a paragraph of its own, or in a ```figure block",
            ))  # fmt: skip
        for url in unpublishable_links(inline.content):
            problems.append(SourceError(
                f"a link that cannot be published: {link_problem(url, relative=True)}", path=path, line=line,
                hint="link to an http(s) address or mailto: an address",
            ))  # fmt: skip
        return Text(_one_line(inline.content), kind, origin(inline))

    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            inline = tokens[index + 1]
            blocks.append(Heading(text(inline, "heading"), int(token.tag[1])))
            index += 3
        elif token.type == "paragraph_open":
            inline = tokens[index + 1]
            image = _lone_image(inline)
            if image is not None:
                src, alt = image
                blocks.append(image_figure(src, alt, origin(inline), path, folder, problems))
            else:
                blocks.append(Paragraph(text(inline, "paragraph")))
            index += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            close = token.type.replace("_open", "_close")
            depth, items = 0, []
            while True:
                index += 1
                current = tokens[index]
                if current.type == token.type:
                    depth += 1
                elif current.type == close:
                    if depth == 0:
                        break
                    depth -= 1
                elif current.type == "inline":
                    items.append(text(current, "list item"))
            blocks.append(ItemList(tuple(items), ordered=token.type.startswith("ordered")))
            index += 1
        elif token.type == "blockquote_open":
            depth, paragraphs = 0, []
            while True:
                index += 1
                current = tokens[index]
                if current.type == "blockquote_open":
                    depth += 1
                elif current.type == "blockquote_close":
                    if depth == 0:
                        break
                    depth -= 1
                elif current.type == "inline":
                    paragraphs.append(text(current, "quotation"))
            blocks.append(Quote(tuple(paragraphs)))
            index += 1
        elif token.type == "fence" and token.info.strip() == "figure":
            line = first_line + (token.map[0] if token.map else 0)
            try:
                data = load_yaml(token.content, path, first_line=line + 1)
            except SourceError as exc:
                problems.append(exc)
            else:
                if isinstance(data, LineDict):
                    reader = Reader(data, path, rel, problems, "figure")
                    blocks.append(figure(reader, folder, problems))
                else:
                    problems.append(SourceError(
                        "a figure block must hold 'image', 'alt', 'caption' and 'credit'",
                        path=path, line=line,
                    ))  # fmt: skip
            index += 1
        elif token.type in ("fence", "code_block"):
            problems.append(SourceError(
                "code blocks are not part of a newsletter article", path=path, line=origin(token).line,
                hint="use a ```figure block for images, or inline `code` inside a paragraph",
            ))  # fmt: skip
            index += 1
        else:  # horizontal rules and anything else that carries no text
            index += 1
    return tuple(blocks)


def _lone_image(inline: Token) -> tuple[str, str] | None:
    children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    if len(children) == 1 and children[0].type == "image":
        image = children[0]
        return str(image.attrs.get("src", "")), image.content
    return None


def _one_line(content: str) -> str:
    return re.sub(r"[ \t]*\n[ \t]*", " ", content).strip()


def find_issue(issues_dir: Path, slug: str | None) -> Path:
    """The folder of issue ``slug``, or of the newest issue when no slug is given."""
    if slug:
        folder = issues_dir / slug
        if not (folder / ISSUE_FILE).is_file():
            known = sorted(p.parent.name for p in issues_dir.glob(f"*/{ISSUE_FILE}"))
            raise SourceError(
                f"no issue {slug!r}", path=issues_dir,
                hint=(suggest(slug, known) or "issues: " + (", ".join(known) or "none yet"))
                + f"; create one with 'masthead new {slug}'",
            )  # fmt: skip
        return folder
    folders = sorted(issues_dir.glob(f"*/{ISSUE_FILE}"), key=_issue_sort_key)
    if not folders:
        raise SourceError("no issues yet", path=issues_dir, hint="create one with 'masthead new SLUG'")
    return folders[-1].parent


def _issue_sort_key(path: Path) -> tuple[Any, ...]:
    """Newest first by date, then by number: the order in which issues appear."""
    text = path.read_text(encoding="utf-8")
    date = re.search(r"^date:\s*[\"']?([\d-]+)", text, re.MULTILINE)
    number = re.search(r"^number:\s*(\d+)", text, re.MULTILINE)
    return (date.group(1) if date else "", int(number.group(1)) if number else 0, path.parent.name)
