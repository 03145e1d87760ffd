"""An article's Markdown body as blocks: one message per heading, paragraph, list item or quotation,
figures from lone images and ```figure blocks; what a newsletter cannot publish is a problem."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it.token import Token

from .._errors import MastheadError, SourceError
from .._links import link_problem, markdown, unpublishable_links
from ._figures import figure, image_figure
from ._model import Block, Heading, ItemList, Origin, Paragraph, Quote, Text
from ._reader import RESERVED_MARKER, Reader
from ._yaml import LineDict, load_yaml

_md = markdown()


def body_blocks(
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
        if RESERVED_MARKER in inline.content:
            problems.append(SourceError(
                f"the {kind} holds {RESERVED_MARKER!r}, which masthead keeps for itself", path=path,
                line=line, hint="write it another way, such as with a space after the %%",
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
