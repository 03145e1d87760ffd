"""One rule for every published link: http(s) to a host or mailto: an address, checked where it is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from masthead import MastheadError, SourceError, load_config, load_issue
from masthead._links import link_problem, unpublishable_links
from masthead.catalogs import issue_catalog, po_path, theme_translations
from masthead.cli import cli
from masthead.editions import translated_edition
from masthead.render import render_web

from .conftest import edit
from .translating import fill, updated

SPRING = Path("issues") / "spring"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/",
        "http://localhost:5000/x?y=1#z",
        "mailto:hello@example.org",
        "mailto:a@straße.de",
    ],
)
def test_links_that_are_published(url: str) -> None:
    assert link_problem(url) is None


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("javascript:alert(document.domain)", "only http(s) and mailto links"),
        ("JavaScript:alert(1)", "only http(s) and mailto links"),
        ("data:text/html,<b>x</b>", "angle bracket"),
        ("data:text/html;base64,PGI+", "only http(s) and mailto links"),
        ("file:///etc/passwd", "only http(s) and mailto links"),
        ("https:///no-host", "names no host"),
        ("https://example.org:99999/", "not a valid URL"),
        ('https://example.org/" onmouseover="x', "quote"),
        ("https://exa mple.org/", "space"),
        ("mailto:nobody", "invalid address"),
        ("www.example.org", "not an absolute URL"),
        ("https://example.org/" + "x" * 800, "longer than 800 characters"),
    ],
)
def test_links_that_are_refused(url: str, why: str) -> None:
    problem = link_problem(url)
    assert problem is not None and why in problem


def test_settings_links_and_addresses_are_checked_at_load_time(workspace: Path) -> None:
    toml = workspace / "masthead.toml"
    edit(toml, 'base_url = "https://harbour.example.org/news/"', 'base_url = "javascript:alert(1)//"')
    with toml.open("a", encoding="utf-8") as stream:
        stream.write('\n[email]\nsender = "Harbour Notes <news@>"\nunsubscribe_mailto = "@harbour"\n')
    with pytest.raises(MastheadError) as caught:
        load_config(workspace)
    report = caught.value.format()
    assert "masthead.toml:6: [newsletter] base_url = 'javascript:alert(1)//' is not valid" in report
    assert "masthead.toml:9: [email] sender" in report
    assert "masthead.toml:10: [email] unsubscribe_mailto" in report


def test_issue_links_and_addresses_are_checked_with_their_line(workspace: Path) -> None:
    issue = workspace / SPRING / "issue.yaml"
    edit(issue, "website: https://harbour.example.org", 'website: "javascript:alert(document.domain)"')
    edit(issue, "email: hello@harbour.example.org", "email: hello")
    with pytest.raises(MastheadError) as caught:
        load_issue(workspace / SPRING, root=workspace)
    report = caught.value.format()
    assert "issue.yaml:27: 'javascript:alert(document.domain)' is a javascript: link" in report
    assert "issue.yaml:28: invalid address 'hello'" in report


@pytest.mark.parametrize(
    ("link", "why"),
    [("javascript:alert(3)", "javascript: link"), ("ftp://harbour.example.org/x", "ftp: link")],
)
def test_markdown_links_in_articles_follow_the_rule(workspace: Path, link: str, why: str) -> None:
    edit(workspace / SPRING / "lead.md", "[map](https://harbour.example.org/map)", f"[map]({link})")
    with pytest.raises(
        SourceError, match=f"a link that cannot be published: '{re.escape(link)}' is a {why}"
    ) as caught:
        load_issue(workspace / SPRING, root=workspace)
    assert caught.value.line == 12


def test_a_plain_text_translated_into_a_link_is_flagged_and_falls_back(
    workspace: Path, caplog: pytest.LogCaptureFixture
) -> None:
    edit(workspace / "masthead.toml", 'languages = ["en"]', 'languages = ["en", "fr"]')
    updated(workspace)
    po = workspace / "locales" / "fr" / "LC_MESSAGES" / "spring.po"
    fill(po, lambda msgid: "[Title](javascript:alert(3))" if msgid == "Cover story" else "FR " + msgid)
    line = po.read_text(encoding="utf-8").splitlines().index('msgid "Cover story"') + 1

    config = load_config(workspace)
    issue = load_issue(workspace / SPRING, root=workspace)
    fr = config.language("fr")
    with caplog.at_level("WARNING", logger="masthead.editions"):
        edition = translated_edition(issue, fr, issue_catalog(config, issue, fr))
    where = po_path(Path("locales"), fr, "spring")
    messages = [record.getMessage() for record in caplog.records]
    assert any(f"{where}:{line}: translation falls back" in message for message in messages), messages
    page = render_web(edition, config, theme_translations(config, fr))
    assert "javascript" not in page and "[Title]" not in page
    # The English it falls back to is marked as English in the French page.
    island = '<span lang="en" dir="ltr">Cover story</span>'
    assert re.search(rf'<h2 class="section-title"[^>]*>{island}</h2>', page)
    # The command line sets up the masthead logger its own way: run it after the log is read.
    result = CliRunner().invoke(cli, ["-C", str(workspace), "catalog", "check"])
    assert result.exit_code == 1
    assert (
        f"spring.po:{line}: links that cannot be published (only http(s) and mailto): javascript:alert(3)"
        in (result.output)
    )


def test_unpublishable_links_are_those_left_as_written() -> None:
    text = "See [map](https://x.org/m), [old](ftp://x.org/f), <javascript:alert(1)> and [page](page.html)."
    assert unpublishable_links(text) == ["ftp://x.org/f", "javascript:alert(1)"]
    assert unpublishable_links("[Title](javascript:alert(3))") == ["javascript:alert(3)"]
    assert unpublishable_links("a (b) [c] d") == []
