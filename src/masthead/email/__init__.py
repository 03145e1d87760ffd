"""The email edition: rendered and inlined once per language, personalised per subscriber by substitution.

:func:`write_email` writes ``email.html``, ``email.txt``, a sample ``email.eml`` and ``email.template``
(the :class:`MessageTemplate`'s bytes) for one language; :func:`load_template` reads the template
back for delivery, which calls :meth:`MessageTemplate.personalise` once per subscriber.

Delivery needs only the message template, so the names that render (and load the theme and the
renderer) are imported on first use (PEP 562).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._errors import EmailError as EmailError, RecipientError as RecipientError
from .._lazy import lazy_attributes
from ._recipient import Recipient as Recipient
from ._template import (
    PLACEHOLDER_SENDER as PLACEHOLDER_SENDER,
    MessageTemplate as MessageTemplate,
    load_template as load_template,
    sender_domain as sender_domain,
)

if TYPE_CHECKING:
    from ._edition import (
        EmailEdition as EmailEdition,
        render_email as render_email,
        sample_recipient as sample_recipient,
        write_email as write_email,
    )
    from ._render import CLIP_BYTES as CLIP_BYTES

__getattr__, __dir__, __all__ = lazy_attributes(__name__)
