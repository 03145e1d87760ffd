"""The email edition: rendered and inlined once per language, personalised per subscriber by substitution.

:func:`write_email` writes ``email.html``, ``email.txt``, a sample ``email.eml`` and ``email.template``
(the :class:`MessageTemplate`'s bytes) for one language; :func:`load_template` reads the template
back for delivery, which calls :meth:`MessageTemplate.personalise` once per subscriber.

Delivery needs only the message template, so the names that render (and load the theme and the
renderer) are imported on first use (PEP 562).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._message import (
    PLACEHOLDER_SENDER,
    EmailError,
    MessageTemplate,
    Recipient,
    RecipientError,
    load_template,
)

if TYPE_CHECKING:
    from ._edition import EmailEdition, render_email, sample_recipient, write_email
    from ._render import CLIP_BYTES

_LAZY = {
    "CLIP_BYTES": "._render",
    "EmailEdition": "._edition",
    "render_email": "._edition",
    "sample_recipient": "._edition",
    "write_email": "._edition",
}

__all__ = [
    "CLIP_BYTES",
    "PLACEHOLDER_SENDER",
    "EmailEdition",
    "EmailError",
    "MessageTemplate",
    "Recipient",
    "RecipientError",
    "load_template",
    "render_email",
    "sample_recipient",
    "write_email",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
