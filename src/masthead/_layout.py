"""Where everything masthead publishes lies: the files of a built edition and the readers' routes.

The output folder (``[newsletter] output``) and the site under ``base_url`` mirror each other: the
web service serves the output folder as it is, so a path here is both a file below the output folder
and a URL below ``base_url``. Every part of masthead that writes, links to or serves one of these
asks this module, so that moving a file is one change here.
"""

from __future__ import annotations

from pathlib import Path

WEB_PAGE = "index.html"
"""An edition's web page, in its language's folder."""
EMAIL_HTML = "email.html"
EMAIL_TEXT = "email.txt"
EMAIL_SAMPLE = "email.eml"
"""The email as one sample reader receives it, for a person to open in a mail program."""
EMAIL_TEMPLATE = "email.template"
"""The email as ``masthead send`` personalises it for each reader."""
EMAIL_FILES = (EMAIL_HTML, EMAIL_TEXT, EMAIL_SAMPLE, EMAIL_TEMPLATE)
STAMP = ".masthead-build"
"""What a finished build leaves in a language's folder (see :mod:`masthead.publication`)."""
IMAGES = "images"
"""The issue's folder of image copies, shared by its languages: ``<slug>/images/``."""

# The readers' routes, relative to base_url.
ARCHIVE = "archive"
SUBSCRIBE = "subscribe"
CONFIRM = "confirm"
UNSUBSCRIBE = "unsubscribe"
PREFERENCES = "preferences"
STYLE = "style"
FEED = "feed.atom"
READER_ROUTES = (ARCHIVE, SUBSCRIBE, CONFIRM, UNSUBSCRIBE, PREFERENCES)
"""The service's own pages (everything else under base_url is a published edition)."""


def pdf_name(slug: str, tag: str) -> str:
    """The print edition's file name: ``<slug>.<lang>.pdf``, which says what it is once downloaded."""
    return f"{slug}.{tag}.pdf"


def edition_path(slug: str, tag: str) -> str:
    """A language edition's folder, relative to the output folder and to base_url: ``<slug>/<lang>``."""
    return f"{slug}/{tag}"


def web_path(slug: str, tag: str) -> str:
    """``<slug>/<lang>/index.html``."""
    return f"{edition_path(slug, tag)}/{WEB_PAGE}"


def pdf_path(slug: str, tag: str) -> str:
    """``<slug>/<lang>/<slug>.<lang>.pdf``."""
    return f"{edition_path(slug, tag)}/{pdf_name(slug, tag)}"


def edition_folder(output: Path, slug: str, tag: str) -> Path:
    """The folder a language edition is built in."""
    return output / slug / tag


def issue_folder(output: Path, slug: str) -> Path:
    """The folder an issue's editions and their shared image copies are built in."""
    return output / slug


def archive_path(tag: str) -> str:
    return f"{ARCHIVE}/{tag}/"


def feed_path(tag: str) -> str:
    return f"{ARCHIVE}/{tag}/{FEED}"


def subscribe_path(tag: str) -> str:
    return f"{SUBSCRIBE}/{tag}"


def style_path(tag: str) -> str:
    """The stylesheet of the service's pages in a language."""
    return f"{STYLE}/{tag}.css"


def with_token(route: str, token: str) -> str:
    """A reader's link that carries a signed token: ``unsubscribe?token=...``."""
    return f"{route}?token={token}"
