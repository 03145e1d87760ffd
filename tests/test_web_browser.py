"""A reader's whole loop in a real browser (Debian's Chromium through Playwright): sign up, confirm
from the email, receive the issue, leave with one click. Screenshots at 375 px go to build/screenshots/."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import masthead
from masthead.delivery import Keyring, add_subscriber, consents, list_subscribers, send_campaign
from masthead.web import create_app

from .conftest import WEB_SECRET, LiveServer, edit
from .mail import Sink, serve
from .web_reader import confirm_link, outbox, status_of, wait_for_mail

SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def server(published: Path) -> Iterator[LiveServer]:
    with LiveServer(create_app(masthead.load_config(published), keyring=Keyring(WEB_SECRET))) as live:
        yield live


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="en-GB")
    try:
        yield context.new_page()
    finally:
        context.close()


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def one_click(server: LiveServer, list_unsubscribe: str) -> int:
    """POST as a mailbox provider does (RFC 8058): the header's https URL, no cookie, one field."""
    url = re.search(r"<(https://[^>]+)>", list_unsubscribe)
    assert url is not None
    local = url.group(1).replace("https://harbour.example.org", server.url("").rstrip("/"))
    request = urllib.request.Request(local, data=b"List-Unsubscribe=One-Click", method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.headers.get("Set-Cookie") is None
        return int(response.status)


def sign_up_and_confirm(page: Any, server: LiveServer, published: Path, lang: str, address: str) -> None:
    page.goto(server.url(f"/news/subscribe/{lang}"))
    shot(page, f"subscribe-{lang}")
    page.fill("#address", address)
    page.fill("#name", "Camille")
    page.click("button[type=submit]")
    page.wait_for_selector("h1")
    shot(page, f"sent-{lang}")
    (message,) = wait_for_mail(published, address)
    assert message["Content-Language"] == lang
    html = message.get_body(("html",))
    assert html is not None and f'lang="{lang}"' in html.get_content()
    page.goto(server.url(confirm_link(message)))
    shot(page, f"confirm-{lang}")
    assert status_of(published, address) is None  # opening the link alone confirms nothing
    page.click("button[type=submit]")
    page.wait_for_selector("h1")
    shot(page, f"confirmed-{lang}")
    assert status_of(published, address) == "active"


def test_a_french_reader_signs_up_gets_the_issue_and_leaves_with_one_click(
    page: Any, server: LiveServer, published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MASTHEAD_SECRET", WEB_SECRET)
    address = "camille@example.net"
    sign_up_and_confirm(page, server, published, "fr", address)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Vous êtes abonné"
    (consent,) = consents(masthead.load_config(published), address)
    assert consent.ip == "127.0.0.1" and "Chrome" in (consent.user_agent or "")

    config = masthead.load_config(published)
    add_subscriber(config, "dominique@example.net", "Dominique", "fr")
    report = send_campaign(config, "spring", transport="maildir")
    assert report.sent >= 1
    (issue,) = [m for m in outbox(published, address) if m["List-Unsubscribe"]]
    assert issue["Content-Language"] == "fr"

    # The footer link opens a page with one button; opening it unsubscribes no one.
    link = re.search(r"<(https://[^>]+)>", issue["List-Unsubscribe"])
    assert link is not None
    page.goto(link.group(1).replace("https://harbour.example.org", server.url("").rstrip("/")))
    shot(page, "unsubscribe-fr")
    assert page.locator("button").count() == 1
    assert status_of(published, address) == "active"

    # "Manage your subscription" in the footer leads to the preferences, with the same token.
    body = issue.get_body(("html",))
    assert body is not None
    manage = re.search(
        r'href="https://harbour\.example\.org(/news/preferences\?token=[^"]+)"', body.get_content()
    )
    assert manage is not None and manage.group(1).split("token=")[1] in issue["List-Unsubscribe"]
    page.goto(server.url(manage.group(1)))
    page.fill("#name", "Camille Roux")
    page.click("form.card button[type=submit]")
    page.wait_for_selector(".notice")
    shot(page, "preferences-fr")
    reader = next(s for s in list_subscribers(masthead.load_config(published)) if s.address == address)
    assert (reader.name, reader.language, reader.status) == ("Camille Roux", "fr", "active")

    assert one_click(server, issue["List-Unsubscribe"]) == 200
    assert status_of(published, address) == "unsubscribed"

    # The real send, by SMTP, goes to everyone active, and not to the reader who left.
    smtp = serve(Sink())
    sink, port = next(smtp)
    toml = published / "masthead.toml"
    relay = f'transport = "maildir"\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}'
    edit(toml, 'transport = "maildir"', relay)
    try:
        send_campaign(masthead.load_config(published), "spring", transport="smtp")
    finally:
        edit(toml, relay, 'transport = "maildir"')
        smtp.close()
    assert "dominique@example.net" in sink.addresses() and address not in sink.addresses()


def test_an_arabic_reader_gets_right_to_left_pages(page: Any, server: LiveServer, published: Path) -> None:
    sign_up_and_confirm(page, server, published, "ar", "layla@example.net")
    assert page.locator("html").get_attribute("dir") == "rtl"
    box = page.locator("h1").bounding_box()
    assert box is not None and box["x"] + box["width"] > PHONE["width"] - 40  # set from the right
    for lang in ("en", "zh-Hans", "ar"):
        page.goto(server.url(f"/news/archive/{lang}/"))
        shot(page, f"archive-{lang}")
        assert page.locator("html").get_attribute("lang") == lang
        page.goto(server.url(f"/news/subscribe/{lang}"))
        shot(page, f"subscribe-{lang}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{lang}: the page is wider than a phone ({width} px)"
    page.set_viewport_size({"width": 1280, "height": 800})
    for lang in ("en", "ar"):
        page.goto(server.url(f"/news/archive/{lang}/"))
        shot(page, f"archive-{lang}-1280")
