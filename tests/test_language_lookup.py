"""A language named in any letter case, with ``_`` or ``-``, is the configured one wherever it is named:
settings and command options, subscribers' preferences, sending, and every route of the readers' side."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

import masthead
from masthead.delivery import (
    Keyring,
    add_subscriber,
    choose_edition,
    list_subscribers,
    make_unsubscribe_token,
)
from masthead.web import create_app

from .conftest import WEB_SECRET, LiveServer

SPELLINGS = ("zh-hans", "zh_Hans", "ZH-HANS")


class Reader:
    """Cookies kept across requests, as a browser keeps them (the forms' CSRF token needs one)."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.server.url(path), data=body)
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.headers.get("content-type", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("content-type", ""), error.read().decode()

    def hidden(self, page: str) -> dict[str, str]:
        return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))


def test_settings_and_sending_resolve_every_spelling(published: Path) -> None:
    config = masthead.load_config(published)
    zh = config.language("zh-Hans")
    for number, spelling in enumerate(SPELLINGS):
        assert config.language(spelling) is zh
        choice = choose_edition(spelling, config.languages, config.source_language)
        assert (choice.edition, choice.rule) == (zh, "exact")
        add_subscriber(config, f"spelling-{number}@example.net", None, spelling)
    stored = {s.address: s.language for s in list_subscribers(config) if s.address.startswith("spelling-")}
    assert stored == {f"spelling-{number}@example.net": "zh-Hans" for number in range(len(SPELLINGS))}
    with pytest.raises(masthead.MastheadError, match="language 'zh-Hant' is not configured"):
        config.language("zh-Hant")


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_route_answers_every_spelling(published: Path, spelling: str) -> None:
    config = masthead.load_config(published)
    html_lang = '<html lang="zh-Hans" dir="ltr">'
    with LiveServer(create_app(config, keyring=Keyring(WEB_SECRET), preview=True)) as live:
        reader = Reader(live)
        for path in (f"/news/subscribe/{spelling}", f"/news/archive/{spelling}/"):
            status, kind, page = reader.get(path)
            assert (status, kind.split(";")[0]) == (200, "text/html"), path
            assert html_lang in page, path
        status, kind, feed = reader.get(f"/news/archive/{spelling}/feed.atom")
        assert (status, kind.split(";")[0]) == (200, "application/atom+xml")
        assert 'xml:lang="zh-Hans"' in feed and feed == reader.get("/news/archive/zh-Hans/feed.atom")[2]
        status, kind, css = reader.get(f"/news/style/{spelling}.css")
        assert (status, kind.split(";")[0]) == (200, "text/css")
        assert "--font-serif" in css and css == reader.get("/news/style/zh-Hans.css")[2]
        # The preview builds (or finds built) the edition the spelling names.
        status, _, page = reader.get(f"/news/spring/{spelling}/index.html")
        assert status == 200 and '<html lang="zh-Hans"' in page
        # A sign-up in that spelling, and a preferences form choosing it, keep the configured tag.
        address = f"route-{SPELLINGS.index(spelling)}@example.net"
        add_subscriber(config, address, None, "en")
        public_id = next(s.public_id for s in list_subscribers(config) if s.address == address)
        path = f"/news/preferences?token={make_unsubscribe_token(public_id, 'spring', WEB_SECRET)}"
        status, _, form = reader.get(path)
        assert status == 200
        status, _, page = reader.get(path, reader.hidden(form) | {"language": spelling})
        assert status == 200 and html_lang in page
    subscriber = next(s for s in list_subscribers(config) if s.address == address)
    assert subscriber.language == "zh-Hans"
