"""What a render may load: ``data:`` URLs and files inside the issue folder and the theme, nothing else.

The sources of an issue may come from anyone (a contributor's SVG, a downloaded stylesheet), so a
build must never reach the network or read a file elsewhere on the machine: an SVG's
``<image href="http://10.0.0.1/...">`` or a stylesheet's ``url(file:///etc/...)`` is refused, and
the build stops naming the file that holds the reference.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher

from .._disk import find_written
from .._errors import ResourceError

logger = logging.getLogger("masthead.render")

PACKAGED_THEME = Path(__file__).resolve().parent.parent / "templates"
"""The default theme shipped in the package."""


class Refused(ValueError):
    """Raised to WeasyPrint for a URL outside the allowed folders (it then leaves the resource out)."""


class LocalFetcher(URLFetcher):  # type: ignore[misc]
    """A WeasyPrint URL fetcher that loads ``data:`` URLs, files under ``folders`` and the very
    ``files`` named (the images prepared for print, in the output folder: not the folder itself,
    where anything may have been written), and nothing else.

    WeasyPrint catches what a fetcher raises (and an SVG swallows even fatal errors), so every
    refusal is also recorded in ``refused``; :func:`check_refused` turns them into an error.
    """

    def __init__(self, folders: Sequence[Path], files: Sequence[Path] = ()) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.folders = tuple(folder.resolve() for folder in folders)
        self.files = frozenset(Path(os.path.normpath(path.absolute())) for path in files)
        self.refused: list[str] = []

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return True
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            return False
        named = Path(os.path.normpath(url2pathname(parts.path)))
        if named in self.files:
            return not named.is_symlink()  # a copy masthead wrote, never a link elsewhere
        path = named.resolve()
        return any(path.is_relative_to(folder) for folder in self.folders)

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not self.allows(url):
            if url not in self.refused:
                self.refused.append(url)
            logger.debug("refused to load %s", url[:200])
            raise Refused(f"masthead loads no resource from {url[:200]!r}")
        return super().fetch(url, headers)


def check_refused(fetcher: LocalFetcher, search: Sequence[Path]) -> None:
    """Raise :class:`ResourceError` for the URLs ``fetcher`` refused, if any."""
    if fetcher.refused:
        raise refusal(fetcher.refused, search)


def refusal(urls: Sequence[str], search: Sequence[Path]) -> ResourceError:
    """The error for refused ``urls``, naming the file under ``search`` that refers to the first one
    when it can be found."""
    url = urls[0]
    found = find_written(_needles(url), search)
    shown = url if len(url) <= 100 else url[:97] + "..."
    others = len(urls) - 1
    more = f" (and {others} other reference{'s' if others != 1 else ''})" if others else ""
    return ResourceError(
        f"refused to load {shown!r}{more}: a build loads only data: URLs and files inside the issue "
        "folder and the theme",
        path=found[0] if found else None,
        line=found[1] if found else None,
        hint="copy the file into the issue's images/ folder and refer to it by a relative path",
    )


def _needles(url: str) -> list[str]:
    """What a file may hold where it wrote ``url``: the URL itself, decoded, or its last segment."""
    needles = [url, unquote(url)]
    parts = urlsplit(url)
    if parts.scheme.lower() == "file":
        needles.append(url2pathname(parts.path))
    name = unquote(parts.path.rstrip("/").rpartition("/")[2])
    if len(name) >= 3:
        needles.append(name)
    return list(dict.fromkeys(needle for needle in needles if needle))
