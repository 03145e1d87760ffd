"""Pages that only show: the archive per language, its Atom feed, and the stylesheet of the pages."""

from __future__ import annotations

import functools
import hashlib

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .._language import Language, find_language
from .._layout import ARCHIVE, archive_path, feed_path, style_path
from ._site import Site


def routes(site: Site) -> list[Route]:
    async def home(request: Request) -> Response:
        language = site.language(request)
        return RedirectResponse(site.path(archive_path(language.tag)), status_code=303)

    async def archive(request: Request) -> Response:
        language = _configured(site, request.path_params["lang"])
        if language is None:
            return site.message(request, site.language(request), "not-found", status=404)
        return site.kept_page(
            request, "archive", language, make=lambda: {"entries": site.archive.for_language(language)}
        )

    async def feed(request: Request) -> Response:
        language = _configured(site, request.path_params["lang"])
        if language is None:
            return Response("not found\n", status_code=404, media_type="text/plain")

        def feed_xml() -> bytes:
            entries = site.archive.for_language(language)
            return site.pages.render("feed.xml", language, entries=entries, site=site).encode("utf-8")

        body = site.keep(("feed.xml", language.tag), feed_xml)
        return _cached(request, body, "application/atom+xml; charset=utf-8")

    async def stylesheet(request: Request) -> Response:
        language = _configured(site, request.path_params["lang"])
        if language is None:
            return Response("not found\n", status_code=404, media_type="text/plain")
        body = site.keep(
            ("pages.css", language.tag), lambda: site.pages.render("pages.css", language).encode("utf-8")
        )
        return _cached(request, body, "text/css; charset=utf-8")

    return [
        Route("/", home, methods=["GET"]),
        Route(f"/{ARCHIVE}", home, methods=["GET"]),
        Route("/" + archive_path("{lang}"), archive, methods=["GET"]),
        Route("/" + feed_path("{lang}"), feed, methods=["GET"]),
        Route("/" + style_path("{lang}"), stylesheet, methods=["GET"]),
    ]


def _configured(site: Site, tag: str) -> Language | None:
    return find_language(tag, site.config.languages)


@functools.lru_cache(maxsize=64)
def _etag(body: bytes) -> str:
    """The ETag of a kept body, worked out once (the body is the same object each time it is kept)."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _cached(request: Request, body: bytes, media_type: str) -> Response:
    """A response a browser may keep, revalidated by its ETag."""
    etag = _etag(body)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)
