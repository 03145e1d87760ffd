"""One rule for email addresses, wherever masthead reads or writes one: email-validator's."""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email


def bad_characters(value: str) -> str | None:
    """A description of the first line break or control character in ``value``, or ``None``."""
    for char in value:
        if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            kind = "a line break" if char in "\r\n\v\f\x85\u2028\u2029" else "a control character"
            return f"{kind} (U+{ord(char):04X})"
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
