"""Unsubscribe tokens: an HMAC-SHA256 of the address and the campaign under a secret from the environment."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from .._config import Config
from .._errors import DeliveryError

_PURPOSE = b"masthead-unsubscribe-v1\n"


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _key(secret: str | bytes) -> bytes:
    return secret.encode("utf-8") if isinstance(secret, str) else secret


def _mac(payload: bytes, secret: str | bytes) -> bytes:
    return hmac.new(_key(secret), _PURPOSE + payload, hashlib.sha256).digest()


def make_unsubscribe_token(address: str, campaign: str, secret: str | bytes) -> str:
    """A URL-safe token naming ``address`` and ``campaign`` that only the holder of ``secret`` can make."""
    payload = f"{address}\n{campaign}".encode()
    return f"{_encode(payload)}.{_encode(_mac(payload, secret))}"


def verify_unsubscribe_token(token: str, secret: str | bytes) -> tuple[str, str] | None:
    """``(address, campaign)`` if ``token`` was made with ``secret``; ``None`` if forged or altered."""
    if not isinstance(token, str) or token.count(".") != 1 or len(token) > 2048:
        return None
    body, signature = token.split(".")
    try:
        payload = _decode(body)
        mac = _decode(signature)
        address, campaign = payload.decode("utf-8").split("\n")
    except (binascii.Error, ValueError):
        return None
    if not hmac.compare_digest(mac, _mac(payload, secret)):
        return None
    # Reject the non-canonical spellings base64 tolerates, so one message has exactly one valid token.
    if _encode(payload) != body or _encode(mac) != signature:
        return None
    return address, campaign


def secret_from_environment(config: Config) -> str:
    """The signing secret, from the environment variable that ``[delivery] secret_env`` names."""
    name = config.delivery.secret_env
    secret = os.environ.get(name, "")
    if len(secret) < 16:
        raise DeliveryError(
            f"the environment variable {name} is {'too short' if secret else 'not set'}; it holds the secret"
            " that signs unsubscribe links",
            hint=f"set it to a long random value and keep it: export {name}=$(python3 -c"
            " 'import secrets; print(secrets.token_urlsafe(32))')",
        )
    return secret
