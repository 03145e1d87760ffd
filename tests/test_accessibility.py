"""Every web page and email passes axe-core in Chromium: WCAG 2.0, 2.1 and 2.2 A and AA and axe's best
practices, in every built language of the example and of a new workspace's first issue, at a desktop
and a phone width, in the light and the dark colour scheme; and so does every kind of page of the
readers' service (masthead serve), in English, Chinese and Arabic."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from masthead import build, load_config
from masthead._scaffold import init_workspace

from .conftest import EXAMPLE, edit, pdf_pages

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

    from masthead import BuildReport, Config

    from .conftest import LiveServer

AXE = EXAMPLE / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
VARIANTS = [(1280, "light"), (1280, "dark"), (375, "light"), (375, "dark")]
DOCUMENTS = ("index.html", "email.html")

# axe takes a font for an icon font when a text's first letter draws differently alone than in its
# word, which joined-up Arabic always does, and then leaves every text in that font out of its
# contrast rule. Telling it beforehand that each font on the page is a text font has it check them all.
RUN_AXE = """async (tags) => {
  const fonts = {};
  for (const element of document.querySelectorAll('*')) {
    fonts[getComputedStyle(element).fontFamily] = {occurrences: 3, numLigatures: 0};
  }
  axe._cache.set('fonts', fonts);
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  const contrast = [...result.passes, ...result.violations, ...result.incomplete]
    .filter((rule) => rule.id === 'color-contrast')
    .reduce((count, rule) => count + rule.nodes.length, 0);
  return {
    violations: result.violations.map((rule) => ({
      id: rule.id,
      help: rule.help,
      nodes: rule.nodes.slice(0, 5).map((node) => node.target.join(' ') + ': ' + node.failureSummary),
    })),
    contrast,
  };
}"""

Audit = dict[tuple[str, str, str, int, str], dict[str, Any]]
"""axe's findings by (workspace, language, document, width, scheme)."""


@pytest.fixture(scope="module")
def generated_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, BuildReport]:
    """A new workspace's first issue, as ``masthead init`` writes it, in English, Arabic and Chinese
    (untranslated: its texts fall back to English inside right-to-left and CJK pages)."""
    folder = init_workspace(tmp_path_factory.mktemp("generated") / "letters", "Harbour Letters")
    edit(
        folder / "masthead.toml",
        '# languages = ["en", "zh-Hans", "ar", "fr"]',
        'languages = ["en", "ar", "zh-Hans"]',
    )
    config = load_config(folder)
    return config, build(config, force=True, jobs=2)


def _serve_build(page: Page, config: Config) -> None:
    """Answer the email's absolute URLs from the build folder; nothing leaves the machine."""

    def answer(route: Route) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
            return
        path = (
            config.output / url[len(config.base_url) :].split("#")[0]
            if url.startswith(config.base_url)
            else None
        )
        if path is not None and path.is_file():
            route.fulfill(path=str(path))
        else:
            route.abort()

    page.route("**/*", answer)


def _audit(browser: Browser, name: str, config: Config, report: BuildReport) -> Iterator[tuple[Any, ...]]:
    page = browser.new_page()
    _serve_build(page, config)
    try:
        for built in report.built:
            for document in DOCUMENTS:
                page.goto((config.output / report.slug / built.language.tag / document).as_uri())
                page.add_script_tag(path=str(AXE))
                for width, scheme in VARIANTS:
                    page.set_viewport_size({"width": width, "height": 900})
                    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
                    yield (name, built.language.tag, document, width, scheme), page.evaluate(RUN_AXE, TAGS)
    finally:
        page.close()


@pytest.fixture(scope="module")
def audit(
    browser: Browser,
    example_build: tuple[Config, BuildReport],
    generated_build: tuple[Config, BuildReport],
) -> Audit:
    assert AXE.is_file(), "axe-core is missing: run 'make test', which installs it with npm"
    found: Audit = {}
    for name, (config, report) in (("example", example_build), ("generated", generated_build)):
        assert report.built, f"the {name} issue built no language"
        found.update(_audit(browser, name, config, report))
    return found


def _violations(audit: Audit, document: str) -> list[str]:
    lines = []
    for (name, tag, doc, width, scheme), found in sorted(audit.items()):
        if doc != document:
            continue
        for rule in found["violations"]:
            lines.append(f"{name} {tag} {doc} {width}px {scheme}: {rule['id']} ({rule['help']})")
            lines += [f"    {node}" for node in rule["nodes"]]
    return lines


def test_every_language_was_audited(audit: Audit) -> None:
    tags = {(name, tag) for name, tag, *_ in audit}
    assert tags == {
        ("example", "en"), ("example", "zh-Hans"), ("example", "ar"),
        ("generated", "en"), ("generated", "ar"), ("generated", "zh-Hans"),
    }  # fmt: skip
    assert len(audit) == len(tags) * len(DOCUMENTS) * len(VARIANTS)


def test_web_pages_pass_axe(audit: Audit) -> None:
    problems = _violations(audit, "index.html")
    assert not problems, "\n".join(problems)


def test_emails_pass_axe(audit: Audit) -> None:
    problems = _violations(audit, "email.html")
    assert not problems, "\n".join(problems)


def test_arabic_text_is_checked_for_contrast(audit: Audit) -> None:
    # Without the font cache seeded, axe checks about a quarter of the Arabic email's texts.
    for document in DOCUMENTS:
        english = audit[("example", "en", document, 375, "light")]["contrast"]
        arabic = audit[("example", "ar", document, 375, "light")]["contrast"]
        assert english > 100
        assert arabic > 0.8 * english, (document, arabic, english)


def test_the_email_is_one_article_named_in_its_language(example_build: tuple[Config, BuildReport]) -> None:
    config, report = example_build
    page = (config.output / report.slug / "ar" / "email.html").read_text("utf-8")
    article = re.search(
        r'<div role="article" aria-roledescription="([^"]+)" aria-label="([^"]+)" lang="ar"', page
    )
    assert article, "no role=article in the Arabic email"
    assert article.group(1) == "البريد الإلكتروني"
    assert article.group(2) == re.search(r"<title>(.*?)</title>", page).group(1)  # type: ignore[union-attr]
    assert page.index('<div role="main">') < article.start()


class _Outline(HTMLParser):
    """The headings of a page, and the text of its kickers and section titles, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, str]] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if re.fullmatch(r"h[1-6]", tag) or "kicker" in classes:
            self.items.append((tag if tag.startswith("h") else "kicker", ""))
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            kind, text = self.items[-1]
            self.items[-1] = (kind, text + data)


def _outline(page: str) -> list[tuple[str, str]]:
    parser = _Outline()
    parser.feed(page)
    return [(kind, " ".join(text.split())) for kind, text in parser.items]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_outline_nests_and_says_each_label_once(
    example_build: tuple[Config, BuildReport], document: str
) -> None:
    config, report = example_build
    for built in report.built:
        outline = _outline((config.output / report.slug / built.language.tag / document).read_text("utf-8"))
        headings = [(int(kind[1]), text) for kind, text in outline if kind != "kicker"]
        assert [level for level, _ in headings].count(1) == 1
        for (level, text), (following, _) in itertools.pairwise(headings):
            assert following <= level + 1, (built.language.tag, document, text)
        # Each section (h2) opens on its articles (h3): the cover story's section is titled "Cover
        # story", and its article's kicker of the same words is not said a second time.
        for index, (kind, text) in enumerate(outline):
            if kind == "h2" and index + 1 < len(outline) and outline[index + 1][0] == "kicker":
                assert outline[index + 1][1].casefold() != text.casefold(), (
                    built.language.tag,
                    document,
                    text,
                )
        titles = [text for kind, text in outline if kind == "h3"]
        assert len(titles) >= 8, titles  # every article of the issue is an h3


def test_separators_stay_with_what_they_follow(example_build: tuple[Config, BuildReport]) -> None:
    config, report = example_build
    for built in report.built:
        for document in DOCUMENTS:
            page = (config.output / report.slug / built.language.tag / document).read_text("utf-8")
            assert "&nbsp;· " in page
            assert not re.search(r"[ \n]·", page), (built.language.tag, document)


def test_one_postal_address_everywhere_in_its_local_form(example_build: tuple[Config, BuildReport]) -> None:
    config, report = example_build
    addresses = {
        "en": "41–45 Lantern Street, Eastbank, Riverton",
        "zh-Hans": "里弗顿东岸灯笼街41–45号",
        "ar": "41–45 شارع الفوانيس، إيستبانك، ريفرتون",
    }
    for tag, address in addresses.items():
        folder = config.output / report.slug / tag
        assert re.search(
            rf'<address>\s*<p class="postal">{address}</p>', (folder / "index.html").read_text("utf-8")
        )
        footer = (folder / "email.html").read_text("utf-8").split('class="footer"')[1]
        assert address in footer and "Lantern Street Neighbourhood Centre" in footer
        assert address in (folder / "email.txt").read_text("utf-8").split("\n-- \n")[1]
    back_page = pdf_pages(config.output / report.slug / "en" / f"{report.slug}.en.pdf")[-1]
    assert "41–45 Lantern Street, Eastbank, Riverton" in back_page
    assert "18 Lantern Street" not in back_page


# -- the service's own pages (masthead serve), each kind as a reader reaches it ----------------------

SERVICE_LANGUAGES = {"en": "en-GB", "zh-Hans": "zh-CN", "ar": "ar"}
"""The languages the service pages are audited in, and the browser locale that asks for each."""
SERVICE_PAGES = (
    "subscribe", "sent", "confirm", "confirmed", "invalid link", "expired form", "not found", "archive",
    "preferences", "saved", "unsubscribe", "unsubscribed",
)  # fmt: skip


def _audit_service(
    browser: Browser, server: LiveServer, config: Config, tag: str
) -> Iterator[tuple[Any, ...]]:
    """Every kind of page of the service in language ``tag``, reached as a reader reaches it (forms
    filled and sent), each audited at both widths in both schemes, under the service's own policy."""
    from masthead.delivery import (
        Origin,
        add_subscriber,
        list_subscribers,
        make_confirm_token,
        make_unsubscribe_token,
        request_signup,
    )

    from .conftest import WEB_SECRET

    asked = request_signup(
        config, f"axe-{tag}@example.net", None, tag, Origin("192.0.2.1"), keep=timedelta(days=3)
    )
    assert asked.signup is not None
    confirm = make_confirm_token(asked.signup.id, datetime.now(UTC) + timedelta(days=1), WEB_SECRET)
    add_subscriber(config, f"axe-reader-{tag}@example.net", "Reader", tag)
    public_id = next(
        s.public_id for s in list_subscribers(config) if s.address == f"axe-reader-{tag}@example.net"
    )
    token = make_unsubscribe_token(public_id, "spring", WEB_SECRET)
    context = browser.new_context(
        locale=SERVICE_LANGUAGES[tag], extra_http_headers={"X-Forwarded-For": f"192.0.2.{len(tag)}"}
    )
    page = context.new_page()
    axe = AXE.read_text(encoding="utf-8")

    def audit(kind: str) -> Iterator[tuple[Any, ...]]:
        page.wait_for_selector("h1")
        assert page.locator("html").get_attribute("lang") == tag, (kind, page.url)
        # Evaluated by the browser's tools, not a <script> the page's policy would refuse.
        page.evaluate(axe)
        for width, scheme in VARIANTS:
            page.set_viewport_size({"width": width, "height": 900})
            page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
            yield ("service", tag, kind, width, scheme), page.evaluate(RUN_AXE, TAGS)

    def submit(selector: str = "form button[type=submit]") -> None:
        with page.expect_navigation():
            page.click(selector)

    try:
        page.goto(server.url(f"/news/subscribe/{tag}"))
        yield from audit("subscribe")
        page.fill("#address", f"axe-new-{tag}@example.net")
        submit()
        yield from audit("sent")
        page.goto(server.url(f"/news/confirm?token={confirm}"))
        yield from audit("confirm")
        submit()
        yield from audit("confirmed")
        page.goto(server.url("/news/confirm?token=forged"))
        yield from audit("invalid link")
        page.goto(server.url(f"/news/subscribe/{tag}"))
        page.evaluate("document.querySelector('input[name=csrf]').value = 'stale'")
        page.fill("#address", f"axe-stale-{tag}@example.net")
        submit()
        yield from audit("expired form")
        page.goto(server.url("/news/no-such-page"))
        yield from audit("not found")
        page.goto(server.url(f"/news/archive/{tag}/"))
        yield from audit("archive")
        page.goto(server.url(f"/news/preferences?token={token}"))
        yield from audit("preferences")
        page.fill("#name", "Reader Two")
        submit("form.card button[type=submit]")
        yield from audit("saved")
        page.goto(server.url(f"/news/unsubscribe?token={token}"))
        yield from audit("unsubscribe")
        submit()
        yield from audit("unsubscribed")
    finally:
        context.close()


@pytest.fixture(scope="module")
def service_audit(browser: Browser, published: Path) -> Audit:
    from masthead.delivery import Keyring
    from masthead.web import create_app

    from .conftest import WEB_SECRET, LiveServer

    assert AXE.is_file(), "axe-core is missing: run 'make test', which installs it with npm"
    config = load_config(published)
    found: Audit = {}
    with LiveServer(create_app(config, keyring=Keyring(WEB_SECRET))) as server:
        for tag in SERVICE_LANGUAGES:
            found.update(_audit_service(browser, server, config, tag))
    return found


def test_every_service_page_was_audited(service_audit: Audit) -> None:
    assert {(tag, kind) for _, tag, kind, *_ in service_audit} == {
        (tag, kind) for tag in SERVICE_LANGUAGES for kind in SERVICE_PAGES
    }
    assert len(service_audit) == len(SERVICE_LANGUAGES) * len(SERVICE_PAGES) * len(VARIANTS)
    # axe looked at the colours of the text, in each language: the pages were styled.
    assert all(found["contrast"] > 5 for found in service_audit.values())


def test_service_pages_pass_axe(service_audit: Audit) -> None:
    problems = []
    for (_, tag, kind, width, scheme), found in sorted(service_audit.items()):
        for rule in found["violations"]:
            problems.append(f"{tag} {kind} {width}px {scheme}: {rule['id']} ({rule['help']})")
            problems += [f"    {node}" for node in rule["nodes"]]
    assert not problems, "\n".join(problems)


def test_service_pages_take_the_dark_scheme(service_audit: Audit, browser: Browser, published: Path) -> None:
    from masthead.delivery import Keyring
    from masthead.web import create_app

    from .conftest import WEB_SECRET, LiveServer

    with LiveServer(create_app(load_config(published), keyring=Keyring(WEB_SECRET))) as server:
        page = browser.new_page()
        try:
            colours = {}
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
                page.goto(server.url("/news/archive/en/"))
                colours[scheme] = page.evaluate(
                    "[getComputedStyle(document.documentElement).backgroundColor,"
                    " getComputedStyle(document.querySelector('h1')).color]"
                )
        finally:
            page.close()
    assert colours["light"] == ["rgb(251, 246, 236)", "rgb(15, 76, 92)"]  # the theme's paper and brand
    assert colours["dark"] == ["rgb(27, 37, 40)", "rgb(143, 208, 223)"]  # its dark paper and link colour
