"""Mail going out: SMTP (STARTTLS or TLS) and Maildir transports, and DKIM signatures."""

from ._dkim import DkimKey, DkimSigner, load_key, signer_for
from ._transports import (
    MESSAGE,
    RECIPIENT,
    SESSION,
    PermanentFailure,
    TemporaryFailure,
    Transport,
    TransportFactory,
    refusal_about,
    transport_factory,
    transport_name,
)

__all__ = [
    "MESSAGE",
    "RECIPIENT",
    "SESSION",
    "DkimKey",
    "DkimSigner",
    "PermanentFailure",
    "TemporaryFailure",
    "Transport",
    "TransportFactory",
    "load_key",
    "refusal_about",
    "signer_for",
    "transport_factory",
    "transport_name",
]
