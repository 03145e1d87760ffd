"""Mail going out: SMTP (STARTTLS or TLS) and Maildir transports, and DKIM signatures."""

from ._dkim import DkimKey, DkimSigner, load_key, signer_for
from ._transports import (
    PermanentFailure,
    TemporaryFailure,
    Transport,
    TransportFactory,
    transport_factory,
    transport_name,
)

__all__ = [
    "DkimKey",
    "DkimSigner",
    "PermanentFailure",
    "TemporaryFailure",
    "Transport",
    "TransportFactory",
    "load_key",
    "signer_for",
    "transport_factory",
    "transport_name",
]
