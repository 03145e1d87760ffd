"""Personalised, serialised messages per second: the message template against the naive way.

Prints, side by side in one run, for the example issue (the repository's own workspace):
- template: render and inline once, serialise the MIME message once, then per subscriber
  :meth:`MessageTemplate.personalise` (substitution into the serialised bytes);
- naive: per subscriber, render the theme template, inline the CSS, render the text and build and
  serialise an :class:`email.message.EmailMessage` (8bit bodies, like the template's);
- then each language's built template (``build/<slug>/<lang>/email.template``, from ``masthead
  build``): messages per second and the size of a message, which for a non-Latin edition shows the
  8bit bodies' gain.

    .venv/bin/python benchmarks/personalise.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

from masthead._config import Config, load_config
from masthead.editions import Edition, source_edition
from masthead.email import Recipient, load_template, render_email
from masthead.email._placeholders import (
    HTML_RECIPIENT,
    HTML_UNSUBSCRIBE,
    HTML_WEB,
    TEXT_RECIPIENT,
    TEXT_UNSUBSCRIBE,
    TEXT_WEB,
    placeholder,
)
from masthead.email._recipient import recipient_line
from masthead.email._render import render_html, render_text, urls
from masthead.sources import find_issue, load_issue

ROOT = Path(__file__).resolve().parent.parent


def recipients(count: int, config: Config) -> list[Recipient]:
    return [
        Recipient(
            f"reader{n}@example.org",
            f"Reader Number {n}",
            f"{config.base_url}unsubscribe?token={n:032x}",
        )
        for n in range(count)
    ]


def naive(edition: Edition, config: Config, recipient: Recipient, subject: str) -> bytes:
    """Everything per subscriber: render, inline, text, MIME build and serialise."""
    web, _pdf = urls(edition, config)
    page = render_html(edition, config, None)
    text = render_text(edition, config, None)
    shown = recipient_line(recipient)
    for key, value in ((HTML_RECIPIENT, shown), (HTML_UNSUBSCRIBE, recipient.unsubscribe_url)):
        page = page.replace(placeholder(key), value.replace("&", "&amp;").replace("<", "&lt;"))
    page = page.replace(placeholder(HTML_WEB), web)
    for key, value in ((TEXT_RECIPIENT, shown), (TEXT_UNSUBSCRIBE, recipient.unsubscribe_url)):
        text = text.replace(placeholder(key), value)
    text = text.replace(placeholder(TEXT_WEB), web)
    message = EmailMessage(policy=SMTP)
    message["From"] = config.email.sender
    message["To"] = formataddr((recipient.name, recipient.address))
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain="example.org")
    message["Content-Language"] = edition.language.tag
    message["List-Id"] = f"{config.name} <{config.email.list_id}>"
    message["List-Unsubscribe"] = f"<{recipient.unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text, cte="8bit")
    message.add_alternative(page, subtype="html", cte="8bit")
    return message.as_bytes()


def rate(work: list[Recipient], send: object, seconds: float) -> tuple[float, int, int]:
    """Messages per second for ``send`` over ``work``, running for about ``seconds``."""
    done = size = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        for recipient in work:
            size = len(send(recipient))  # type: ignore[operator]
            done += 1
            if done % 50 == 0 and time.perf_counter() - started >= seconds:
                break
    return done / (time.perf_counter() - started), done, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time for each side")
    args = parser.parse_args()
    config = load_config(ROOT)
    issue = load_issue(find_issue(config.issues_dir, None), root=config.root)
    edition = source_edition(issue, config.source_language)

    started = time.perf_counter()
    result = render_email(edition, config)
    once = time.perf_counter() - started
    template = result.template
    work = recipients(2000, config)

    fast, fast_count, fast_size = rate(work, template.personalise, args.seconds)
    slow, slow_count, slow_size = rate(
        work, lambda r: naive(edition, config, r, result.subject), args.seconds
    )
    print(f"issue {issue.slug} ({edition.language.tag}): HTML {len(result.html.encode()) / 1024:.1f} KB")
    print(f"render, inline and serialise once: {once * 1000:.0f} ms")
    print(f"template  {fast:10,.0f} msgs/s  ({fast_count:,} messages, {fast_size / 1024:.1f} KB each)")
    print(f"naive     {slow:10,.0f} msgs/s  ({slow_count:,} messages, {slow_size / 1024:.1f} KB each)")
    print(f"ratio     {fast / slow:10,.0f} x")

    built = config.output / issue.slug
    for path in sorted(built.glob("*/email.template")):
        tag = path.parent.name
        built_template = load_template(path, tag)
        speed, _count, size = rate(work, built_template.personalise, min(args.seconds, 1.0))
        html_size = (path.parent / "email.html").stat().st_size + (path.parent / "email.txt").stat().st_size
        print(
            f"built {tag:8} {speed:10,.0f} msgs/s  ({size / 1024:.1f} KB each,"
            f" {size / html_size:.2f} x its HTML and text)"
        )


if __name__ == "__main__":
    main()
