"""``masthead serve --preview``: an editor's view of the editions, following every save.

Opening ``<slug>/<lang>/index.html`` builds that language's web page first if anything it is made from
changed (below the completeness threshold too: an editor wants to see it). The page gets one script,
served from this site, that waits for the next change: while a page waits, the service looks at the
sizes and times of the issue's sources, the catalogs, the templates and the settings twenty times
a second; on a change it builds the web page of the language being viewed alone (no PDF, no email,
nothing laid out: a fraction of a second) and answers with the new page as soon as it is written,
which the script puts in place of the old one (where the reader was on the page, and the images
already loaded, stay). The email and the PDF follow in the background, in a ``masthead build`` process of
their own, started a moment later and stopped by the next change; a bar at the top of the page says,
beside their links, whether they are up to date.
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import logging
import re
import signal
import subprocess
import sys
import tempfile
import threading
import weakref
from html import escape
from importlib.resources import files
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .._config import CONFIG_FILE
from .._disk import tree_signature
from .._errors import MastheadError
from .._language import Language, find_language
from .._layout import EMAIL_HTML, pdf_name, web_path
from ..catalogs import PACKAGED_LOCALES, PACKAGED_TEMPLATES
from ._guard import EDITION_POLICY
from ._site import Site

logger = logging.getLogger("masthead.web")

PREVIEW_POLICY = EDITION_POLICY.replace(
    "default-src 'none';", "default-src 'none'; script-src 'self'; connect-src 'self';"
)
"""An edition in preview: as published, plus the one script that follows the edits."""

LOOK_EVERY = 0.05
"""Seconds between two looks at the inputs while a page waits for a change."""
LONGEST_WAIT = 25.0
"""A page waiting for a change is answered after this long at most, and asks again."""
BACKGROUND_AFTER = 0.5
"""Seconds the email and PDF wait after the web page is written: the browser reloads the page
first, and a save soon after stops nothing that had begun."""
OUTPUTS = ("email", "pdf")
"""What follows the web page in the background."""

_STATE_TEXT = {
    "current": "up to date",
    "updating": "out of date, being made again\u2026",
    "failed": "out of date: making it failed (see below)",
}


def routes(site: Site) -> list[Route]:
    preview = Preview(site)

    def viewed(request: Request, slug: str, tag: str) -> Language | None:
        language = find_language(tag, site.config.languages)
        if language is None or "/" in slug or not (site.config.issues_dir / slug / "issue.yaml").is_file():
            return None
        return language

    async def edition(request: Request) -> Response:
        slug = request.path_params["slug"]
        language = viewed(request, slug, request.path_params["lang"])
        if language is None:
            return site.message(request, site.language(request), "not-found", status=404)
        headers = {"Content-Security-Policy": PREVIEW_POLICY, "Cache-Control": "no-store"}
        try:
            page = await run_in_threadpool(preview.refresh, slug, language)
        except MastheadError as exc:
            # A page that says what is wrong, and reloads itself once a save has put it right.
            state = {**preview.state(slug, language, exc.format()), "page": "failed"}
            body = (
                '<!DOCTYPE html>\n<html lang="en" dir="ltr"><head><meta charset="utf-8">'
                f"<title>Preview: {escape(slug)} ({escape(language.tag)}) could not be built</title>"
                f"{preview.script(slug, language, state)}</head><body>"
                f"<h1>The preview of {escape(slug)} in {escape(language.tag)} could not be built</h1>"
                f"<pre>{escape(exc.format())}</pre><p>Save a fix: this page reloads by itself.</p>"
                "</body></html>\n"
            )
            return HTMLResponse(body, status_code=500, headers=headers)
        state = preview.state(slug, language)
        return HTMLResponse(preview.served(page, slug, language, state), headers=headers)

    async def wait(request: Request) -> Response:
        """The state of a page being viewed, once it differs from what the page knows (``page``,
        ``pdf``, ``email``, ``problem``) or after :data:`LONGEST_WAIT` seconds."""
        query = request.query_params
        slug = query.get("slug", "")
        language = viewed(request, slug, query.get("lang", ""))
        if language is None:
            return JSONResponse({"error": "no such edition"}, status_code=404)
        known = {key: query.get(key, "") for key in ("page", "pdf", "email", "problem")}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LONGEST_WAIT
        while True:
            problem = None
            try:
                await run_in_threadpool(preview.refresh, slug, language)
            except MastheadError as exc:
                problem = exc.format()
            state: dict[str, str] = preview.state(slug, language, problem)
            changed = any(str(state[key]) != known[key] for key in known)
            if changed or loop.time() > deadline or await request.is_disconnected():
                if problem is None and state["page"] not in (known["page"], "none"):
                    # The new page itself: the script shows it in place, with no request more.
                    page = preview.page_path(slug, language)
                    state["html"] = preview.served(page, slug, language, state)
                return JSONResponse(state, headers={"Cache-Control": "no-store"})
            await asyncio.sleep(LOOK_EVERY)

    async def script(request: Request) -> Response:
        body = files("masthead.web").joinpath("preview.js").read_text(encoding="utf-8")
        return Response(
            body, media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "no-store"}
        )

    return [
        Route("/preview.js", script, methods=["GET"]),
        Route("/preview/wait", wait, methods=["GET"]),
        Route("/" + web_path("{slug}", "{lang}"), edition, methods=["GET"]),
    ]


_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_open: weakref.WeakSet[Preview] = weakref.WeakSet()


def stop_background() -> None:
    """Stop the email and PDF builds every preview of this process runs (at exit, and in tests)."""
    for preview in list(_open):
        preview.close()


atexit.register(stop_background)


class Preview:
    def __init__(self, site: Site) -> None:
        self.site = site
        self._lock = threading.Lock()  # one web page built at a time: they share the images
        self._seen: dict[tuple[str, str], str] = {}
        """The inputs each page was last built from, by issue and language."""
        self._failed: dict[tuple[str, str], tuple[str, MastheadError]] = {}
        """The inputs a page last failed to build from, and why: not tried again until they change."""
        self._pending: dict[str, dict[str, bool]] = {}
        """By issue, the languages whose email and PDF are still to be made (and whether forced)."""
        self._background: dict[str, _Background] = {}
        _open.add(self)

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

    def page_path(self, slug: str, language: Language) -> Path:
        return self.site.config.output / web_path(slug, language.tag)

    def refresh(self, slug: str, language: Language) -> Path:
        """The web page of ``slug`` in ``language``, built first (alone) if anything it is made from
        changed; then the email and PDF of every language viewed since they were last made follow
        in the background. The workspace's settings are read again, so that a change to
        masthead.toml shows too."""
        key = (slug, language.tag)
        with self._lock:
            inputs = self.signature(slug)
            page = self.page_path(slug, language)
            if self._seen.get(key) == inputs and page.is_file():
                return page
            failed = self._failed.get(key)
            if failed is not None and failed[0] == inputs:
                raise failed[1]
            self._stop(slug)  # what it was making is out of date; its languages stay to be made
            try:
                forced = self._build_web(slug, language)
            except MastheadError as exc:
                self._failed[key] = (inputs, exc)
                raise
            self._failed.pop(key, None)
            self._seen[key] = inputs
            self._pending.setdefault(slug, {})[language.tag] = forced
            self._start(slug)
            return page

    def _build_web(self, slug: str, language: Language) -> bool:
        """Build the web page alone; whether it had to be forced (below the threshold)."""
        from .._config import load_config
        from ..builder import build

        config = load_config(self.site.config.root)
        report = build(config, slug, [language.tag], jobs=1, stages=["web"])
        forced = any(lang == language for lang, _ in report.skipped)
        if forced:
            report = build(config, slug, [language.tag], force=True, jobs=1, stages=["web"])
        if report.built:
            logger.info("preview: %s in %s rebuilt, the email and PDF follow", slug, language.tag)
        return forced

    def _stop(self, slug: str) -> None:
        running = self._background.pop(slug, None)
        if running is None:
            return
        running.stop()
        if running.succeeded:
            pending = self._pending.get(slug, {})
            for tag in running.languages:
                pending.pop(tag, None)

    def _start(self, slug: str) -> None:
        pending = self._pending.get(slug, {})
        if not pending:
            return
        root = str(self.site.config.root)
        command = [sys.executable, "-m", "masthead", "-C", root, "build", slug, "-j", "1"]
        command += [arg for output in OUTPUTS for arg in ("--only", output)]
        commands = []
        for forced in (False, True):
            tags = [tag for tag, force in pending.items() if force == forced]
            if tags:
                languages = [arg for tag in tags for arg in ("-l", tag)]
                commands.append([*command, *languages, *(["--force"] if forced else [])])
        stamps = {tag: _stamp_lines(self.page_path(slug, self._language(tag)).parent) for tag in pending}
        self._background[slug] = _Background(commands, tuple(pending), stamps)

    def _language(self, tag: str) -> Language:
        return next(lang for lang in self.site.config.languages if lang.tag == tag)

    def state(self, slug: str, language: Language, problem: str | None = None) -> dict[str, str]:
        """What the page's script is told: the page's version, whether its email and PDF are up
        to date (``current``, ``updating`` or ``failed``), and what went wrong, if anything."""
        page = self.page_path(slug, language)
        try:
            info = page.stat()
            version = f"{info.st_mtime_ns}-{info.st_size}"
        except OSError:
            version = "none"
        outputs = {output: "current" for output in OUTPUTS}
        running = self._background.get(slug)
        if running is not None and language.tag in running.languages:
            done = _stamp_lines(page.parent)
            started = running.stamps.get(language.tag, {})
            for output in OUTPUTS:
                if running.failure is not None:
                    outputs[output] = "failed"
                elif not running.finished and done.get(output) in (None, started.get(output)):
                    outputs[output] = "updating"  # not made again yet (or being written now)
            if running.failure is not None:
                problem = problem or f"the email and PDF could not be made:\n{running.failure}"
        elif language.tag in self._pending.get(slug, {}):
            outputs = {output: "updating" for output in OUTPUTS}
        text = problem or ""
        mark = hashlib.sha256(text.encode()).hexdigest()[:12] if text else ""
        return {"page": version, **outputs, "problem": mark, "problem_text": text}

    def served(self, page: Path, slug: str, language: Language, state: dict[str, str]) -> str:
        """The web page at ``page`` as the preview shows it: with its script and its bar."""
        html = page.read_text(encoding="utf-8")
        html = html.replace("</head>", self.script(slug, language, state) + "\n</head>", 1)
        return _BODY.sub(lambda m: m.group(0) + "\n" + self.bar(slug, language, state), html, count=1)

    def script(self, slug: str, language: Language, state: dict[str, str]) -> str:
        attributes = " ".join(
            f'data-{key}="{escape(state[key])}"' for key in ("page", "pdf", "email", "problem")
        )
        return (
            f'<script src="{self.site.path("preview.js")}" data-slug="{escape(slug)}" '
            f'data-lang="{escape(language.tag)}" {attributes} defer></script>'
        )

    def bar(self, slug: str, language: Language, state: dict[str, str]) -> str:
        """The preview's bar: the PDF and the email, each with whether it is up to date."""
        pdf = pdf_name(slug, language.tag)
        links = " \u00b7 ".join(
            f'<a href="{escape(href)}">{label}</a> <span data-state-of="{output}">'
            f"{_STATE_TEXT[state[output]]}</span>"
            for output, label, href in (("pdf", "PDF", pdf), ("email", "Email", EMAIL_HTML))
        )
        problem = escape(state["problem_text"])
        return (
            '<aside id="masthead-preview" lang="en" dir="ltr" aria-label="Preview" style="position:'
            "sticky;top:0;z-index:1000;margin:0;padding:.4em 1em;font:14px/1.4 system-ui,sans-serif;"
            'background:#fff8d6;color:#222;border-bottom:1px solid #c9b458">'
            f"<strong>Preview</strong> \u00b7 {links}"
            f'<pre data-problem style="white-space:pre-wrap;margin:.4em 0 0;color:#8a1c1c"'
            f"{'' if problem else ' hidden'}>{problem}</pre></aside>"
        )

    def close(self) -> None:
        """Stop the background builds."""
        for slug in list(self._background):
            running = self._background.pop(slug)
            running.stop()


def _stamp_lines(target: Path) -> dict[str, str]:
    """The digest of each stage in the stamp of a language's folder, as written (changed when the
    stage is made again)."""
    from ..publication import read_stamp

    stamp = read_stamp(target)
    return dict(stamp.stages) if stamp is not None else {}


class _Background:
    """``masthead build`` processes making the email and PDF of some languages, one after another,
    started after :data:`BACKGROUND_AFTER` seconds."""

    def __init__(
        self, commands: list[list[str]], languages: tuple[str, ...], stamps: dict[str, dict[str, str]]
    ) -> None:
        self.languages = languages
        self.stamps = stamps
        """Each language's stamp when the work was asked for: an output whose digest changed since
        is made."""
        self.failure: str | None = None
        self.finished = False
        self._commands = commands
        self._stopped = threading.Event()
        self._guard = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(target=self._run, name="masthead-preview-outputs", daemon=True)
        self._thread.start()

    @property
    def succeeded(self) -> bool:
        return self.finished and self.failure is None

    def _run(self) -> None:
        if self._stopped.wait(BACKGROUND_AFTER):
            return
        for command in self._commands:
            with tempfile.TemporaryFile() as errors:
                with self._guard:
                    if self._stopped.is_set():
                        return
                    self._process = subprocess.Popen(
                        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors
                    )
                code = self._process.wait()
                if self._stopped.is_set():
                    return
                if code != 0:
                    errors.seek(0)
                    lines = errors.read().decode("utf-8", errors="replace").strip().splitlines()
                    self.failure = "\n".join(lines[-12:]) or f"masthead build ended with code {code}"
                    logger.warning("preview: the email and PDF could not be made: %s", self.failure)
                    break
        self.finished = True

    def stop(self) -> None:
        """Stop the work: a build that has begun is interrupted as Ctrl-C would (its temporary
        files removed, its stamp never claiming what it did not finish)."""
        with self._guard:
            self._stopped.set()
            process = self._process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._thread.join()
