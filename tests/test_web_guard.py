"""The readers' side under hostile requests: every answer carries the security headers, errors included;
no form stores a name a header cannot carry or bytes that are not UTF-8; no redirect names another host;
nothing of the build's own bookkeeping is served."""

from __future__ import annotations

import http.client
import re
import socket
import sqlite3
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Protocol

import pytest

import masthead
from masthead.delivery import (
    Keyring,
    Origin,
    add_subscriber,
    list_subscribers,
    make_confirm_token,
    make_unsubscribe_token,
    request_signup,
)
from masthead.web import create_app

from .conftest import WEB_SECRET, LiveServer
from .test_web import outbox, signups, status_of

PREFIX = "/news/"
PAGE_CSS = "style-src 'self'"


class Answer:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8", "replace")

    def cookies(self) -> SimpleCookie:
        jar: SimpleCookie = SimpleCookie()
        for value in self.headers.get_all("set-cookie") or []:
            jar.load(value)
        return jar


class Listening(Protocol):
    port: int


def raw(
    server: Listening,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    ip: str = "192.0.2.100",
) -> Answer:
    """One request exactly as given (Host, method, bytes), on its own connection."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
    try:
        given = {"Host": f"127.0.0.1:{server.port}", "X-Forwarded-For": ip} | (headers or {})
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in given.items():
            conn.putheader(name, value)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        conn.close()


class Browser:
    """A form filler that keeps its cookies and says where it posts from, as a browser does."""

    def __init__(self, server: Listening, ip: str) -> None:
        self.server = server
        self.ip = ip
        self.cookies: dict[str, str] = {}
        self.origin = f"http://127.0.0.1:{server.port}"

    def send(self, method: str, path: str, fields: dict[str, str] | None = None, **headers: str) -> Answer:
        sent = dict(headers)
        if self.cookies:
            sent.setdefault("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
            sent.setdefault("Origin", self.origin)
        answer = raw(self.server, method, path, headers=sent, body=body, ip=self.ip)
        for name, morsel in answer.cookies().items():
            self.cookies[name] = morsel.value
        return answer

    def form(self, path: str) -> dict[str, str]:
        answer = self.send("GET", path)
        assert answer.status == 200, answer.text
        return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', answer.text))

    def post(self, path: str, fields: dict[str, str], **headers: str) -> Answer:
        return self.send("POST", path, self.form(path) | fields, **headers)


@pytest.fixture(scope="module")
def server(published: Path) -> Iterator[LiveServer]:
    config = masthead.load_config(published)
    with LiveServer(create_app(config, keyring=Keyring(WEB_SECRET))) as live:
        yield live


def assert_protected(answer: Answer, what: str) -> None:
    """The headers every answer of the service carries, whatever its status."""
    headers = answer.headers
    policy = headers.get("content-security-policy") or ""
    for directive in ("default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"):
        assert directive in policy, f"{what}: {directive} not in {policy!r}"
    assert "script-src" not in policy, what
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("x-frame-options") == "DENY", what
    assert headers.get("referrer-policy") == "same-origin", what
    assert headers.get("cross-origin-opener-policy") == "same-origin", what
    assert headers.get("strict-transport-security") == "max-age=31536000", what  # base_url is https
    assert "camera=()" in (headers.get("permissions-policy") or ""), what
    location = headers.get("location")
    assert location is None or location.startswith("/"), f"{what}: redirects to {location}"


def sign_up_token(config: masthead.Config, address: str, *, expired: bool = False) -> str:
    asked = request_signup(config, address, None, "en", Origin("192.0.2.1"), keep=timedelta(days=3))
    assert asked.signup is not None
    expires = datetime.now(UTC) + (timedelta(minutes=-1) if expired else timedelta(days=1))
    return make_confirm_token(asked.signup.id, expires, WEB_SECRET)


def reader_token(config: masthead.Config, address: str) -> str:
    add_subscriber(config, address, "Reader", "en")
    public_id = next(s.public_id for s in list_subscribers(config) if s.address == address)
    return make_unsubscribe_token(public_id, "spring", WEB_SECRET)


@pytest.mark.smoke
def test_every_route_and_status_carries_the_security_headers(
    server: LiveServer, published: Path, tmp_path: Path
) -> None:
    config = masthead.load_config(published)
    confirm = f"{PREFIX}confirm?token={sign_up_token(config, 'walk@example.net')}"
    expired = f"{PREFIX}confirm?token={sign_up_token(config, 'walk-late@example.net', expired=True)}"
    token = reader_token(config, "walk-reader@example.net")
    unsubscribe = f"{PREFIX}unsubscribe?token={token}"
    preferences = f"{PREFIX}preferences?token={token}"
    seen: dict[int, list[str]] = {}

    def check(answer: Answer, what: str, status: int) -> Answer:
        assert answer.status == status, (what, answer.status, answer.text[:300])
        assert_protected(answer, what)
        seen.setdefault(status, []).append(what)
        return answer

    browser = Browser(server, "192.0.2.101")
    for method in ("GET", "HEAD"):
        for path, status in (
            ("/news", 307), (PREFIX, 303), (f"{PREFIX}archive", 303), (f"{PREFIX}archive/en", 308),
            (f"{PREFIX}archive/en/", 200), (f"{PREFIX}archive/xx/", 404),
            (f"{PREFIX}archive/en/feed.atom", 200), (f"{PREFIX}archive/xx/feed.atom", 404),
            (f"{PREFIX}style/ar.css", 200), (f"{PREFIX}style/xx.css", 404),
            (f"{PREFIX}subscribe", 303), (f"{PREFIX}subscribe/zh-Hans", 200), (f"{PREFIX}subscribe/xx", 404),
            (confirm, 200), (expired, 410), (f"{PREFIX}confirm?token=forged", 400), (unsubscribe, 200),
            (f"{PREFIX}unsubscribe?token=forged", 400), (preferences, 200), (f"{PREFIX}preferences", 400),
            (f"{PREFIX}spring/en/index.html", 200), (f"{PREFIX}spring/en/", 200), (f"{PREFIX}spring/en", 307),
            (f"{PREFIX}spring/ar/spring.ar.pdf", 200), (f"{PREFIX}spring/en/.masthead-build", 404),
            (f"{PREFIX}nope", 404), ("/nope", 404),
        ):  # fmt: skip
            answer = check(browser.send(method, path), f"{method} {path}", status)
            if method == "HEAD":
                assert answer.body == b"", path
    etag = browser.send("GET", f"{PREFIX}style/en.css").headers["etag"]
    check(browser.send("GET", f"{PREFIX}style/en.css", **{"If-None-Match": etag}), "css again", 304)
    etag = browser.send("GET", f"{PREFIX}spring/en/index.html").headers["etag"]
    check(
        browser.send("GET", f"{PREFIX}spring/en/index.html", **{"If-None-Match": etag}), "edition again", 304
    )
    check(browser.send("PUT", f"{PREFIX}subscribe/en"), "PUT", 405)

    # The forms, each way it can end.
    check(browser.post(f"{PREFIX}subscribe/en", {"address": "walker-fresh@example.net"}), "sign-up", 200)
    check(browser.post(f"{PREFIX}subscribe/en", {"address": "not an address"}), "bad address", 400)
    check(browser.send("POST", f"{PREFIX}subscribe/en", {"address": "x@example.net"}), "no token", 403)
    check(browser.post(confirm, {}), "confirm", 200)
    check(browser.post(preferences, {"name": "Walker", "language": "en"}), "preferences", 200)
    check(browser.post(preferences, {"name": "two\nlines", "language": "en"}), "bad name", 400)
    check(browser.send("POST", preferences, {"name": "x"}), "preferences without token", 403)
    check(browser.post(unsubscribe, {}), "unsubscribe page", 200)
    one_click = b"List-Unsubscribe=One-Click"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    check(raw(server, "POST", unsubscribe, headers=form, body=one_click), "one-click", 200)
    check(
        raw(server, "POST", f"{PREFIX}unsubscribe?token=x", headers=form, body=one_click),
        "bad one-click",
        400,
    )
    big = b"address=" + b"a" * 70_000
    check(raw(server, "POST", f"{PREFIX}subscribe/en", headers=form, body=big), "large body", 413)
    check(raw(server, "GET", f"{PREFIX}subscribe/en", headers={"X-Big": "x" * 20_000}), "large header", 431)
    many = {f"X-Header-{n}": "x" for n in range(150)}
    check(raw(server, "GET", f"{PREFIX}subscribe/en", headers=many), "many headers", 431)
    limited = Browser(server, "192.0.2.102")
    statuses = [
        limited.post(f"{PREFIX}subscribe/en", {"address": f"walk{n}@example.net"}).status for n in range(6)
    ]
    assert statuses[-1] == 429
    check(limited.post(f"{PREFIX}subscribe/en", {"address": "walk9@example.net"}), "too many", 429)

    # A store that cannot be read: the service's 500 says nothing of it, with the same headers.
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "masthead.toml").write_text((published / "masthead.toml").read_text("utf-8"), "utf-8")
    (broken / "subscribers.sqlite3").write_bytes(b"this is not a database" * 100)
    with LiveServer(create_app(masthead.load_config(broken), keyring=Keyring(WEB_SECRET))) as failing:
        answer = check(raw(failing, "GET", confirm), "a store fault", 500)
        assert "not a database" not in answer.text and "Traceback" not in answer.text

    assert sorted(seen) == [200, 303, 304, 307, 308, 400, 403, 404, 405, 410, 413, 429, 431, 500]


def test_uvicorns_own_answers_carry_the_headers_too(published: Path) -> None:
    """What the HTTP server answers itself, before the app sees a request (a request line it cannot
    parse), when run as ``masthead serve`` runs it."""
    from masthead.web import server_config

    app = create_app(masthead.load_config(published), keyring=Keyring(WEB_SECRET))
    with LiveServer(app, config=server_config(app, host="127.0.0.1", port=0)) as live:
        # A request line that is not HTTP; a header block that grows past the limit and never ends.
        for request in (b"NOT HTTP AT ALL\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"y" * 40_000):
            with socket.create_connection(("127.0.0.1", live.port), timeout=10) as conn:
                conn.sendall(request)
                reply = b""
                while chunk := conn.recv(65536):
                    reply += chunk
            head = reply.split(b"\r\n\r\n")[0].decode("latin-1").lower()
            assert head.startswith("http/1.1 400"), head
            assert "content-security-policy: default-src 'none'" in head
            assert "x-content-type-options: nosniff" in head and "x-frame-options: deny" in head
            assert "strict-transport-security: max-age=31536000" in head


def test_a_large_form_and_a_request_after_it_in_one_read_are_both_answered(published: Path) -> None:
    """The server counts the bytes of a request's head, not of its body, nor of a request that
    follows a complete one in the same read (pipelining)."""
    from masthead.web import server_config

    app = create_app(masthead.load_config(published), keyring=Keyring(WEB_SECRET))
    with LiveServer(app, config=server_config(app, host="127.0.0.1", port=0)) as live:
        form = b"List-Unsubscribe=One-Click&padding=" + b"x" * 40_000
        burst = (
            b"POST /news/unsubscribe?token=forged HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {len(form)}\r\n\r\n".encode()
            + form
            + b"GET /news/archive/en/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        with socket.create_connection(("127.0.0.1", live.port), timeout=10) as conn:
            conn.sendall(burst)
            reply = b""
            while chunk := conn.recv(65536):
                reply += chunk
    # The app's own answers: the forged link refused, then the archive page.
    assert reply.startswith(b"HTTP/1.1 400 ") and b"This unsubscribe link is not valid." in reply, reply[:300]
    assert reply.count(b"HTTP/1.1 ") == 2 and b"HTTP/1.1 200 " in reply and b'<html lang="en"' in reply
    assert b"Request header fields too large" not in reply


def test_a_name_that_is_an_encoded_word_hiding_a_line_break_is_refused(
    server: LiveServer, published: Path
) -> None:
    browser = Browser(server, "192.0.2.110")
    hidden = "=?utf-8?q?a=0D=0Ab?="
    answer = browser.post(f"{PREFIX}subscribe/en", {"address": "encoded@example.net", "name": hidden})
    assert answer.status == 400 and 'class="error"' in answer.text
    assert "line breaks" in answer.text
    assert signups(published, "encoded@example.net") == 0
    config = masthead.load_config(published)
    token = reader_token(config, "encoded-reader@example.net")
    path = f"{PREFIX}preferences?token={token}"
    answer = browser.post(path, {"name": hidden, "language": "en"})
    assert answer.status == 400 and 'class="error"' in answer.text
    (reader,) = [s for s in list_subscribers(config) if s.address == "encoded-reader@example.net"]
    assert reader.name == "Reader"
    # A name that merely looks like one is fine, and its email goes out.
    answer = browser.post(f"{PREFIX}subscribe/en", {"address": "plain@example.net", "name": "=?nothing?="})
    assert answer.status == 200


def test_bytes_that_are_not_utf8_are_refused(server: LiveServer, published: Path) -> None:
    browser = Browser(server, "192.0.2.111")
    path = f"{PREFIX}subscribe/en"
    fields = browser.form(path)
    encoded = urllib.parse.urlencode(fields).encode()
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie,
        "Origin": browser.origin,
    }
    for body, field in (
        (encoded + b"&address=%ff%fe@example.org", "address"),
        (encoded + b"&address=bytes@example.org&name=\xff\xfe\xc0", "name"),
        (encoded + b"&address=bytes2@example.org&name=%c0%af", "name"),
    ):
        answer = raw(server, "POST", path, headers=headers, body=body, ip=browser.ip)
        assert answer.status == 400, (body, answer.text)
        assert 'class="error"' in answer.text
        if field == "address":
            assert 'aria-invalid="true"' in answer.text
    assert signups(published, "bytes@example.org") == signups(published, "bytes2@example.org") == 0
    conn = sqlite3.connect(published / "subscribers.sqlite3")
    try:
        assert (
            conn.execute("SELECT count(*) FROM signups WHERE address LIKE '%@example.org'").fetchone()[0] == 0
        )
    finally:
        conn.close()
    assert outbox(published, "@example.org") == []


def test_head_answers_as_get_without_a_body(server: LiveServer, published: Path) -> None:
    config = masthead.load_config(published)
    token = reader_token(config, "head@example.net")
    for path in (
        f"{PREFIX}subscribe/en", f"{PREFIX}unsubscribe?token={token}", f"{PREFIX}preferences?token={token}",
        f"{PREFIX}archive/ar/", f"{PREFIX}spring/fr/index.html",
    ):  # fmt: skip
        get = raw(server, "GET", path)
        head = raw(server, "HEAD", path)
        assert (head.status, head.body) == (get.status, b""), path
        assert head.headers["content-type"] == get.headers["content-type"]
        assert head.headers["content-length"] == get.headers["content-length"] or path.startswith(
            (f"{PREFIX}subscribe", f"{PREFIX}unsubscribe", f"{PREFIX}preferences")
        )  # a form page holds a fresh token each time
    assert status_of(published, "head@example.net") == "active"


def test_the_not_found_page_is_styled_wherever_it_is(server: LiveServer) -> None:
    for path in (f"{PREFIX}nope", "/nope", f"{PREFIX}spring/en/x.html", f"{PREFIX}spring/xx/index.html"):
        answer = raw(server, "GET", path)
        assert answer.status == 404 and "<h1>" in answer.text, path
        policy = answer.headers["content-security-policy"]
        assert PAGE_CSS in policy and "unsafe-inline" not in policy, (path, policy)
        css = re.search(r'<link rel="stylesheet" href="([^"]+)"', answer.text)
        assert css is not None and raw(server, "GET", css.group(1)).status == 200


def test_the_builds_own_files_are_not_served(server: LiveServer, published: Path) -> None:
    output = published / "build" / "spring"
    (output / "en" / ".hidden").write_text("private", encoding="utf-8")
    internals = [
        "spring/en/.masthead-build", "spring/images/.placements.json", "spring/en/email.template",
        "spring/en/email.eml", "spring/en/.hidden", "spring/en/./.masthead-build", "spring/%2emasthead-build",
        "spring/en/%2Emasthead-build", "spring/.%2E/spring/en/email.eml",
    ]  # fmt: skip
    for path in internals:
        answer = raw(server, "GET", PREFIX + path)
        assert answer.status == 404, (path, answer.status)
        assert b"private" not in answer.body and b"Content-Type: multipart" not in answer.body
    image = next(p.name for p in (output / "images").iterdir() if p.suffix == ".png")
    for path in ("spring/en/index.html", "spring/en/spring.en.pdf", f"spring/images/{image}"):
        assert raw(server, "GET", PREFIX + path).status == 200, path


def test_no_redirect_names_the_host_the_request_gave(server: LiveServer) -> None:
    evil = {"Host": "evil.example"}
    for path in (
        "/news",
        PREFIX,
        f"{PREFIX}archive",
        f"{PREFIX}subscribe",
        f"{PREFIX}archive/en",
        f"{PREFIX}spring/en",
    ):
        answer = raw(server, "GET", path, headers=evil)
        assert 300 <= answer.status < 400, path
        location = answer.headers["location"]
        assert location.startswith("/news/") and "evil" not in location, (path, location)


def test_the_archive_and_an_edition_folder_answer_without_a_slash_or_an_index_file(
    server: LiveServer,
) -> None:
    answer = raw(server, "GET", f"{PREFIX}archive/en")
    assert answer.headers["location"] == f"{PREFIX}archive/en/"
    answer = raw(server, "GET", f"{PREFIX}spring/en/")
    assert answer.status == 200 and '<html lang="en"' in answer.text
    assert answer.text == raw(server, "GET", f"{PREFIX}spring/en/index.html").text


def test_posts_from_another_origin_are_refused_and_the_cookie_is_the_servers(
    server: LiveServer, published: Path
) -> None:
    path = f"{PREFIX}subscribe/en"
    own = f"http://127.0.0.1:{server.port}"

    def post_with(browser: Browser, address: str, **headers: str) -> Answer:
        fields = browser.form(path) | {"address": address}
        cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        sent = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie} | headers
        return raw(
            server, "POST", path, headers=sent, body=urllib.parse.urlencode(fields).encode(), ip=browser.ip
        )

    for n, headers in enumerate(
        (
            {"Origin": "https://evil.example"},
            {"Origin": "null"},
            {"Referer": "https://evil.example/page"},
            {"Origin": f"{own}.evil.example"},
            {"Origin": "https://evil.example", "Referer": f"{own}{path}"},
        )
    ):
        answer = post_with(Browser(server, f"192.0.2.12{n}"), f"origin{n}@example.net", **headers)
        assert answer.status == 403, (headers, answer.status)
        assert signups(published, f"origin{n}@example.net") == 0
    # The same form from this site's own page is taken: with its Origin, or a Referer alone (an older
    # browser), or neither (a client that is not a browser, which a forged page cannot be).
    browser = Browser(server, "192.0.2.129")
    assert post_with(browser, "origin-ok@example.net", Origin=own).status == 200
    assert post_with(browser, "referer-ok@example.net", Referer=f"{own}{path}").status == 200
    assert post_with(browser, "neither-ok@example.net").status == 200
    base = post_with(browser, "base-ok@example.net", Origin="https://harbour.example.org")
    assert base.status == 200

    # A cookie value the browser brings that the server did not make is replaced, and does not pass.
    chosen = "0123456789abcdef0123456789abcdef"
    browser = Browser(server, "192.0.2.130")
    browser.cookies["masthead_form"] = chosen
    page = browser.send("GET", path)
    given = page.cookies()["masthead_form"].value
    assert given != chosen
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    browser.cookies["masthead_form"] = chosen
    answer = browser.send("POST", path, fields | {"address": "chosen@example.net"})
    assert answer.status == 403


def test_the_form_cookie_is_host_only_and_secure_under_https(server: LiveServer) -> None:
    https = {"X-Forwarded-Proto": "https"}
    answer = raw(server, "GET", f"{PREFIX}subscribe/en", headers=https)
    (cookie,) = answer.headers.get_all("set-cookie") or []
    assert cookie.startswith("__Host-masthead_form=")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "path", "samesite"} <= attributes and "domain" not in attributes
    assert "Path=/;" in cookie or cookie.endswith("Path=/")
    plain = raw(server, "GET", f"{PREFIX}subscribe/en")
    (cookie,) = plain.headers.get_all("set-cookie") or []
    assert cookie.startswith("masthead_form=") and "Path=/news/" in cookie


def test_oversized_and_countless_headers_are_refused(server: LiveServer) -> None:
    for headers in (
        {"X-Big": "x" * 100_000},
        {f"X-Header-{n}": "x" for n in range(3000)},
        {"Cookie": "a=" + "x" * 40_000},
    ):
        answer = raw(server, "GET", f"{PREFIX}subscribe/en", headers=headers)
        assert answer.status in (400, 431), answer.status
        assert_protected(answer, "too many header bytes")
