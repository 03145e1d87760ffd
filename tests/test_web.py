"""The readers' side over plain HTTP: what forms refuse, what links do, and what every page sends."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from markupsafe import escape

import masthead
from masthead.delivery import (
    Keyring,
    add_subscriber,
    list_subscribers,
    make_confirm_token,
    make_unsubscribe_token,
)
from masthead.web import create_app

from .conftest import WEB_SECRET, LiveServer, edit
from .web_reader import confirm_link, outbox, status_of, wait_for_mail

PREFIX = "/news/"


class Client:
    """A browser without a browser: cookies kept, redirects followed, every status returned."""

    def __init__(self, server: LiveServer, ip: str = "192.0.2.10") -> None:
        self.server = server
        self.ip = ip
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(
        self, path: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.server.url(path), data=body, headers=headers or {})
        request.add_header("X-Forwarded-For", self.ip)
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode("utf-8")

    def form(self, path: str) -> dict[str, str]:
        """The hidden fields of the first form of the page at ``path`` (its CSRF token)."""
        status, _, page = self.request(path)
        assert status == 200, page
        return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))

    def sign_up(self, language: str, address: str, **fields: str) -> tuple[int, str]:
        data = self.form(f"{PREFIX}subscribe/{language}") | {"address": address, "language": language}
        status, _, page = self.request(f"{PREFIX}subscribe/{language}", data | fields)
        return status, page


@pytest.fixture(scope="module")
def server(published: Path, monkeypatch_module: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    config = masthead.load_config(published)
    with LiveServer(create_app(config, keyring=Keyring(WEB_SECRET))) as live:
        yield live


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def signups(root: Path, address: str) -> int:
    conn = sqlite3.connect(root / "subscribers.sqlite3")
    try:
        return int(conn.execute("SELECT count(*) FROM signups WHERE address = ?", (address,)).fetchone()[0])
    finally:
        conn.close()


def eventually(check: Callable[[], bool], seconds: float = 10) -> bool:
    """Whether ``check`` comes true within ``seconds`` (the archive looks at its files once a second)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_every_page_has_its_language_direction_and_a_strict_policy(server: LiveServer) -> None:
    client = Client(server)
    for path, lang, direction in (
        ("subscribe/ar", "ar", "rtl"),
        ("subscribe/zh-Hans", "zh-Hans", "ltr"),
        ("archive/fr/", "fr", "ltr"),
        ("unsubscribe?token=forged", "en", "ltr"),
    ):
        status, headers, page = client.request(PREFIX + path)
        assert f'<html lang="{lang}" dir="{direction}">' in page, path
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src" not in policy
        assert "default-src 'none'" in policy and "unsafe-inline" not in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert "<script" not in page and "style=" not in page, path
        css = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)
        assert css is not None
        css_status, css_headers, stylesheet = client.request(css.group(1))
        assert css_status == 200 and css_headers["content-type"].startswith("text/css")
        assert "Noto" in stylesheet
    # The stylesheet of each language puts its own fonts first.
    serif = re.search(r"--font-serif: ([^;]+);", client.request(f"{PREFIX}style/ar.css")[2])
    assert serif is not None and serif.group(1).startswith('"Noto Naskh Arabic"')
    # A browser asking in French lands on the French form.
    status, _, page = client.request(f"{PREFIX}subscribe", headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    assert status == 200 and '<html lang="fr"' in page and "S’abonner" in page


def test_the_archive_lists_editions_that_may_go_out_with_a_feed(server: LiveServer, published: Path) -> None:
    client = Client(server)
    status, _, page = client.request(f"{PREFIX}archive/fr/")
    assert status == 200
    assert 'href="/news/spring/fr/index.html"' in page and 'href="/news/spring/fr/spring.fr.pdf"' in page
    assert "Spring at the Harbour" in page
    status, headers, feed = client.request(f"{PREFIX}archive/fr/feed.atom")
    assert status == 200 and headers["content-type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring(feed)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    (entry,) = root.findall(f"{atom}entry")
    assert entry.findtext(f"{atom}title") == "Spring at the Harbour"
    links = {link.get("type"): link.get("href") for link in entry.findall(f"{atom}link")}
    assert links["text/html"] == "https://harbour.example.org/news/spring/fr/index.html"
    assert links["application/pdf"] == "https://harbour.example.org/news/spring/fr/spring.fr.pdf"
    status, headers, edition = client.request("/news/spring/fr/index.html")
    assert status == 200 and '<html lang="fr"' in edition
    # An edition whose sources changed since it was built may not go out: it leaves the archive.
    issue = published / "issues" / "spring" / "issue.yaml"
    edit(issue, "title: Spring at the Harbour", "title: Spring at the Harbour, revised")
    try:
        assert eventually(lambda: "spring/fr/index.html" not in client.request(f"{PREFIX}archive/fr/")[2])
    finally:
        edit(issue, "title: Spring at the Harbour, revised", "title: Spring at the Harbour")
    assert eventually(lambda: "spring/fr/index.html" in client.request(f"{PREFIX}archive/fr/")[2])


def test_confirmation_links_forged_altered_or_expired_confirm_nothing(
    server: LiveServer, published: Path
) -> None:
    client = Client(server, "192.0.2.20")
    status, _ = client.sign_up("en", "tokens@example.net")
    assert status == 200
    (message,) = wait_for_mail(published, "tokens@example.net")
    link = confirm_link(message)
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["token"][0]
    body, signature = token.split(".")
    config = masthead.load_config(published)
    conn = sqlite3.connect(published / "subscribers.sqlite3")
    (signup,) = conn.execute("SELECT id FROM signups WHERE address = 'tokens@example.net'").fetchone()
    conn.close()
    expired = make_confirm_token(signup, datetime.now(UTC) - timedelta(minutes=1), WEB_SECRET)
    forged = make_confirm_token(signup, datetime.now(UTC) + timedelta(days=1), "not-the-secret-at-all")
    altered = body[:-1] + ("A" if body[-1] != "A" else "B") + "." + signature
    for bad, expected in ((forged, 400), (altered, 400), ("", 400), (expired, 410)):
        status, _, text = client.request(f"{PREFIX}confirm?token={urllib.parse.quote(bad)}")
        assert status == expected, (bad, text)
        assert "<form" not in text
    assert status_of(published, "tokens@example.net") is None
    assert config.delivery.transport == "maildir"
    # The real link shows a button; only the button confirms.
    assert client.request(link)[0] == 200
    assert status_of(published, "tokens@example.net") is None
    fields = client.form(link)
    assert client.request(link, fields)[0] == 200
    assert status_of(published, "tokens@example.net") == "active"


def test_a_form_without_its_csrf_token_or_from_another_site_is_refused(
    server: LiveServer, published: Path
) -> None:
    client = Client(server, "192.0.2.30")
    fields = client.form(f"{PREFIX}subscribe/en")
    data = {"address": "csrf@example.net", "language": "en"}
    assert client.request(f"{PREFIX}subscribe/en", data)[0] == 403
    assert client.request(f"{PREFIX}subscribe/en", data | {"csrf": fields["csrf"][:-2] + "xx"})[0] == 403
    cross = {"Sec-Fetch-Site": "cross-site"}
    assert client.request(f"{PREFIX}subscribe/en", data | fields, headers=cross)[0] == 403
    stranger = Client(server, "192.0.2.31")  # the token, but not the cookie it goes with
    assert stranger.request(f"{PREFIX}subscribe/en", data | fields)[0] == 403
    assert signups(published, "csrf@example.net") == 0


def test_a_page_rendered_once_still_gives_each_reader_a_token_of_their_own(
    server: LiveServer, published: Path
) -> None:
    first, second = Client(server, "192.0.2.32"), Client(server, "192.0.2.33")
    pages = [client.request(f"{PREFIX}subscribe/fr")[2] for client in (first, second)]
    tokens = [re.findall(r'name="csrf" value="([^"]+)"', page) for page in pages]
    assert len(tokens[0]) == len(tokens[1]) == 1 and tokens[0] != tokens[1]
    # The same page but for the token, which each reader's cookie gives again.
    assert pages[0].replace(tokens[0][0], "") == pages[1].replace(tokens[1][0], "")
    assert [first.form(f"{PREFIX}subscribe/fr")["csrf"]] == tokens[0]
    tokens = [found[0] for found in tokens]
    data = {"address": "kept@example.net", "language": "fr"}
    assert first.request(f"{PREFIX}subscribe/fr", data | {"csrf": tokens[1]})[0] == 403
    assert first.request(f"{PREFIX}subscribe/fr", data | {"csrf": tokens[0]})[0] == 200
    assert len(wait_for_mail(published, "kept@example.net")) == 1


def test_pages_rendered_once_follow_a_template_edited_while_the_service_runs(published: Path) -> None:
    override = published / "templates" / "web" / "subscribe.html"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "theme/web/subscribe.html" %}{% block title %}Harbour{% endblock %}\n')
    try:
        with LiveServer(create_app(masthead.load_config(published), keyring=Keyring(WEB_SECRET))) as live:
            client = Client(live, "192.0.2.34")
            assert "<title>Harbour ·" in client.request(f"{PREFIX}subscribe/en")[2]
            time.sleep(0.01)  # a modification time the file system tells from the first
            override.write_text(
                '{% extends "theme/web/subscribe.html" %}{% block title %}Quayside{% endblock %}\n'
            )
            assert eventually(lambda: "<title>Quayside ·" in client.request(f"{PREFIX}subscribe/en")[2])
            fields = client.form(f"{PREFIX}subscribe/en")
            data = fields | {"address": "quayside@example.net", "language": "en"}
            assert client.request(f"{PREFIX}subscribe/en", data)[0] == 200
    finally:
        override.unlink()
        override.parent.rmdir()
        override.parent.parent.rmdir()


def test_the_same_answer_for_a_new_a_known_a_bounced_and_a_bot_address(
    server: LiveServer, published: Path
) -> None:
    config = masthead.load_config(published)
    add_subscriber(config, "known@example.net", "Known", "en")
    add_subscriber(config, "bounced@example.net", "Bounced", "en")
    conn = sqlite3.connect(published / "subscribers.sqlite3")
    conn.execute("UPDATE subscribers SET status = 'bounced' WHERE address = 'bounced@example.net'")
    conn.commit()
    conn.close()
    client = Client(server, "192.0.2.40")
    answers = {}
    for address in ("new@example.net", "known@example.net", "bounced@example.net", "bot@example.net"):
        extra = {"website": "https://spam.example"} if address.startswith("bot") else {}
        status, page = client.sign_up("en", address, **extra)
        answers[address] = (status, page.replace(address, "ADDRESS"))
    assert len(set(answers.values())) == 1, answers
    assert answers["new@example.net"][0] == 200
    assert len(wait_for_mail(published, "new@example.net")) == 1
    assert len(wait_for_mail(published, "known@example.net")) == 1
    assert outbox(published, "bounced@example.net") == [] and outbox(published, "bot@example.net") == []
    assert signups(published, "bot@example.net") == 0
    assert status_of(published, "bounced@example.net") == "bounced"


def test_sign_ups_from_one_address_are_limited(server: LiveServer, published: Path) -> None:
    client = Client(server, "192.0.2.50")
    statuses = [client.sign_up("en", f"many{n}@example.net")[0] for n in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    assert signups(published, "many5@example.net") == 0
    assert Client(server, "192.0.2.51").sign_up("en", "other@example.net")[0] == 200


def test_one_click_unsubscribes_without_a_cookie_and_a_get_never_does(
    server: LiveServer, published: Path
) -> None:
    config = masthead.load_config(published)
    add_subscriber(config, "leaving@example.net", "Leaving", "fr")
    public_id = next(s.public_id for s in list_subscribers(config) if s.address == "leaving@example.net")
    token = make_unsubscribe_token(public_id, "spring", WEB_SECRET)
    unknown = make_unsubscribe_token("0123456789abcdef0123", "spring", WEB_SECRET)
    url = f"{PREFIX}unsubscribe?token={token}"

    for _ in range(2):
        status, _, page = Client(server).request(url)
        assert status == 200 and '<html lang="fr"' in page and page.count("<button") == 1
    assert Client(server).request(url, headers={"Accept": "*/*"})[0] == 200
    assert status_of(published, "leaving@example.net") == "active"

    provider = urllib.request.Request(server.url(url), data=b"List-Unsubscribe=One-Click", method="POST")
    provider.add_header("Content-Type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(provider, timeout=20) as response:
        known = (response.status, response.read(), response.headers.get("Set-Cookie"))
    assert status_of(published, "leaving@example.net") == "unsubscribed"
    other = urllib.request.Request(
        server.url(f"{PREFIX}unsubscribe?token={unknown}"), data=b"List-Unsubscribe=One-Click"
    )
    with urllib.request.urlopen(other, timeout=20) as response:
        assert (response.status, response.read(), response.headers.get("Set-Cookie")) == known
    assert known[0] == 200 and known[2] is None
    forged = urllib.request.Request(
        server.url(f"{PREFIX}unsubscribe?token={token}x"), data=b"List-Unsubscribe=One-Click"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=20)
    assert refused.value.code == 400


def test_preferences_change_language_and_name_and_escape_what_they_show(
    server: LiveServer, published: Path
) -> None:
    config = masthead.load_config(published)
    add_subscriber(config, "prefs@example.net", None, "en")
    public_id = next(s.public_id for s in list_subscribers(config) if s.address == "prefs@example.net")
    token = make_unsubscribe_token(public_id, "spring", WEB_SECRET)
    client = Client(server)
    path = f"{PREFIX}preferences?token={token}"
    fields = client.form(path)
    status, _, page = client.request(path, fields | {"name": '<script>alert("x")</script>', "language": "ar"})
    assert status == 200 and '<html lang="ar" dir="rtl">' in page
    assert "<script>" not in page and str(escape('<script>alert("x")</script>')) in page
    subscriber = next(s for s in list_subscribers(config) if s.address == "prefs@example.net")
    assert (subscriber.name, subscriber.language) == ('<script>alert("x")</script>', "ar")


@pytest.mark.smoke
def test_masthead_serve_answers_under_the_base_url_path(workspace: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "masthead", "-C", str(workspace), "serve", "--port", str(port)]
    environment = {name: os.environ[name] for name in ("PATH", "PYTHONPATH") if name in os.environ}
    refused = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=60)
    assert refused.returncode == 1 and "MASTHEAD_SECRET is not set" in refused.stderr
    toml = workspace / "masthead.toml"
    edit(toml, "[newsletter]", '[email]\nsender = "News <news@harbour.example.org>"\n\n[newsletter]')
    server = subprocess.Popen(
        command, env=environment | {"MASTHEAD_SECRET": WEB_SECRET},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/news/subscribe/en"
        assert eventually(lambda: _answers(url), seconds=30), "masthead serve did not answer"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200 and b"Subscribe to Harbour Notes" in response.read()
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert f"serving https://harbour.example.org/news/ on http://127.0.0.1:{port}/news/" in output


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except OSError:
        return False
