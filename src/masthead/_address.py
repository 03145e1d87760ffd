"""One rule for email addresses, wherever masthead reads or writes one: email-validator's."""

from __future__ import annotations

import re
import unicodedata
from email.errors import HeaderParseError
from email.header import decode_header, make_header

from email_validator import EmailNotValidError, validate_email


def bad_characters(value: str) -> str | None:
    """A description of the first line break or control character in ``value``, or ``None``."""
    for char in value:
        if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            kind = "a line break" if char in "\r\n\v\f\x85\u2028\u2029" else "a control character"
            return f"{kind} (U+{ord(char):04X})"
    return None


_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
"""An RFC 2047 encoded word (``=?utf-8?q?...?=``), which a mail program decodes in a header."""


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a recipient's name in a header, or ``None``: a line break or control
    character, written out or hidden in an encoded word that a mail program would decode."""
    problem = bad_characters(name)
    if problem:
        return problem
    for word in _ENCODED_WORD.findall(name):
        try:
            decoded = str(make_header(decode_header(word)))
        except (HeaderParseError, LookupError, UnicodeError, ValueError):
            return f"an encoded word that does not decode ({word[:40]})"
        problem = bad_characters(decoded)
        if problem:
            return f"{problem} inside an encoded word ({word[:40]})"
    return None


def normalise_address(address: str) -> str:
    """The normalised form of ``address`` (an internationalised domain stays in Unicode, as
    IDNA 2008 writes it); ``ValueError`` with the reason if it is not valid."""
    problem = bad_characters(address)
    if problem:
        raise ValueError(f"the address contains {problem}")
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"invalid address {address.strip()!r}: {exc}") from None


def header_address(address: str) -> str:
    """``address`` as an ASCII header writes it: the same domain in its IDNA 2008 form
    (``straße.de`` is ``xn--strae-oqa.de``, never ``strasse.de``, which is another domain)."""
    problem = bad_characters(address)
    if problem:
        raise ValueError(f"the address contains {problem}")
    try:
        checked = validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"{address.strip()!r} is not an email address: {exc}") from None
    if checked.ascii_email is None:
        raise ValueError(f"{address!r} has a non-ASCII local part (needs SMTPUTF8)")
    return str(checked.ascii_email)
