"""One language's email edition: rendered and inlined once, serialised as a message template, written.

:func:`write_email` writes ``email.html``, ``email.txt``, a sample ``email.eml`` and ``email.template``
(the :class:`MessageTemplate`'s bytes); delivery reads the template back with :func:`load_template`.
"""

from __future__ import annotations

import gettext
import html
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from .._config import Config
from .._disk import find_written, write_atomic
from .._errors import EmailError
from .._layout import EMAIL_FILES, EMAIL_HTML, EMAIL_SAMPLE, EMAIL_TEXT, PREFERENCES, UNSUBSCRIBE, with_token
from ..editions import Edition, written_in
from ..images import PreparedImages
from ._placeholders import (
    HTML_PREFERENCES,
    HTML_RECIPIENT,
    HTML_UNSUBSCRIBE,
    HTML_WEB,
    TEXT_PREFERENCES,
    TEXT_RECIPIENT,
    TEXT_UNSUBSCRIBE,
    TEXT_WEB,
    placeholder,
)
from ._recipient import Recipient, recipient_line
from ._render import render, urls
from ._template import PLACEHOLDER_SENDER, MessageTemplate, build_template

logger = logging.getLogger("masthead.email")

FILES = EMAIL_FILES


@dataclass(frozen=True)
class EmailEdition:
    """One language's email: the sample HTML and text a reader sees, and the message template."""

    html: str
    """The HTML as the sample recipient receives it (CSS inlined)."""
    text: str
    """The plain-text alternative as the sample recipient receives it."""
    subject: str
    template: MessageTemplate
    teasers: tuple[str, ...] = ()
    """Ids of the articles shown as a lead with a link to the web edition, to stay under the size limit."""


def sample_recipient(config: Config) -> Recipient:
    """The recipient of the sample ``email.eml``."""
    return Recipient(
        address="reader@example.org",
        name="Sample Reader",
        unsubscribe_url=config.base_url + with_token(UNSUBSCRIBE, "SAMPLE"),
        preferences_url=config.base_url + with_token(PREFERENCES, "SAMPLE"),
    )


def _fill(text: str, recipient: Recipient, web: str, *, escape: bool) -> str:
    quote = html.escape if escape else str
    kind = "html" if escape else "text"
    values = {
        HTML_RECIPIENT if escape else TEXT_RECIPIENT: recipient_line(recipient),
        HTML_UNSUBSCRIBE if escape else TEXT_UNSUBSCRIBE: recipient.unsubscribe_url,
        HTML_PREFERENCES if escape else TEXT_PREFERENCES: recipient.preferences_url
        or recipient.unsubscribe_url,
        HTML_WEB if escape else TEXT_WEB: recipient.web_url or web,
    }
    for key, value in values.items():
        assert key.startswith(kind)
        text = text.replace(placeholder(key), quote(value))
    return text


def render_email(
    edition: Edition,
    config: Config,
    translations: gettext.NullTranslations | None = None,
    images: PreparedImages | None = None,
) -> EmailEdition:
    """Render one language's email and serialise its message template; its images are the screen
    copies of ``images``, published with the web edition."""
    try:
        return _render_email(edition, config, translations, images)
    except EmailError as error:
        raise _located(error, config, edition) from None


def _located(error: EmailError, config: Config, edition: Edition) -> EmailError:
    """``error`` with the file and line that hold the text it is about, when they can be found."""
    if error.path is not None or not error.evidence:
        return error
    # The text at fault as a person may have written it: its long attribute values, then its longest
    # unbroken pieces (a relative link is written without the base URL the email puts before it).
    text = html.unescape(error.evidence)
    values = [value[:60] for value in re.findall(r'="([^"]{40,})', text)]
    pieces = sorted(re.split(r'[\s/"=<>]+', text), key=len, reverse=True)
    needles = [text[:80], *values, *(piece[:60] for piece in pieces[:3] if len(piece) >= 12)]
    found = find_written(needles, written_in(config, edition))
    if found is None:
        return error
    located = EmailError(error.message, path=found[0], line=found[1], hint=error.hint)
    located.evidence = error.evidence
    return located


def _render_email(
    edition: Edition,
    config: Config,
    translations: gettext.NullTranslations | None,
    images: PreparedImages | None,
) -> EmailEdition:
    rendered = render(edition, config, translations, images)
    web, _pdf = urls(edition, config)
    settings = config.email
    template = build_template(
        language=edition.language.tag,
        sender=settings.sender or PLACEHOLDER_SENDER,
        reply_to=settings.reply_to,
        subject=rendered.subject,
        list_id=settings.list_id or _list_id(config),
        list_name=config.name,
        unsubscribe_mailto=settings.unsubscribe_mailto,
        web_url=web,
        html_body=rendered.html,
        text_body=rendered.text,
    )
    sample = sample_recipient(config)
    return EmailEdition(
        html=_fill(rendered.html, sample, web, escape=True),
        text=_fill(rendered.text, sample, web, escape=False),
        subject=rendered.subject,
        template=template,
        teasers=rendered.teasers,
    )


def _list_id(config: Config) -> str:
    """A List-Id from the base URL when the settings have none: ``news.example.org``."""
    host = config.base_url.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0]
    path = [part for part in config.base_url.split("://", 1)[1].split("/")[1:] if part]
    return ".".join([*reversed(path), host]) if path else host


def write_email(
    edition: Edition,
    config: Config,
    translations: gettext.NullTranslations | None,
    target: Path,
    images: PreparedImages | None = None,
) -> EmailEdition:
    """Write ``email.html``, ``email.txt``, a sample ``email.eml`` and ``email.template`` in ``target``."""
    result = render_email(edition, config, translations, images)
    write_atomic(target / EMAIL_HTML, result.html)
    write_atomic(target / EMAIL_TEXT, result.text)
    write_atomic(target / EMAIL_SAMPLE, result.template.personalise(sample_recipient(config)))
    write_atomic(target / "email.template", result.template.data)
    logger.info(
        "%s: email %.1f KB HTML, %.1f KB message",
        edition.language.tag,
        len(result.html.encode("utf-8")) / 1024,
        len(result.template.data) / 1024,
    )
    return result
