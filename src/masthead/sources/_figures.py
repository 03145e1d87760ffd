"""Figures: an image with its alt text, caption and credit, and how it is fitted to the layout."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from .._errors import MastheadError, SourceError, display_path
from ._model import CREDIT_LABELS, FITS, Figure, Origin, Text
from ._reader import Reader, choice, nearest_file

logger = logging.getLogger("masthead.sources")


def figure(reader: Reader, folder: Path, problems: list[MastheadError]) -> Figure:
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
    credit_label = choice(reader, "credit_label", CREDIT_LABELS, "photo")
    if credit is not None and "credit_label" not in reader.data and _TYPED_LABEL.match(credit.source):
        # Written before the theme labelled credits: print it as it is rather than twice labelled.
        logger.warning(
            "%s:%d: the credit %r types its own label; write only the name, and 'credit_label:' "
            "(%s) if it is not a photo: the theme prints the label in every language",
            display_path(reader.path), reader.line("credit"), credit.source, ", ".join(CREDIT_LABELS),
        )  # fmt: skip
        credit_label = "none"
    fit = choice(reader, "fit", FITS, "contain")
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


def image_figure(
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
    try:
        target = (folder / image).resolve()
        exists = target.is_file()
    except (OSError, ValueError):  # a NUL byte, a name longer than the file system allows
        problems.append(SourceError(
            f"image {image[:60]!r} is not a file name", path=path, line=line,
            hint="give a path such as images/photo.jpg",
        ))  # fmt: skip
        return
    if Path(image).is_absolute() or not target.is_relative_to(folder):
        problems.append(SourceError(
            f"image {image!r} is outside the issue folder", path=path, line=line,
            hint="put images in the issue's images/ folder and give a path such as images/photo.jpg",
        ))  # fmt: skip
    elif not exists:
        problems.append(SourceError(
            f"image file {image!r} not found", path=path, line=line,
            hint=nearest_file(image, folder) or f"add the file as {display_path(target)}",
        ))  # fmt: skip
