"""``masthead serve --preview``: an editor's view of the editions, rebuilt as the sources change.

Opening ``<slug>/<lang>/index.html`` builds that language first if its sources, catalogs, templates or
settings changed since its last build (below the completeness threshold too: an editor wants to see
it). The page gets one script, served from this site, that asks every second whether any of those
inputs changed, and reloads the page when they did; the reload is what rebuilds.
"""

from __future__ import annotations

import logging
import threading
from html import escape
from importlib.resources import files
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .._config import CONFIG_FILE
from .._disk import tree_signature
from .._errors import MastheadError
from .._language import Language, find_language
from .._layout import web_path
from ..catalogs import PACKAGED_LOCALES, PACKAGED_TEMPLATES
from ._guard import EDITION_POLICY
from ._site import Site

logger = logging.getLogger("masthead.web")

PREVIEW_POLICY = EDITION_POLICY.replace(
    "default-src 'none';", "default-src 'none'; script-src 'self'; connect-src 'self';"
)
"""An edition in preview: as published, plus the one script that reloads it."""


def routes(site: Site) -> list[Route]:
    preview = Preview(site)

    async def edition(request: Request) -> Response:
        slug = request.path_params["slug"]
        language = find_language(request.path_params["lang"], site.config.languages)
        issue = site.config.issues_dir / slug
        if language is None or not (issue / "issue.yaml").is_file():
            return site.message(request, site.language(request), "not-found", status=404)
        try:
            page = await run_in_threadpool(preview.built, slug, language)
        except MastheadError as exc:
            return Response(exc.format() + "\n", status_code=500, media_type="text/plain; charset=utf-8")
        source = site.path("preview.js")
        script = f'<script src="{source}" data-slug="{escape(slug)}" defer></script>'
        html = page.read_text(encoding="utf-8").replace("</head>", script + "\n</head>", 1)
        return Response(
            html,
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": PREVIEW_POLICY, "Cache-Control": "no-store"},
        )

    async def state(request: Request) -> Response:
        slug = request.query_params.get("slug", "")
        if "/" in slug or not (site.config.issues_dir / slug / "issue.yaml").is_file():
            return JSONResponse({"error": "no such issue"}, status_code=404)
        signature = await run_in_threadpool(preview.signature, slug)
        return JSONResponse({"inputs": signature}, headers={"Cache-Control": "no-store"})

    async def script(request: Request) -> Response:
        body = files("masthead.web").joinpath("preview.js").read_text(encoding="utf-8")
        return Response(
            body, media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "no-store"}
        )

    return [
        Route("/preview.js", script, methods=["GET"]),
        Route("/preview/inputs", state, methods=["GET"]),
        Route("/" + web_path("{slug}", "{lang}"), edition, methods=["GET"]),
    ]


class Preview:
    def __init__(self, site: Site) -> None:
        self.site = site
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str], str] = {}
        """The inputs each page was last built from, by issue and language."""

    def signature(self, slug: str) -> str:
        """The sizes and times of every file an edition of ``slug`` is made from."""
        config = self.site.config
        folders = [
            config.issues_dir / slug,
            config.locales_dir,
            config.templates_dir,
            PACKAGED_TEMPLATES,
            PACKAGED_LOCALES,
        ]
        return tree_signature(folders, [config.root / CONFIG_FILE])

    def built(self, slug: str, language: Language) -> Path:
        """The web page of ``slug`` in ``language``, built first if anything it is made from changed.

        The workspace's settings are read again, so that a change to masthead.toml shows too.
        """
        from .._config import load_config
        from ..builder import build

        with self._lock:  # one build at a time: the machine has few cores, and builds share images
            inputs = self.signature(slug)
            page = self.site.config.output / web_path(slug, language.tag)
            if self._seen.get((slug, language.tag)) == inputs and page.is_file():
                return page
            config = load_config(self.site.config.root)
            report = build(config, slug, [language.tag], jobs=1)
            if any(lang == language for lang, _ in report.skipped):
                report = build(config, slug, [language.tag], force=True, jobs=1)
            if report.built:
                logger.info("preview: rebuilt %s in %s", slug, language.tag)
            self._seen[(slug, language.tag)] = inputs
            return config.output / web_path(slug, language.tag)
