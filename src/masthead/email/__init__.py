"""The email edition: rendered and inlined once per language, personalised per subscriber by substitution.

:func:`write_email` writes ``email.html``, ``email.txt``, a sample ``email.eml`` and ``email.template``
(the :class:`MessageTemplate`'s bytes) for one language; :func:`load_template` reads the template
back for delivery, which calls :meth:`MessageTemplate.personalise` once per subscriber.

Delivery needs only the message template, so the names that render (and load the theme and the
renderer) are imported on first use (PEP 562).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._errors import EmailError, RecipientError
from .._lazy import lazy_attributes
from ._recipient import Recipient
from ._template import PLACEHOLDER_SENDER, MessageTemplate, load_template, sender_domain

if TYPE_CHECKING:
    from ._edition import EmailEdition, render_email, sample_recipient, write_email
    from ._render import CLIP_BYTES

__getattr__, __dir__ = lazy_attributes(
    __name__,
    {
        "._edition": ("EmailEdition", "render_email", "sample_recipient", "write_email"),
        "._render": ("CLIP_BYTES",),
    },
)

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
    "sender_domain",
    "write_email",
]
