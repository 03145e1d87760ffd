"""The email edition: the built files, the parsed message, and per-subscriber personalisation."""

from __future__ import annotations

import difflib
import email
import email.policy
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from masthead import language
from masthead._address import normalise_address
from masthead._config import Config
from masthead.editions import Edition
from masthead.email import (
    EmailEdition,
    EmailError,
    MessageTemplate,
    Recipient,
    RecipientError,
    load_template,
    render_email,
    write_email,
)
from masthead.email._text import width, wrap
from masthead.email._wrap import wrap_html, wrap_text
from masthead.sources import find_issue, load_issue, map_texts

from .email_editions import SAMPLES, email_config, reader, sample_edition, translated_edition

WEB = "https://harbour.example.org/news/spring/en/index.html"
PDF = "https://harbour.example.org/news/spring/en/spring.en.pdf"
LIMIT = 102 * 1024


def _lines(data: bytes) -> list[bytes]:
    """The message's lines, each with its CRLF (the last one has none)."""
    assert b"\n" not in data.replace(b"\r\n", b"") and b"\r" not in data.replace(b"\r\n", b"")
    return data.split(b"\r\n")


def _same_page(wrapped: str, page: str) -> bool:
    """Whether two HTML texts differ only by line breaks where they change nothing shown."""

    def norm(text: str) -> str:
        text = text.replace("<!--\r\n-->", "").replace("\r\n", "\n")
        return re.sub(r"\s+>", ">", re.sub(r"\s+", " ", text))

    return norm(wrapped) == norm(page)


@pytest.fixture
def config(workspace: Path) -> Config:
    return email_config(workspace)


@pytest.fixture
def built(config: Config, tmp_path: Path) -> tuple[EmailEdition, Path]:
    target = tmp_path / "out"
    return write_email(sample_edition(config), config, None, target), target


def _parse(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _parts(message: EmailMessage) -> tuple[str, str]:
    plain = message.get_body(("plain",))
    rich = message.get_body(("html",))
    assert plain is not None and rich is not None
    return str(plain.get_content()), str(rich.get_content())


def test_build_writes_the_email_files(built: tuple[EmailEdition, Path]) -> None:
    result, target = built
    for name in ("email.html", "email.txt", "email.eml", "email.template"):
        assert (target / name).is_file(), name
    assert (target / "email.html").read_text(encoding="utf-8") == result.html
    assert (target / "email.template").read_bytes() == result.template.data
    assert len(result.html.encode("utf-8")) < LIMIT


def test_sample_message_headers(built: tuple[EmailEdition, Path]) -> None:
    _result, target = built
    message = _parse((target / "email.eml").read_bytes())
    assert message.get_content_type() == "multipart/alternative"
    assert message["From"].addresses[0].addr_spec == "news@harbour.example.org"
    assert message["To"].addresses[0].addr_spec == "reader@example.org"
    assert message["To"].addresses[0].display_name == "Sample Reader"
    assert message["Subject"] == "Harbour Notes: Spring at the Harbour"
    assert message["Reply-To"].addresses[0].addr_spec == "hello@harbour.example.org"
    assert message["Date"].datetime is not None
    assert re.fullmatch(r"<[0-9a-f]{32}@harbour\.example\.org>", message["Message-ID"])
    assert message["Content-Language"] == "en"
    assert message["List-Id"] == "Harbour Notes <news.harbour.example.org>"
    assert message["List-Unsubscribe"] == (
        "<mailto:unsubscribe@harbour.example.org?subject=unsubscribe>,"
        " <https://harbour.example.org/news/unsubscribe?token=SAMPLE>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Archived-At"] == f"<{WEB}>"
    assert message.defects == []


def test_message_lines_and_encoding(built: tuple[EmailEdition, Path]) -> None:
    result, target = built
    data = (target / "email.eml").read_bytes()
    assert data.split(b"\r\n\r\n", 1)[0].isascii()
    assert max(len(line) + 2 for line in _lines(data)) <= 998
    message = _parse(data)
    assert [part["Content-Transfer-Encoding"] for part in message.walk()][1:] == ["8bit", "8bit"]
    plain, rich = _parts(message)
    assert _same_page(rich, result.html)
    assert plain.replace("\r\n", "\n") == result.text
    assert len(data) < 1.1 * (len(result.html.encode()) + len(result.text.encode()))


@pytest.mark.parametrize("tag", ["ar", "zh-Hans"])
def test_non_latin_editions_are_8bit_and_about_their_own_size(config: Config, tag: str) -> None:
    result = render_email(translated_edition(config, tag), config)
    assert SAMPLES[tag].split()[0][:4] in result.html and SAMPLES[tag].split()[0][:4] in result.text
    data = result.template.personalise(reader("Ada Quill"))
    head = data.split(b"\r\n\r\n", 1)[0]
    assert head.isascii() and not data.isascii()
    assert max(len(line) + 2 for line in _lines(data)) <= 998
    message = _parse(data)
    assert message["Content-Language"] == tag
    assert message.defects == [] and all(not part.defects for part in message.walk())
    plain, rich = _parts(message)
    sample = reader("Ada Quill")
    expected_html = result.html.replace(
        "Sample Reader &lt;reader@example.org&gt;", "Ada Quill &lt;ada@example.org&gt;"
    )
    expected_html = expected_html.replace("token=SAMPLE", f"token={sample.unsubscribe_url.rsplit('=', 1)[1]}")
    expected_text = result.text.replace("Sample Reader <reader@example.org>", "Ada Quill <ada@example.org>")
    expected_text = expected_text.replace("token=SAMPLE", "token=A1")
    assert plain.replace("\r\n", "\n") == expected_text
    assert _same_page(rich, expected_html)
    html_size, text_size = len(result.html.encode()), len(result.text.encode())
    assert html_size > 60 * 1024  # long enough for the size to mean something
    assert len(data) < 1.3 * (html_size + text_size)


def test_wrapped_html_lines_and_placeholders(config: Config) -> None:
    result = render_email(translated_edition(config, "zh-Hans"), config)
    body = result.template.data.split(b"\r\n\r\n", 1)[1].decode("utf-8")
    wrapped = body.split('Content-Type: text/html; charset="utf-8"')[1].split("\r\n\r\n", 1)[1]
    wrapped = wrapped.rsplit("\r\n--", 1)[0]
    # Long runs of Chinese text without spaces break inside an empty comment.
    assert "<!--\r\n-->" in wrapped
    for line in wrapped.split("\r\n"):
        if "%%masthead:html." in line:
            assert len(re.sub(r"%%masthead:[a-z.]+%%", "", line)) < 60, line


def test_wrap_html_breaks_only_where_nothing_changes() -> None:
    url = "https://example.org/" + "a" * 900
    style = "<style>p { font-family: 'Noto Sans CJK SC', sans-serif; }</style>"
    page = (
        f'{style}<p class="x" title="{"t " * 200}">{"word " * 300}<a href="{url}">link</a>'
        f"{'中文' * 400}<b>x</b>{'&amp;' * 300}</p>"
        '<p>Sent to <bdi dir="ltr">%%masthead:html.recipient%%</bdi>.'
        ' <a href="%%masthead:html.web%%#id" style="color: red">more</a></p>'
    )
    wrapped = wrap_html(page)
    lines = wrapped.split("\r\n")
    assert max(len(line.encode()) for line in lines) <= 996
    assert _same_page(wrapped, page)
    assert style in wrapped  # not broken inside <style>
    assert any(f'href="{url}"' in line for line in lines)  # nor inside a URL
    assert any(f'title="{"t " * 200}"' in line for line in lines)  # nor inside an attribute value
    assert all(re.fullmatch(r"[^&]*(&amp;)*[^&]*", line) for line in lines)  # nor inside a reference
    assert ">%%masthead:html.recipient%%</bdi" in lines
    assert 'href="%%masthead:html.web%%#id"' in lines
    with pytest.raises(EmailError, match="no safe place to break"):
        wrap_html(f'<img src="https://example.org/{"x" * 1000}">')


def test_wrap_text_keeps_lines_within_the_limit() -> None:
    text = "short line\n" + "word " * 400 + "\n" + "字" * 500 + "\n"
    wrapped = wrap_text(text)
    lines = wrapped.split("\r\n")
    assert max(len(line.encode()) for line in lines) <= 996
    assert "".join(lines).replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert lines[0] == "short line" and lines[-1] == ""


def test_html_is_an_inlined_email_layout(built: tuple[EmailEdition, Path]) -> None:
    result, _target = built
    page = result.html
    assert re.search(r'<html lang="en" dir="ltr"', page)
    assert 'role="presentation"' in page and 'width="600"' in page
    assert "<script" not in page.lower()
    assert not re.search(r"<link[^>]*stylesheet", page, re.IGNORECASE)
    # Only @media rules stay in <style>; everything else went into style attributes.
    for block in re.findall(r"<style[^>]*>(.*?)</style>", page, re.DOTALL):
        assert re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*\s*\}", "", block).strip() == ""
    assert re.search(r'<h1 style="[^"]*font-size: 30px', page)
    assert re.search(r'<p class="summary" style="[^"]*color: #3b464d', page)
    for url in re.findall(r'\s(?:src|href)="([^"]*)"', page):
        assert url.startswith(("https://", "mailto:")), url
    images = re.findall(r"<img\b[^>]*>", page)
    assert images
    for image in images:
        assert re.search(r'\salt="[^"]+"', image), image
        assert 'src="https://harbour.example.org/news/spring/images/' in image
    assert f'href="{WEB}"' in page and f'href="{PDF}"' in page
    assert f'href="{WEB}#boats"' in page
    assert "What changed at the harbour this spring." in page.split('class="preheader"')[1][:300]
    assert "Harbour Friends<br>1 Pier Road, Portside" in page
    assert 'href="https://harbour.example.org/news/unsubscribe?token=SAMPLE"' in page
    assert "港口札记" in page and "Ada Quill" in page


def test_plain_text_from_the_content(built: tuple[EmailEdition, Path]) -> None:
    result, _target = built
    text = result.text
    assert "<" not in text.replace("<reader@example.org>", "")
    assert "The pier reopened on a bright Saturday morning with a map [1]." in text
    assert "[1] https://harbour.example.org/map" in text
    assert f"PDF edition: {PDF}" in text
    assert "  - Volunteers from the rowing club" in text
    assert "Source: Harbour Gazette, 1 March 2026" in text
    assert "Unsubscribe: https://harbour.example.org/news/unsubscribe?token=SAMPLE" in text
    for line in text.splitlines():
        assert len(line) <= 72 or "://" in line, line


def test_plain_text_is_set_in_the_typography_of_its_language(config: Config) -> None:
    # The same quotation marks, dashes and French spaces as the HTML part, not the straight
    # quotes of the source; French no-break spaces are never a place to wrap.
    issue = load_issue(find_issue(config.issues_dir, None), root=config.root)
    sentence = 'The "pier" reopened -- at last: who knew? ' * 4
    english = render_email(Edition(map_texts(issue, lambda _text: sentence), language("en")), config).text
    assert "The \u201cpier\u201d reopened \u2013 at last: who knew?" in english
    assert [line for line in english.splitlines() if '"' in line or " -- " in line] == []
    french = 'Le "ponton" rouvre enfin : qui l\'eût cru ? ' * 4
    text = render_email(Edition(map_texts(issue, lambda _text: french), language("fr")), config).text
    assert "Le \u00ab\u202fponton\u202f\u00bb rouvre enfin\u202f: qui l\u2019e\u00fbt cru\u202f?" in text
    assert '"' not in text
    for line in text.splitlines():
        assert not line.startswith(("\u202f", ":", "?", "\u00bb")), line


def test_personalising_changes_only_the_subscriber_fields(built: tuple[EmailEdition, Path]) -> None:
    result, target = built
    template = load_template(target / "email.template", "en")
    assert template == result.template
    when = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    first = template.personalise(reader("Ada Quill", "ada@example.org", "AAA"), date=when, message_id="<1@x>")
    second = template.personalise(reader("Ben Ward", "ben@example.org", "BBB"), date=when, message_id="<2@x>")
    changed = [
        line
        for line in difflib.unified_diff(first.decode().splitlines(), second.decode().splitlines(), n=0)
        if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))
    ]
    assert changed
    for line in changed:
        assert re.search(r"Ada|Ben|ada@|ben@|AAA|BBB|<1@x>|<2@x>", line), line
    message = _parse(second)
    assert message["To"].addresses[0].display_name == "Ben Ward"
    assert message["Message-ID"] == "<2@x>"
    assert message["Date"].datetime == when
    assert "token=BBB" in message["List-Unsubscribe"]
    plain, rich = _parts(message)
    assert "Ben Ward &lt;ben@example.org&gt;" in rich and "token=BBB" in rich
    assert "Ben Ward <ben@example.org>" in plain and "token=BBB" in plain
    assert "AAA" not in second.decode() and "SAMPLE" not in second.decode()


def test_message_ids_and_dates_differ_per_message(built: tuple[EmailEdition, Path]) -> None:
    template = built[0].template
    one, two = (_parse(template.personalise(reader())) for _ in range(2))
    assert one["Message-ID"] != two["Message-ID"]


def test_names_are_escaped_and_header_injection_refused(built: tuple[EmailEdition, Path]) -> None:
    template = built[0].template
    message = _parse(template.personalise(reader("<b>Eve</b> & Co")))
    _plain, rich = _parts(message)
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; Co" in rich and "<b>Eve</b>" not in rich
    assert message["To"].addresses[0].display_name == "<b>Eve</b> & Co"
    with pytest.raises(RecipientError) as caught:
        template.personalise(reader("Eve\r\nBcc: x@example.org"))
    assert caught.value.field == "name"
    with pytest.raises(RecipientError, match="address"):
        template.personalise(reader(address="eve@example.org\nBcc: x@example.org"))
    with pytest.raises(RecipientError, match="unsubscribe_url"):
        template.personalise(Recipient("eve@example.org", None, "https://x.example/u?t=1\r\nBcc: x"))
    with pytest.raises(RecipientError, match="unsubscribe_url"):
        template.personalise(Recipient("eve@example.org", None, "http://x.example/u"))
    with pytest.raises(RecipientError, match="message_id"):
        template.personalise(reader(), message_id="<a@b>\r\nBcc: x")


def test_non_ascii_names_and_long_urls_stay_valid(built: tuple[EmailEdition, Path]) -> None:
    template = built[0].template
    token = "t" * 300
    recipient = Recipient(
        "zhou@example.org", "周文 Zhou = Wen", f"https://harbour.example.org/u?token={token}",
        web_url="https://harbour.example.org/news/spring/en/index.html?ref=mail&id=7",
    )  # fmt: skip
    data = template.personalise(recipient)
    assert data.split(b"\r\n\r\n", 1)[0].isascii()
    assert max(len(line) + 2 for line in _lines(data)) <= 998
    message = _parse(data)
    assert message["To"].addresses[0].display_name == "周文 Zhou = Wen"
    plain, rich = _parts(message)
    assert "周文 Zhou = Wen <zhou@example.org>" in plain and token in plain
    assert 'href="https://harbour.example.org/news/spring/en/index.html?ref=mail&amp;id=7#boats"' in rich
    assert message.defects == [] and all(not part.defects for part in message.walk())


def test_no_name_uses_the_address(built: tuple[EmailEdition, Path]) -> None:
    message = _parse(built[0].template.personalise(reader(None)))
    assert str(message["To"]) == "ada@example.org"
    assert "ada@example.org" in _parts(message)[0]


def test_long_issue_becomes_leads_under_the_limit(config: Config) -> None:
    issue_dir = config.issues_dir / "spring"
    filler = " ".join(["Another long sentence about the harbour and its boats, again and again."] * 400)
    for name in ("boats.md", "nets.md", "history.md"):
        with (issue_dir / name).open("a", encoding="utf-8") as stream:
            stream.write("\n\n" + "\n\n".join([filler] * 3) + "\n")
    result = render_email(sample_edition(config), config)
    assert len(result.html.encode("utf-8")) < LIMIT
    assert result.teasers
    assert "Read the full article" in result.html
    assert "Read the full article: [" in result.text
    assert f"{WEB}#{result.teasers[0]}" in result.text


def test_right_to_left_edition(config: Config) -> None:
    result = render_email(sample_edition(config, "ar"), config)
    assert re.search(r'<html lang="ar" dir="rtl"', result.html)
    assert 'dir="rtl"' in result.html.split("<body", 1)[1][:200]
    assert re.search(r'<td class="cover" style="[^"]*text-align: right', result.html)
    assert "Noto Naskh Arabic" in result.html
    message = _parse(result.template.personalise(reader()))
    assert message["Content-Language"] == "ar"
    assert "https://harbour.example.org/news/spring/ar/spring.ar.pdf" in result.html


def test_a_paragraph_not_translated_yet_starts_on_its_own_side(config: Config) -> None:
    # The Arabic edition of the sample before any translation: every text is still English.
    waiting = render_email(sample_edition(config, "ar"), config).html
    english = re.findall(r'<(?:p|li|h4)\b[^>]*\bdir="ltr"[^>]*>', waiting)
    assert len(english) > 5 and all("text-align: left" in tag for tag in english), english
    # Translated, the same blocks take the cells' right alignment.
    arabic = render_email(translated_edition(config, "ar"), config).html
    assert "text-align: left" not in arabic.split("<body", 1)[1]


def test_cjk_edition_uses_cjk_fonts(config: Config) -> None:
    result = render_email(sample_edition(config, "zh-Hans"), config)
    assert re.search(r'<html lang="zh-Hans" dir="ltr"', result.html)
    assert re.search(r"font-family: 'Noto Sans CJK SC'", result.html)


def test_cjk_wrapping_by_display_width() -> None:
    text = "灯笼街邻里中心今年三十岁了。" * 12
    wrapped = wrap(text, cjk=True)
    lines = wrapped.splitlines()
    assert len(lines) > 1 and "".join(lines) == text
    assert all(width(line) <= 74 for line in lines)
    assert not any(line.startswith("。") for line in lines)
    assert wrap("灯笼街 Lantern Street 通讯", cjk=True) == "灯笼街 Lantern Street 通讯"


def test_long_unicode_and_html_special_names(config: Config) -> None:
    template = render_email(translated_edition(config, "ar"), config).template
    name = ('أحمد <b>&"Zhou"</b> 周文 🙂 ' * 20)[:200]
    data = template.personalise(reader(name, token="T" * 700))
    assert max(len(line) + 2 for line in _lines(data)) <= 998
    message = _parse(data)
    assert message["To"].addresses[0].display_name == name
    plain, rich = _parts(message)
    assert f"{name} <ada@example.org>" in plain and "T" * 700 in plain
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    assert f"{escaped} &lt;ada@example.org&gt;" in rich and "<b>" not in rich
    assert message.defects == [] and all(not part.defects for part in message.walk())


def test_values_too_long_for_a_line_are_refused(built: tuple[EmailEdition, Path]) -> None:
    template = built[0].template
    # 200 quotation marks are 1,200 octets once escaped: more than a line holds.
    with pytest.raises(RecipientError, match="998") as caught:
        template.personalise(reader('"' * 200))
    assert caught.value.field == "name"
    with pytest.raises(RecipientError, match="998") as caught:
        template.personalise(Recipient("a@example.org", None, "https://x.example/?" + "&" * 780))
    assert caught.value.field == "unsubscribe_url"


def test_a_value_holding_the_boundary_is_refused(built: tuple[EmailEdition, Path]) -> None:
    template = built[0].template
    boundary = re.search(rb'boundary="([^"]+)"', template.data)
    assert boundary
    with pytest.raises(RecipientError, match="boundary") as caught:
        template.personalise(reader("--" + boundary.group(1).decode()))
    assert caught.value.field == "name"


def test_an_old_quoted_printable_template_is_refused() -> None:
    old = b"To: %%masthead:header.to%%\r\n\r\n--b\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nx"
    with pytest.raises(EmailError, match="older masthead"):
        MessageTemplate.parse("en", old)


def test_template_refuses_unknown_placeholders() -> None:
    with pytest.raises(Exception, match="unknown placeholder"):
        MessageTemplate.parse("en", b"To: %%masthead:nope%%\r\n\r\nbody")


def test_an_internationalised_domain_keeps_its_identity_in_the_header(
    built: tuple[EmailEdition, Path],
) -> None:
    # IDNA 2003 would write straße.de as strasse.de, which is another domain with another owner.
    message = _parse(built[0].template.personalise(reader("Ana Lima", "ana@straße.de")))
    (to,) = message["To"].addresses
    assert to.domain == "xn--strae-oqa.de" and to.username == "ana"
    assert normalise_address(to.addr_spec) == "ana@straße.de"
    with pytest.raises(RecipientError, match="non-ASCII local part"):
        built[0].template.personalise(reader(address="zoë@straße.de"))
    with pytest.raises(RecipientError, match="not an email address"):
        built[0].template.personalise(reader(address="ana@-straße.de"))
