"""The confirmation email of a sign-up: text and HTML in the reader's language, through the transport."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr

import css_inline

from .._config import Config
from .._errors import DeliveryError
from .._language import Language
from ..delivery.outbound import PermanentFailure, TemporaryFailure, transport_factory
from ..email import PLACEHOLDER_SENDER, sender_domain
from ._pages import Pages

logger = logging.getLogger("masthead.web")

_inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def sender(config: Config) -> str:
    """The From of confirmation emails: the newsletter's sender (a placeholder until it is set,
    which only a Maildir transport accepts)."""
    if config.email.sender is None and config.delivery.transport == "smtp":
        raise DeliveryError(
            "[email] sender is not set: confirmation emails cannot be sent by SMTP",
            hint='set sender = "Name <address>" under [email] in masthead.toml',
        )
    return config.email.sender or PLACEHOLDER_SENDER


def compose(
    pages: Pages,
    config: Config,
    language: Language,
    address: str,
    name: str | None,
    confirm_url: str,
    expires: datetime,
) -> EmailMessage:
    """The confirmation email: one link that confirms, and what to do if the reader did not ask."""
    newsletter = config.name_for(language)
    context = {"name": name, "address": address, "confirm_url": confirm_url, "newsletter": newsletter}
    html = _inliner.inline(pages.render("confirm_email.html", language, expires=expires, **context))
    text = pages.render("confirm_email.txt", language, expires=expires, **context)
    message = EmailMessage()
    from_ = sender(config)
    message["From"] = from_
    message["To"] = formataddr((name, address)) if name else address
    message["Subject"] = pages.gettext(language, "Please confirm your subscription to %(newsletter)s") % {
        "newsletter": newsletter
    }
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=sender_domain(from_))
    message["Auto-Submitted"] = "auto-generated"
    if config.email.reply_to:
        message["Reply-To"] = config.email.reply_to
    message.set_content(text, cte="8bit")
    message.add_alternative(html, subtype="html", cte="8bit")
    message["Content-Language"] = language.tag  # after the body: set_content drops Content-* headers
    return message


def send(config: Config, message: EmailMessage) -> bool:
    """Send one confirmation email through the configured transport; log and return ``False`` when
    it could not go (the reader sees the same page either way, and can ask again)."""
    envelope_from = parseaddr(str(message["From"]))[1]
    recipient = parseaddr(str(message["To"]))[1]
    try:
        transport = transport_factory(config, None).open()
        try:
            transport.send(envelope_from, recipient, message.as_bytes())
        finally:
            transport.close()
    except (TemporaryFailure, PermanentFailure, DeliveryError) as exc:
        logger.warning("confirmation email not sent: %s", exc)
        return False
    logger.info("confirmation email sent (%s)", message["Content-Language"])
    return True
