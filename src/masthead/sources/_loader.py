"""Read ``issues/<slug>/``: ``issue.yaml`` and its Markdown articles, into the source model.

Every problem found is collected and reported at once, each with its file and line.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterable
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from .._errors import MastheadError, SourceError, display_path, raise_all
from .._links import address_problem, link_problem, markdown, unpublishable_links
from ._model import (
    CREDIT_LABELS,
    FITS,
    LAYOUTS,
    Article,
    BackPage,
    Block,
    Credit,
    Figure,
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
from ._yaml import LineDict, LineList, load_yaml

logger = logging.getLogger("masthead.sources")

ISSUE_FILE = "issue.yaml"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_md = markdown()


class _Reader:
    """Reads the fields of one YAML mapping, recording problems instead of stopping at the first."""

    def __init__(
        self, data: LineDict, path: Path, rel: str, problems: list[MastheadError], what: str
    ) -> None:
        self.data, self.path, self.rel, self.problems, self.what = data, path, rel, problems, what

    def check_keys(self, known: Iterable[str]) -> None:
        known = list(known)
        for key in self.data:
            if key not in known:
                close = get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(known)
                self.problem(f"unknown key {key!r} in {self.what}", key, hint)

    def line(self, key: str | None = None) -> int:
        return self.data.lines.get(key, self.data.line) if key else self.data.line

    def problem(self, message: str, key: str | None = None, hint: str | None = None) -> None:
        self.problems.append(SourceError(message, path=self.path, line=self.line(key), hint=hint))

    def string(self, key: str, *, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(f"{self.what} has no {key!r}", hint=f"add '{key}: ...'")
            return None
        if isinstance(value, bool | LineDict | LineList):
            self.problem(f"{key!r} in {self.what} must be text", key)
            return None
        text = " ".join(str(value).split())
        if not text:
            if required:
                self.problem(f"{key!r} in {self.what} is empty", key)
            return None
        return text

    def text(self, key: str, kind: str, *, required: bool = False) -> Text | None:
        value = self.string(key, required=required)
        if value is None:
            return None
        return Text(value, kind, Origin(self.rel, self.line(key)))

    def mapping(self, key: str) -> _Reader | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, LineDict):
            self.problem(f"{key!r} in {self.what} must be a mapping of keys to values", key)
            return None
        return _Reader(value, self.path, self.rel, self.problems, f"{key!r}")

    def sequence(self, key: str) -> LineList:
        value = self.data.get(key)
        if value is None:
            return LineList()
        if not isinstance(value, LineList):
            self.problem(f"{key!r} in {self.what} must be a list", key)
            return LineList()
        return value


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
    rel = _relative(path, root)
    data = load_yaml(path.read_text(encoding="utf-8"), path)
    if not isinstance(data, LineDict):
        raise SourceError(f"{ISSUE_FILE} must be a mapping of keys to values", path=path, line=1)
    problems: list[MastheadError] = []
    issue = _Reader(data, path, rel, problems, ISSUE_FILE)
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
    date, date_precision = _issue_date(data.get("date"))
    if date is None:
        issue.problem(
            "'date' must be written as YYYY, YYYY-MM or YYYY-MM-DD", "date",
            "such as 'date: 2026', 'date: 2026-06' or 'date: 2026-06-01'; "
            "'date_label: Spring 2026' prints words of your own instead",
        )  # fmt: skip
        date = datetime.date(1970, 1, 1)
    title = issue.text("title", "issue title", required=True)

    cover_reader = issue.mapping("cover")
    cover = _figure(cover_reader, folder, problems) if cover_reader else None

    sections: list[Section] = []
    seen: dict[str, int] = {}
    for line, entry in zip(issue.sequence("sections").lines, issue.sequence("sections"), strict=True):
        if not isinstance(entry, LineDict):
            problems.append(SourceError("each section must be a mapping", path=path, line=line))
            continue
        section = _Reader(entry, path, rel, problems, "section")
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
                    hint=_nearest_file(article_id, folder) or f"create {_relative(article_path, root)}",
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

    headlines = _headlines(issue, seen) or tuple(Headline(s.articles[0].id) for s in sections if s.articles)

    colophon: list[Credit] = []
    for line, entry in zip(issue.sequence("colophon").lines, issue.sequence("colophon"), strict=True):
        if not isinstance(entry, LineDict):
            problems.append(SourceError(
                "each colophon entry must be a mapping with 'role' and 'names'", path=path, line=line
            ))  # fmt: skip
            continue
        credit = _Reader(entry, path, rel, problems, "colophon entry")
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
        headlines=headlines,
        sections=tuple(sections),
        colophon=tuple(colophon),
        back=back,
        names=tuple(str(name) for name in names_value),
        date_precision=date_precision,
        date_label=issue.text("date_label", "issue date"),
    )


def _issue_date(value: object) -> tuple[datetime.date | None, str]:
    """The date of ``date:`` (YAML gives a date, a whole number for a year, or text for
    ``YYYY-MM``) and how much of it is given."""
    if isinstance(value, datetime.datetime):
        return value.date(), "day"
    if isinstance(value, datetime.date):
        return value, "day"
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
        return datetime.date(value, 1, 1), "year"
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*", value)
        if match:
            year, month, day = (int(part) if part else None for part in match.groups())
            try:
                found = datetime.date(year or 1, month or 1, day or 1)
            except ValueError:
                return None, "day"
            return found, "day" if day else "month" if month else "year"
    return None, "day"


def _headlines(issue: _Reader, articles: dict[str, int]) -> tuple[Headline, ...]:
    """The Headlines box: article ids, or mappings of an article and the wording to show for it."""
    entries: list[Headline] = []
    listed = issue.sequence("headlines")
    for line, entry in zip(listed.lines, listed, strict=True):
        title = None
        if isinstance(entry, LineDict):
            reader = _Reader(entry, issue.path, issue.rel, issue.problems, "headline")
            reader.check_keys(["article", "title"])
            article_id = reader.string("article", required=True)
            title = reader.text("title", "headline")
            if article_id is None:
                continue
        elif isinstance(entry, LineList) or entry is None:
            issue.problems.append(SourceError(
                "a headline is an article id, or 'article:' with an id and 'title:' with its wording",
                path=issue.path, line=line,
            ))  # fmt: skip
            continue
        else:
            article_id = str(entry)
        if article_id not in articles:
            issue.problems.append(SourceError(
                f"headline {article_id!r} is not an article of this issue", path=issue.path, line=line,
                hint=_suggest(article_id, articles),
            ))  # fmt: skip
            continue
        entries.append(Headline(article_id, title))
    return tuple(entries)


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
    rel = _relative(path, root)
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
    meta = _Reader(data, path, rel, problems, "front matter")
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
        figure=_figure(figure_reader, folder, problems) if figure_reader else None,
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
                blocks.append(_image_figure(src, alt, origin(inline), path, folder, problems))
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
                    reader = _Reader(data, path, rel, problems, "figure")
                    blocks.append(_figure(reader, folder, problems))
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


def _figure(reader: _Reader, folder: Path, problems: list[MastheadError]) -> Figure:
    reader.check_keys(["image", "alt", "caption", "credit", "credit_label", "fit", "focus"])
    image = reader.string("image", required=True) or ""
    if image:
        _check_image(image, folder, reader.path, reader.line("image"), problems)
    alt = reader.text("alt", "alt text")
    if alt is None:
        reader.problem(
            f"image {image!r} has no alt text",
            hint="add 'alt: ...' describing the image for readers who cannot see it",
        )
        alt = Text("", "alt text", Origin(reader.rel, reader.line()))
    credit = reader.text("credit", "credit")
    credit_label = _choice(reader, "credit_label", CREDIT_LABELS, "photo")
    if credit is not None and "credit_label" not in reader.data and _TYPED_LABEL.match(credit.source):
        # Written before the theme labelled credits: print it as it is rather than twice labelled.
        logger.warning(
            "%s:%d: the credit %r types its own label; write only the name, and 'credit_label:' "
            "(%s) if it is not a photo: the theme prints the label in every language",
            display_path(reader.path), reader.line("credit"), credit.source, ", ".join(CREDIT_LABELS),
        )  # fmt: skip
        credit_label = "none"
    fit = _choice(reader, "fit", FITS, "contain")
    focus = reader.string("focus") or "50% 50%"
    if not _FOCUS.fullmatch(focus):
        reader.problem(
            f"focus {focus!r} is not a point of the image",
            "focus",
            "give two percentages from the left and from the top, such as 'focus: 50% 30%'",
        )
    elif "focus" in reader.data and fit != "cover":
        reader.problem("'focus' only applies to a cropped image", "focus", "add 'fit: cover'")
    return Figure(
        image=image,
        alt=alt,
        caption=reader.text("caption", "caption"),
        credit=credit,
        credit_label=credit_label,
        fit=fit,
        focus=focus,
    )


_TYPED_LABEL = re.compile(r"^(?:Photo|Photograph|Photos|Illustration|Drawing|Design|Image|Picture)s?"
                          r"(?: credit)?\s*:", re.IGNORECASE)  # fmt: skip
_FOCUS = re.compile(r"(?:100|\d{1,2})(?:\.\d+)?% (?:100|\d{1,2})(?:\.\d+)?%")


def _choice(reader: _Reader, key: str, choices: tuple[str, ...], default: str) -> str:
    value = reader.string(key)
    if value is None:
        return default
    if value not in choices:
        close = get_close_matches(value, choices, n=1)
        reader.problem(
            f"{key} {value!r} is not one of {', '.join(choices)}", key,
            f"did you mean {close[0]!r}?" if close else None,
        )  # fmt: skip
        return default
    return value


def _image_figure(
    src: str, alt: str, origin: Origin, path: Path, folder: Path, problems: list[MastheadError]
) -> Figure:
    _check_image(src, folder, path, origin.line, problems)
    if not alt.strip():
        problems.append(SourceError(
            f"image {src!r} has no alt text", path=path, line=origin.line,
            hint="write it between the brackets: ![what the image shows](" + src + ")",
        ))  # fmt: skip
    return Figure(image=src, alt=Text(alt.strip(), "alt text", origin))


def _check_image(image: str, folder: Path, path: Path, line: int, problems: list[MastheadError]) -> None:
    target = (folder / image).resolve()
    if Path(image).is_absolute() or not target.is_relative_to(folder):
        problems.append(SourceError(
            f"image {image!r} is outside the issue folder", path=path, line=line,
            hint="put images in the issue's images/ folder and give a path such as images/photo.jpg",
        ))  # fmt: skip
    elif not target.is_file():
        problems.append(SourceError(
            f"image file {image!r} not found", path=path, line=line,
            hint=_nearest_file(image, folder) or f"add the file as {display_path(target)}",
        ))  # fmt: skip


def _lone_image(inline: Token) -> tuple[str, str] | None:
    children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    if len(children) == 1 and children[0].type == "image":
        image = children[0]
        return str(image.attrs.get("src", "")), image.content
    return None


def _one_line(content: str) -> str:
    return re.sub(r"[ \t]*\n[ \t]*", " ", content).strip()


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _suggest(word: str, known: Iterable[str]) -> str | None:
    close = get_close_matches(word, list(known), n=1)
    return f"did you mean {close[0]!r}?" if close else None


def _nearest_file(name: str, folder: Path) -> str | None:
    names = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
    candidates = [n.removesuffix(".md") for n in names] if not name.count("/") else names
    hint = _suggest(name, candidates)
    return hint


def find_issue(issues_dir: Path, slug: str | None) -> Path:
    """The folder of issue ``slug``, or of the newest issue when no slug is given."""
    if slug:
        folder = issues_dir / slug
        if not (folder / ISSUE_FILE).is_file():
            known = sorted(p.parent.name for p in issues_dir.glob(f"*/{ISSUE_FILE}"))
            raise SourceError(
                f"no issue {slug!r}", path=issues_dir,
                hint=(_suggest(slug, known) or "issues: " + (", ".join(known) or "none yet"))
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
