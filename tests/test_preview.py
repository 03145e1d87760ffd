"""``masthead serve --preview``: the web page of the edition being viewed first after every save, the
email and PDF after it, each link saying whether it is up to date."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import masthead
from masthead.delivery import Keyring
from masthead.web import _preview, create_app

from .conftest import WEB_SECRET, LiveServer, edit, pdf_pages

PAGE = "/news/spring/en/index.html"


@pytest.fixture
def previewing(workspace: Path) -> Iterator[LiveServer]:
    toml = workspace / "masthead.toml"
    edit(toml, "[newsletter]", '[email]\nsender = "News <news@harbour.example.org>"\n\n[newsletter]')
    app = create_app(masthead.load_config(workspace), keyring=Keyring(WEB_SECRET), preview=True)
    with LiveServer(app) as live:
        try:
            yield live
        finally:
            _preview.stop_background()


def get(live: LiveServer, path: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(live.url(path), timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


def known(page: str) -> dict[str, str]:
    """What a served page's script knows: its version, the email's and the PDF's state."""
    tag = re.search(r"<script src=\"/news/preview\.js\"[^>]*>", page)
    assert tag is not None, page[:500]
    return dict(re.findall(r'data-(page|pdf|email|problem)="([^"]*)"', tag.group(0)))


def wait(live: LiveServer, state: dict[str, str]) -> dict[str, Any]:
    """The next state of the English page that differs from ``state`` (as the page's script asks)."""
    query = urllib.parse.urlencode({"slug": "spring", "lang": "en", **state})
    status, _, body = get(live, f"/news/preview/wait?{query}")
    assert status == 200, body
    answer: dict[str, Any] = json.loads(body)
    return answer


def until_made(live: LiveServer, state: dict[str, str]) -> dict[str, Any]:
    """The state once the email and PDF are no longer being made."""
    for _ in range(40):
        answer = wait(live, state)
        if answer["pdf"] != "updating" and answer["email"] != "updating":
            return answer
        state = {key: str(answer[key]) for key in ("page", "pdf", "email", "problem")}
    raise AssertionError(f"the email and PDF were still being made: {answer}")


def test_an_edit_shows_in_the_web_page_first_and_the_email_and_pdf_follow(
    previewing: LiveServer, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = workspace / "build" / "spring" / "en"
    status, headers, page = get(previewing, PAGE)  # the web page is built on demand, alone
    assert status == 200 and "Spring at the Harbour" in page
    assert "script-src 'self'" in headers["content-security-policy"]
    assert get(previewing, "/news/preview.js")[0] == 200
    assert 'id="masthead-preview"' in page and 'href="spring.en.pdf">PDF</a>' in page
    state = until_made(previewing, known(page))
    assert (state["pdf"], state["email"], state["problem"]) == ("current", "current", "")
    assert "Spring at the Harbour" in " ".join(pdf_pages(out / "spring.en.pdf"))

    # An edit: the page is written again, and its email and PDF are out of date until they follow
    # (held back here, so that the page is seen in that state).
    monkeypatch.setattr(_preview, "BACKGROUND_AFTER", 3600.0)
    issue = workspace / "issues" / "spring" / "issue.yaml"
    edit(issue, "title: Spring at the Harbour", "title: Low Tide")
    before = {key: str(state[key]) for key in ("page", "pdf", "email", "problem")}
    answer = wait(previewing, before)
    assert answer["page"] != before["page"]
    assert (answer["pdf"], answer["email"]) == ("updating", "updating")
    status, _, page = get(previewing, PAGE)
    assert "Low Tide" in page and "Spring at the Harbour" not in page
    assert "out of date, being made again" in page  # beside the links to the PDF and the email
    assert "Spring at the Harbour" in " ".join(pdf_pages(out / "spring.en.pdf"))

    # The next save: this time the email and PDF follow at once.
    monkeypatch.setattr(_preview, "BACKGROUND_AFTER", 0.0)
    edit(issue, "title: Low Tide", "title: Low Water")
    state = until_made(previewing, known(page))
    assert (state["pdf"], state["email"], state["problem"]) == ("current", "current", "")
    assert "Low Water" in " ".join(pdf_pages(out / "spring.en.pdf"))
    assert "Low Water" in (out / "email.txt").read_text(encoding="utf-8")
    assert (out / "spring.en.pdf").stat().st_mtime_ns > (out / "index.html").stat().st_mtime_ns
    page = get(previewing, PAGE)[2]
    assert "Low Water" in page and "out of date" not in page
    status_of = {s.language.tag: s.problem for s in masthead_status(workspace)}
    assert status_of == {"en": None}  # everything made: the edition may go out as it is


def masthead_status(workspace: Path) -> list[Any]:
    from masthead.publication import edition_status

    return edition_status(masthead.load_config(workspace), "spring")


def test_a_save_that_breaks_the_build_is_shown_until_fixed(previewing: LiveServer, workspace: Path) -> None:
    status, _, page = get(previewing, PAGE)
    assert status == 200
    state = known(page)
    issue = workspace / "issues" / "spring" / "issue.yaml"
    edit(issue, "layout: news", "layout: newz")
    answer = wait(previewing, state)
    assert answer["page"] == state["page"]  # the page stays as it was
    assert "issue.yaml:20: unknown layout 'newz'" in answer["problem_text"]
    status, _, broken = get(previewing, PAGE)
    assert status == 500 and "unknown layout &#x27;newz&#x27;" in broken
    assert 'data-page="failed"' in broken  # it reloads itself once the build works again
    edit(issue, "layout: newz", "layout: news")
    fixed = wait(previewing, known(broken))
    assert fixed["page"] != "failed" and fixed["problem"] == ""
    assert get(previewing, PAGE)[0] == 200


def test_the_page_reloads_in_the_browser_with_the_edit(
    previewing: LiveServer, workspace: Path, browser: Any
) -> None:
    page = browser.new_page()
    try:
        page.goto(previewing.url(PAGE))
        assert page.locator("h1").first.inner_text().strip() == "Spring at the Harbour"
        article = workspace / "issues" / "spring" / "boats.md"
        edit(article, "title: New Boats", "title: New Sails")
        # Playwright's own script looks (the page's policy allows no other script than the preview's).
        page.get_by_text("New Sails").first.wait_for(timeout=120_000)
        page.locator('[data-state-of=pdf]:text-is("up to date")').wait_for(timeout=300_000)
        assert page.locator("[data-state-of=email]").inner_text() == "up to date"
        assert page.locator("a.pdf").get_attribute("data-stale") is None
    finally:
        page.close()


def test_serve_preview_starts_without_the_secret_and_serve_does_not(workspace: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {name: os.environ[name] for name in ("PATH", "PYTHONPATH") if name in os.environ}
    serve = [sys.executable, "-m", "masthead", "-C", str(workspace), "serve", "--port", str(port)]
    refused = subprocess.run(serve, capture_output=True, text=True, env=environment, timeout=60)
    assert refused.returncode == 1 and "MASTHEAD_SECRET is not set" in refused.stderr
    server = subprocess.Popen(
        [*serve, "--preview"], env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        assert server.stdout is not None
        lines = []
        for line in server.stdout:  # it says so, then serves
            lines.append(line)
            if "Uvicorn running" in line:
                break
        said = "".join(lines)
        assert "no usable secret in MASTHEAD_SECRET; signing links with a throw-away key" in said, said
        url = f"http://127.0.0.1:{port}/news/subscribe/en"
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200 and b"<form" in response.read()
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_without_preview_the_page_is_served_as_built(previewing: LiveServer, workspace: Path) -> None:
    status, _, page = get(previewing, PAGE)  # built by the preview
    assert status == 200 and "<script" in page
    assert get(previewing, "/news/preview/wait?slug=../x&lang=en")[0] == 404
    assert get(previewing, "/news/preview/wait?slug=spring&lang=xx")[0] == 404
    app = create_app(masthead.load_config(workspace), keyring=Keyring(WEB_SECRET))
    with LiveServer(app) as live:
        status, headers, page = get(live, PAGE)
        assert status == 200 and "Spring at the Harbour" in page
        assert "<script" not in page and 'id="masthead-preview"' not in page
        assert "script-src" not in headers["content-security-policy"]
        assert get(live, "/news/preview/wait?slug=spring&lang=en")[0] == 404
