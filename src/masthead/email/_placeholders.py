"""The placeholders a message template holds for each subscriber's fields, by where they stand:
in a header, in the HTML part or in the text part."""

from __future__ import annotations

import re

CRLF = "\r\n"
PREFIX = "%%masthead:"
PLACEHOLDER = re.compile(rb"%%masthead:([a-z.\-]+)%%")
"""A placeholder in the serialised message; the group is its key."""
PLACEHOLDER_TEXT = re.compile(r"%%masthead:[a-z.\-]+%%")
"""A placeholder in text not yet serialised."""
MAX_LINE = 998
"""RFC 5322: a line is at most 998 octets, its CRLF included."""

TO = "header.to"
DATE = "header.date"
MESSAGE_ID = "header.message-id"
HEADER_UNSUBSCRIBE = "header.unsubscribe"
HTML_RECIPIENT = "html.recipient"
HTML_UNSUBSCRIBE = "html.unsubscribe"
HTML_WEB = "html.web"
TEXT_RECIPIENT = "text.recipient"
TEXT_UNSUBSCRIBE = "text.unsubscribe"
TEXT_WEB = "text.web"
HTML_PREFERENCES = "html.preferences"
TEXT_PREFERENCES = "text.preferences"
KEYS = frozenset(
    {TO, DATE, MESSAGE_ID, HEADER_UNSUBSCRIBE, HTML_RECIPIENT, HTML_UNSUBSCRIBE, HTML_WEB}
    | {TEXT_RECIPIENT, TEXT_UNSUBSCRIBE, TEXT_WEB, HTML_PREFERENCES, TEXT_PREFERENCES}
)


def placeholder(key: str) -> str:
    return f"{PREFIX}{key}%%"
