"""What the theme writes around the content: issue dates to the precision an issue gives, credit
labels in the reader's language, web addresses as readers type them, captions apart from credits."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from masthead import SourceError, language
from masthead._config import load_config
from masthead.catalogs import theme_translations
from masthead.editions import Edition
from masthead.email import render_email
from masthead.render import render_web
from masthead.sources import find_issue, load_issue

from .conftest import edit


def _page(root: Path, tag: str) -> str:
    config = load_config(root)
    issue = load_issue(find_issue(config.issues_dir, None), root=config.root)
    lang = language(tag)
    return render_web(Edition(issue, lang), config, theme_translations(config, lang))


def _issue_line(page: str) -> str:
    found = re.search(r'<p[^>]* class="issue-line"[^>]*>(.*?)</p>', page, re.DOTALL)
    assert found
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2023-06", {"en": "June 2023", "zh-Hans": "2023年6月", "ar": "يونيو 2023"}),
        ("2023", {"en": "2023", "zh-Hans": "2023年", "ar": "2023"}),
        ("2023-06-01", {"en": "June 1, 2023", "zh-Hans": "2023年6月1日", "ar": "1 يونيو 2023"}),
    ],
)
def test_issue_dates_print_to_the_precision_given(
    workspace: Path, date: str, expected: dict[str, str]
) -> None:
    edit(workspace / "issues" / "spring" / "issue.yaml", "date: 2026-03-01", f"date: {date}")
    for tag, text in expected.items():
        line = _issue_line(_page(workspace, tag))
        assert line.endswith(f"· {text}"), (tag, line)


def test_an_issue_date_may_be_words_of_its_own(workspace: Path) -> None:
    issue = workspace / "issues" / "spring" / "issue.yaml"
    edit(issue, "date: 2026-03-01", "date: 2026-03\ndate_label: Spring 2026")
    assert _issue_line(_page(workspace, "en")) == "No. 7 · Spring 2026"
    edit(issue, "date: 2026-03", "date: 2026-13")
    with pytest.raises(SourceError, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        _page(workspace, "en")


def test_credits_are_labelled_in_the_readers_language(workspace: Path) -> None:
    lead = workspace / "issues" / "spring" / "lead.md"
    edit(lead, "  credit: Ben Ward\n", "  credit: Ben Ward\n  credit_label: illustration\n")
    page = _page(workspace, "zh-Hans")
    # Names in Latin letters are marked as such in the Chinese page.
    assert '<span class="label">插图：</span><span lang="en" dir="ltr">Ben Ward</span>' in page
    assert '<span class="label">摄影：</span><span lang="en" dir="ltr">Ada Quill</span>' in page
    arabic = _page(workspace, "ar")
    assert '<span class="label">رسم توضيحي:</span> <span lang="en" dir="ltr">Ben Ward</span>' in arabic


def test_a_credit_that_types_its_label_is_printed_once(
    workspace: Path, caplog: pytest.LogCaptureFixture
) -> None:
    edit(workspace / "issues" / "spring" / "lead.md", "credit: Ben Ward", 'credit: "Photo: Ben Ward"')
    page = _page(workspace, "en")
    assert "Photo: Ben Ward" in page and "Photo: Photo:" not in page
    assert any("types its own label" in record.getMessage() for record in caplog.records)


def test_web_address_shown_without_its_scheme_and_email_text_keeps_caption_and_credit_apart(
    workspace: Path,
) -> None:
    edit(
        workspace / "issues" / "spring" / "issue.yaml",
        "website: https://harbour.example.org",
        "website: http://harbour.example.org/",
    )
    page = _page(workspace, "en")
    assert '<a href="http://harbour.example.org/" dir="ltr">harbour.example.org</a>' in page
    config = load_config(workspace)
    issue = load_issue(find_issue(config.issues_dir, None), root=config.root)
    email = render_email(Edition(issue, language("en")), config, theme_translations(config, language("en")))
    assert "\nNew planks on the pier.\nPhoto: Ben Ward\n" in email.text
    assert ">harbour.example.org</a>" in email.html
    # The character set is declared within the first 1024 bytes, as HTML requires.
    assert email.html.index('<meta charset="utf-8">') < 1024
