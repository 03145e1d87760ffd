"""DKIM signatures (RFC 6376) on each message as it leaves: RSA-SHA256, and Ed25519-SHA256 (RFC 8463).

dkimpy does the DKIM work: it canonicalises the header fields (relaxed) and the body (simple), picks
the signed fields bottom-up and hashes them with the signature field, exactly as its verifier (and
every receiver) recomputes them. The private-key operation runs in OpenSSL through ``cryptography``:
dkimpy's own RSA is pure Python and takes about 20 ms a message (``benchmarks/dkim.py``), which would
hold a sender to some 50 messages a second.

The body is hashed once per message and shared by every key, so a second signature (an Ed25519 one
beside the RSA one, or a new selector during a key rollover) costs only the header hash and the
signature itself.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path

import dkim
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa, utils
from dkim.canonicalization import CanonicalizationPolicy

from ..._config import CONFIG_FILE, Config
from ..._errors import DeliveryError

RSA = "rsa-sha256"
ED25519 = "ed25519-sha256"
MIN_RSA_BITS = 1024
"""RFC 8301: verifiers refuse shorter RSA keys. 2048 bits is what a new key should have."""

CANONICALIZATION = b"relaxed/simple"

# The fields a receiver shows or acts on (RFC 6376 5.4.1, RFC 8058 for one-click unsubscribe), in the
# order they are listed in h=. Each is signed in every occurrence.
SIGNED = (
    "from", "to", "subject", "date", "message-id", "reply-to", "list-id", "list-unsubscribe",
    "list-unsubscribe-post", "archived-at", "content-language", "mime-version", "content-type",
    "content-transfer-encoding",
)  # fmt: skip
# Listed once more than they occur, so that a copy of the field added on the way breaks the signature
# (RFC 6376 8.15): nobody can add a second From, or a List-Unsubscribe pointing elsewhere.
OVERSIGNED = (
    "from", "to", "subject", "date", "message-id", "reply-to", "list-id", "list-unsubscribe",
    "list-unsubscribe-post",
)  # fmt: skip

PrivateKey = rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey


@dataclass(frozen=True)
class DkimKey:
    """One signing identity: ``d=domain``, ``s=selector`` and the private key read from ``path``."""

    domain: str
    selector: str
    path: Path
    private_key: PrivateKey = field(repr=False, compare=False)

    @property
    def algorithm(self) -> str:
        return RSA if isinstance(self.private_key, rsa.RSAPrivateKey) else ED25519

    @property
    def bits(self) -> int:
        return self.private_key.key_size if isinstance(self.private_key, rsa.RSAPrivateKey) else 256

    @property
    def dns_name(self) -> str:
        """Where receivers look the public key up: a TXT record at this name."""
        return f"{self.selector}._domainkey.{self.domain}"

    @property
    def dns_record(self) -> str:
        """The TXT record to publish at :attr:`dns_name` (RFC 6376 3.6.1, RFC 8463 4.2)."""
        public = self.private_key.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            data = public.public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            kind = "rsa"
        else:
            data = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            kind = "ed25519"
        return f"v=DKIM1; k={kind}; p={base64.b64encode(data).decode('ascii')}"

    def describe(self) -> str:
        size = f"RSA-{self.bits}" if self.algorithm == RSA else "Ed25519"
        return f"{size} key {self.path.name}, selector {self.selector!r}, domain {self.domain!r}"

    def sign_digest(self, digest: bytes) -> bytes:
        if isinstance(self.private_key, rsa.RSAPrivateKey):
            return self.private_key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
        return self.private_key.sign(digest)


def load_key(path: Path, *, domain: str, selector: str) -> DkimKey:
    """Read a private key: PEM (PKCS#1 or PKCS#8, as ``openssl genpkey`` writes them), or an Ed25519
    key as dkimpy's ``dknewkey`` writes it (the 32-byte seed in base64). Refuse anything else, naming
    the file and saying how to make a usable key."""
    make = (
        "make one with 'openssl genpkey -algorithm ed25519 -out FILE' or"
        " 'openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:2048 -out FILE'"
    )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DeliveryError(
            f"cannot read the DKIM key: {exc.strerror or exc}", path=path, hint=make
        ) from None
    key: object
    if b"-----BEGIN" in data:
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except TypeError:
            raise DeliveryError(
                "the DKIM key is protected by a passphrase, which masthead cannot ask for",
                path=path,
                hint="write a copy without one: 'openssl pkey -in FILE -out NEWFILE'",
            ) from None
        except (ValueError, UnsupportedAlgorithm) as exc:
            raise DeliveryError(f"not a private key in PEM form: {exc}", path=path, hint=make) from None
    else:
        try:
            seed = base64.b64decode(b"".join(data.split()), validate=True)
        except (binascii.Error, ValueError):
            seed = b""
        if len(seed) != 32:
            raise DeliveryError(
                "not a private key: neither PEM nor an Ed25519 key in base64", path=path, hint=make
            )
        key = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < MIN_RSA_BITS:
            raise DeliveryError(
                f"the DKIM key has {key.key_size} bits; receivers ignore RSA keys under {MIN_RSA_BITS}",
                path=path,
                hint=make,
            )
        return DkimKey(domain, selector, path, key)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return DkimKey(domain, selector, path, key)
    raise DeliveryError(
        f"the DKIM key is a {type(key).__name__.removeprefix('_')}; DKIM signs with RSA or Ed25519",
        path=path,
        hint=make,
    )


def signing_domain(config: Config) -> str | None:
    """``[dkim] domain``, else the domain of ``[email] sender``."""
    if config.dkim.domain:
        return config.dkim.domain.lower()
    sender = parseaddr(config.email.sender or "")[1]
    return sender.rpartition("@")[2].lower() or None


def signer_for(config: Config) -> DkimSigner | None:
    """The signer ``[dkim] keys`` ask for, with every key read now, so that a missing or bad key stops
    a campaign before its first message; ``None`` when no key is set."""
    if not config.dkim.keys:
        return None
    domain = signing_domain(config)
    if domain is None:
        raise DeliveryError(
            "[dkim] has keys but no domain to sign for",
            path=config.root / CONFIG_FILE,
            hint="set [dkim] domain, or [email] sender",
        )
    return DkimSigner(
        [
            load_key(config.root / path, domain=domain, selector=selector)
            for selector, path in config.dkim.keys
        ]
    )


def _split(message: bytes) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """The header fields as (name, value with its folding and CRLF) and the body, as dkimpy parses them.

    Only the header block is handed to dkimpy's parser: it splits whatever it gets into lines, and a
    body of 100 KB would cost more than the signature.
    """
    end = message.find(b"\r\n\r\n")
    if end < 0:
        headers, body = dkim.rfc822_parse(message)
    else:
        headers, _ = dkim.rfc822_parse(message[: end + 4])
        body = message[end + 4 :]
    return [(bytes(name), bytes(value)) for name, value in headers], body


def _fold_signature(signature: bytes) -> bytes:
    text = base64.b64encode(signature)
    return b"\r\n ".join(text[i : i + 72] for i in range(0, len(text), 72))


class DkimSigner:
    """Signs messages with each of its keys, the first key's signature on top."""

    def __init__(self, keys: Sequence[DkimKey], *, clock: Callable[[], float] = time.time) -> None:
        if not keys:
            raise ValueError("a DKIM signer needs at least one key")
        self.keys = tuple(keys)
        self._clock = clock
        self._policy = CanonicalizationPolicy.from_c_value(CANONICALIZATION)

    def signed_fields(self, headers: Sequence[tuple[bytes, bytes]]) -> list[bytes]:
        """The h= list for these header fields: each signed field as often as it occurs, plus once
        more for those that must not be added to."""
        counts: dict[bytes, int] = {}
        for field_name, _value in headers:
            lowered = field_name.lower()
            counts[lowered] = counts.get(lowered, 0) + 1
        names: list[bytes] = []
        for name in SIGNED:
            encoded = name.encode("ascii")
            names += [encoded] * (counts.get(encoded, 0) + (name in OVERSIGNED))
        return names

    def signatures(self, message: bytes) -> list[bytes]:
        """The ``DKIM-Signature`` fields for ``message`` (each ending in CRLF), one per key."""
        headers, body = _split(message)
        if not any(name.lower() == b"from" for name, _value in headers):
            raise ValueError("a message without a From field cannot be DKIM-signed")
        body_hash = base64.b64encode(hashlib.sha256(self._policy.canonicalize_body(body)).digest())
        canonical = self._policy.canonicalize_headers(headers)
        signed = self.signed_fields(headers)
        stamp = str(int(self._clock())).encode("ascii")
        fields = []
        for key in self.keys:
            tags = [
                (b"v", b"1"),
                (b"a", key.algorithm.encode("ascii")),
                (b"c", CANONICALIZATION),
                (b"d", key.domain.encode("ascii")),
                (b"s", key.selector.encode("ascii")),
                (b"t", stamp),
                (b"h", b" : ".join(signed)),
                (b"bh", body_hash),
            ]
            # Everything but the signature, folded; b= starts a line of its own, so that what is
            # hashed (b= empty) and what is sent differ only in b='s value.
            unsigned = dkim.fold(b"; ".join(b"=".join(tag) for tag in tags), namelen=16) + b";\r\n b="
            hasher = hashlib.sha256()
            dkim.hash_headers(
                hasher, self._policy, canonical, signed, (b"DKIM-Signature", b" " + unsigned), {}
            )
            signature = key.sign_digest(hasher.digest())
            fields.append(b"DKIM-Signature: " + unsigned + _fold_signature(signature) + b"\r\n")
        return fields

    def sign(self, message: bytes) -> bytes:
        """``message`` with its signatures on top (a signature covers the fields below it only)."""
        return b"".join(self.signatures(message)) + message
