"""Unsubscribe tokens: a subscriber's public id and the campaign, signed with HMAC-SHA256.

A token is ``<payload>.<signature>``, both URL-safe base64 without padding. The payload is
``<public id>\\n<campaign>``: the public id is a random value the store gives each subscriber
(:func:`masthead.delivery.store.new_public_id`), so a token carries no address, name or anything else
personal, and says nothing even to someone who decodes it from a URL or a server's log. The signature
is an HMAC-SHA256 of the payload under a secret from the environment, so no one without the secret
can make or alter a token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from ..._config import Config
from ..._errors import DeliveryError

_PURPOSE = b"masthead-unsubscribe-v2\n"
MIN_SECRET_LENGTH = 16
_PUBLIC_ID = re.compile(r"[0-9a-f]{8,64}")


@dataclass(frozen=True)
class UnsubscribeRequest:
    """What a valid token asks for: unsubscribe the subscriber with ``public_id``, who got ``campaign``."""

    public_id: str
    campaign: str


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _key(secret: str | bytes) -> bytes:
    return secret.encode("utf-8") if isinstance(secret, str) else secret


def _mac(payload: bytes, secret: str | bytes) -> bytes:
    return hmac.new(_key(secret), _PURPOSE + payload, hashlib.sha256).digest()


def make_unsubscribe_token(public_id: str, campaign: str, secret: str | bytes) -> str:
    """A URL-safe token naming the subscriber ``public_id`` and ``campaign``, that only the holder of
    ``secret`` can make."""
    if not _PUBLIC_ID.fullmatch(public_id):
        raise ValueError(f"not a subscriber's public id: {public_id!r}")
    if "\n" in campaign:
        raise ValueError("a campaign name cannot contain a line break")
    payload = f"{public_id}\n{campaign}".encode()
    return f"{_encode(payload)}.{_encode(_mac(payload, secret))}"


def verify_unsubscribe_token(token: str, secret: str | bytes) -> UnsubscribeRequest | None:
    """The request ``token`` carries if it was made with ``secret``; ``None`` if forged or altered."""
    if not isinstance(token, str) or token.count(".") != 1 or len(token) > 2048:
        return None
    body, signature = token.split(".")
    try:
        payload = _decode(body)
        mac = _decode(signature)
        public_id, campaign = payload.decode("utf-8").split("\n")
    except (binascii.Error, ValueError):
        return None
    if not hmac.compare_digest(mac, _mac(payload, secret)):
        return None
    # Reject the non-canonical spellings base64 tolerates, so one message has exactly one valid token.
    if _encode(payload) != body or _encode(mac) != signature or not _PUBLIC_ID.fullmatch(public_id):
        return None
    return UnsubscribeRequest(public_id, campaign)


def secret_from_environment(config: Config) -> str:
    """The signing secret, from the environment variable that ``[delivery] secret_env`` names."""
    name = config.delivery.secret_env
    secret = os.environ.get(name, "")
    if len(secret) < MIN_SECRET_LENGTH:
        state = (
            f"too short ({len(secret)} characters; it needs at least {MIN_SECRET_LENGTH})"
            if secret
            else "not set"
        )
        raise DeliveryError(
            f"the environment variable {name} is {state}; it holds the secret that signs unsubscribe links",
            hint=f"set it to a long random value and keep it: export {name}=$(python3 -c"
            " 'import secrets; print(secrets.token_urlsafe(32))')",
        )
    return secret


# -- sealed values with an expiry, and a key ring for rotating the secret ------------------------------


@dataclass(frozen=True)
class Keyring:
    """The secret that signs, and the earlier secrets that are still accepted while links made with
    them are in circulation (a rotation: set the new secret, move the old one to ``previous``)."""

    current: str | bytes
    previous: tuple[str | bytes, ...] = ()

    def all(self) -> tuple[str | bytes, ...]:
        return (self.current, *self.previous)


def keyring_from_environment(config: Config) -> Keyring:
    """The secret from ``[delivery] secret_env``, and earlier ones, separated by spaces, from the
    variable of the same name with ``_PREVIOUS`` appended (``MASTHEAD_SECRET_PREVIOUS``)."""
    current = secret_from_environment(config)
    name = f"{config.delivery.secret_env}_PREVIOUS"
    previous = tuple(os.environ.get(name, "").split())
    short = [index for index, value in enumerate(previous, start=1) if len(value) < MIN_SECRET_LENGTH]
    if short:
        raise DeliveryError(
            f"the environment variable {name} holds a secret shorter than {MIN_SECRET_LENGTH} characters"
            f" (number {short[0]})",
            hint=f"it lists earlier values of {config.delivery.secret_env}, separated by spaces",
        )
    return Keyring(current, previous)


def open_unsubscribe_token(token: str, keyring: Keyring) -> UnsubscribeRequest | None:
    """:func:`verify_unsubscribe_token` under every secret of ``keyring``, the current one first."""
    for secret in keyring.all():
        request = verify_unsubscribe_token(token, secret)
        if request is not None:
            return request
    return None


def seal(purpose: str, fields: tuple[str, ...], secret: str | bytes) -> str:
    """``fields`` signed for one ``purpose`` (a token made for one purpose never passes for another)."""
    if any("\n" in value for value in fields):
        raise ValueError("a sealed field cannot contain a line break")
    payload = "\n".join(fields).encode("utf-8")
    mac = hmac.new(_key(secret), f"masthead-{purpose}\n".encode() + payload, hashlib.sha256).digest()
    return f"{_encode(payload)}.{_encode(mac)}"


def unseal(purpose: str, token: str, keyring: Keyring, count: int) -> tuple[str, ...] | None:
    """The ``count`` fields sealed in ``token`` for ``purpose`` under a secret of ``keyring``, or
    ``None`` when it was forged, altered, or made for something else."""
    if not isinstance(token, str) or token.count(".") != 1 or len(token) > 2048:
        return None
    body = token.split(".")[0]
    try:
        payload = _decode(body)
        fields = tuple(payload.decode("utf-8").split("\n"))
    except (binascii.Error, ValueError):
        return None
    for secret in keyring.all():
        if hmac.compare_digest(seal(purpose, fields, secret) if len(fields) == count else "", token):
            return fields
    return None


@dataclass(frozen=True)
class ConfirmRequest:
    """What a valid confirmation link asks for: confirm the pending sign-up ``signup``."""

    signup: str
    expires: datetime

    def expired(self, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) >= self.expires


def make_confirm_token(signup: str, expires: datetime, secret: str | bytes) -> str:
    """The token of a confirmation link: the sign-up's random id and when the link stops working."""
    if not _PUBLIC_ID.fullmatch(signup):
        raise ValueError(f"not a sign-up id: {signup!r}")
    return seal("confirm-v1", (signup, str(int(expires.timestamp()))), secret)


def open_confirm_token(token: str, keyring: Keyring) -> ConfirmRequest | None:
    """The request in a confirmation token made under ``keyring``; ``None`` if forged or altered.
    An expired token is returned (say so to the reader rather than call it forged)."""
    fields = unseal("confirm-v1", token, keyring, 2)
    if fields is None or not _PUBLIC_ID.fullmatch(fields[0]) or not fields[1].isdigit():
        return None
    return ConfirmRequest(fields[0], datetime.fromtimestamp(int(fields[1]), UTC))
