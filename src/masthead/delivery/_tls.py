"""The certificate authorities a TLS connection checks a server against: the system's, or those of a
PEM file a setting names (a private authority), read once for every server masthead talks to."""

from __future__ import annotations

import ssl
from pathlib import Path

from .._errors import DeliveryError


def verified_context(cafile: Path | None, *, server: str, setting: str) -> ssl.SSLContext:
    """A context that checks ``server``'s certificate and host name against the system's authorities,
    or against ``cafile``'s; an error naming ``setting`` when the file cannot be read."""
    try:
        return ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise DeliveryError(
            f"cannot read the certificate authorities for the {server}: {reason}",
            path=cafile,
            hint=f"{setting} names a PEM file of CA certificates, relative to the workspace",
        ) from None
