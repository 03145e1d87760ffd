"""DKIM signatures on real messages of three scripts, checked by dkimpy's verifier."""

from __future__ import annotations

import base64
import email
import email.policy
from collections.abc import Callable
from pathlib import Path

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

import masthead
from masthead._config import Config
from masthead._doctor import dkim_checks
from masthead.delivery import DeliveryError, plan_campaign, send_campaign
from masthead.delivery.outbound import DkimKey, DkimSigner, load_key
from masthead.email import render_email

from .email_editions import email_config, reader, sample_edition, translated_edition
from .mail import SevenBitSink, Sink, make_workspace, serve, subscribe

DOMAIN = "harbour.example.org"
PEM = serialization.Encoding.PEM
NO_PASSWORD = serialization.NoEncryption()


@pytest.fixture(scope="module")
def key_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An RSA-2048 key (PKCS#1, as older tools write it), an Ed25519 key (PKCS#8, as
    'openssl genpkey' writes it) and an Ed25519 key as dkimpy's dknewkey writes it."""
    folder = tmp_path_factory.mktemp("keys")
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ed_key = ed25519.Ed25519PrivateKey.generate()
    files = {
        "rsa": rsa_key.private_bytes(PEM, serialization.PrivateFormat.TraditionalOpenSSL, NO_PASSWORD),
        "ed25519": ed_key.private_bytes(PEM, serialization.PrivateFormat.PKCS8, NO_PASSWORD),
        "seed": base64.b64encode(
            ed25519.Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.Raw, serialization.PrivateFormat.Raw, NO_PASSWORD
            )
        )
        + b"\n",
    }
    paths = {}
    for name, data in files.items():
        paths[name] = folder / f"{name}.key"
        paths[name].write_bytes(data)
    return paths


def _keys(key_files: dict[str, Path], *names: str) -> list[DkimKey]:
    return [load_key(key_files[name], domain=DOMAIN, selector=f"{name}2026") for name in names]


def _dns(keys: list[DkimKey]) -> Callable[..., bytes | None]:
    """What a resolver would answer: the TXT record of each published key, nothing for the rest."""
    records = {f"{key.dns_name}.".encode(): key.dns_record.encode() for key in keys}

    def lookup(name: bytes, timeout: int = 5) -> bytes | None:
        return records.get(name)

    return lookup


def _verify(message: bytes, keys: list[DkimKey]) -> list[bool]:
    """dkimpy's verdict on each signature of ``message``, top to bottom."""
    count = sum(1 for line in message.split(b"\r\n") if line.lower().startswith(b"dkim-signature:"))
    verdicts = []
    for index in range(count):
        try:
            verdicts.append(bool(dkim.DKIM(message).verify(idx=index, dnsfunc=_dns(keys))))
        except dkim.DKIMException:  # what dkim.verify() turns into False, for the first signature only
            verdicts.append(False)
    return verdicts


@pytest.fixture
def config(workspace: Path) -> Config:
    return email_config(workspace)


def _message(config: Config, tag: str) -> bytes:
    edition = sample_edition(config) if tag == "en" else translated_edition(config, tag)
    return render_email(edition, config).template.personalise(reader("Ana Lima · 李安娜"))


@pytest.mark.parametrize("tag", ["en", "zh-Hans", "ar"])
@pytest.mark.parametrize("names", [("rsa",), ("ed25519",), ("rsa", "ed25519", "seed")])
def test_signatures_verify_on_8bit_messages(
    config: Config, key_files: dict[str, Path], tag: str, names: tuple[str, ...]
) -> None:
    keys = _keys(key_files, *names)
    message = _message(config, tag)
    assert not message.split(b"\r\n\r\n", 1)[1].isascii()  # an 8bit body, sent as it is
    signed = DkimSigner(keys).sign(message)
    assert signed.endswith(message)
    assert _verify(signed, keys) == [True] * len(keys)
    parsed = email.message_from_bytes(signed, policy=email.policy.SMTP)
    fields = parsed.get_all("DKIM-Signature") or []
    algorithms = [dkim.util.parse_tag_value(str(f).encode())[b"a"].decode() for f in fields]
    assert algorithms == [key.algorithm for key in keys]
    assert algorithms[0] == ("rsa-sha256" if names[0] == "rsa" else "ed25519-sha256")
    tags = dkim.util.parse_tag_value(str(fields[0]).encode())
    signed_fields = [name.strip() for name in tags[b"h"].decode().split(":")]
    for name in ("from", "subject", "list-unsubscribe", "list-unsubscribe-post", "content-type"):
        assert name in signed_fields
    assert tags[b"s"] == f"{names[0]}2026".encode() and tags[b"d"] == DOMAIN.encode()
    assert max(len(line) for line in signed.split(b"\r\n")) <= 998


def test_a_changed_or_added_field_or_body_fails(config: Config, key_files: dict[str, Path]) -> None:
    keys = _keys(key_files, "rsa", "ed25519")
    signed = DkimSigner(keys).sign(_message(config, "zh-Hans"))
    head, body = signed.split(b"\r\n\r\n", 1)
    changed_body = head + b"\r\n\r\n" + body.replace("灯笼街".encode(), "灯笼巷".encode(), 1)
    assert body != changed_body.split(b"\r\n\r\n", 1)[1]
    assert _verify(changed_body, keys) == [False, False]
    # A List-Unsubscribe added above the real one, pointing elsewhere. Receivers read the topmost;
    # verifiers select fields bottom-up, so only signing the field once more than it occurs (its
    # absence) catches it.
    added = b"List-Unsubscribe: <https://attacker.example.net/u>\r\n" + signed
    assert _verify(added, keys) == [False, False]
    assert _verify(signed, keys) == [True, True]


def test_the_signature_fits_what_receivers_expect(config: Config, key_files: dict[str, Path]) -> None:
    (key,) = _keys(key_files, "rsa")
    assert key.algorithm == "rsa-sha256" and key.bits == 2048
    assert key.dns_name == f"rsa2026._domainkey.{DOMAIN}"
    assert key.dns_record.startswith("v=DKIM1; k=rsa; p=MII")
    (ed,) = _keys(key_files, "seed")
    assert ed.algorithm == "ed25519-sha256" and ed.dns_record.startswith("v=DKIM1; k=ed25519; p=")
    assert len(base64.b64decode(ed.dns_record.rsplit("p=", 1)[1])) == 32
    stamped = DkimSigner([key], clock=lambda: 1_900_000_000.0).sign(_message(config, "en"))
    field = stamped.split(b"\r\nFrom:", 1)[0]
    assert b"t=1900000000" in field
    assert all(len(line) <= 78 for line in field.split(b"\r\n"))


def test_unusable_keys_are_refused_with_the_file_named(tmp_path: Path) -> None:
    def refused(data: bytes | None, expected: str) -> None:
        path = tmp_path / "dkim.key"
        if data is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(data)
        with pytest.raises(DeliveryError) as caught:
            load_key(path, domain=DOMAIN, selector="s1")
        assert expected in caught.value.message
        assert caught.value.path == path
        assert caught.value.hint and "openssl" in caught.value.hint

    refused(None, "cannot read the DKIM key")
    refused(b"not a key at all\n", "neither PEM nor an Ed25519 key")
    ec_key = ec.generate_private_key(ec.SECP256R1())
    refused(ec_key.private_bytes(PEM, serialization.PrivateFormat.PKCS8, NO_PASSWORD), "RSA or Ed25519")
    locked = ed25519.Ed25519PrivateKey.generate().private_bytes(
        PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"passphrase")
    )
    refused(locked, "passphrase")
    public = ed25519.Ed25519PrivateKey.generate().public_key()
    refused(
        public.public_bytes(PEM, serialization.PublicFormat.SubjectPublicKeyInfo), "not a private key in PEM"
    )


def _signing_workspace(tmp_path: Path, port: int, key_files: dict[str, Path]) -> Path:
    ws = make_workspace(tmp_path / "ws", port)
    (ws / "dkim").mkdir()
    for name in ("rsa", "ed25519"):
        (ws / "dkim" / f"{name}.key").write_bytes(key_files[name].read_bytes())
    with (ws / "masthead.toml").open("a", encoding="utf-8") as stream:
        stream.write('\n[dkim]\nkeys = { rsa2026 = "dkim/rsa.key", ed2026 = "dkim/ed25519.key" }\n')
    subscribe(ws, 6)
    return ws


def _published(key_files: dict[str, Path]) -> list[DkimKey]:
    """The keys as receivers know them: the sender's domain, the selectors of the settings."""
    return [
        load_key(key_files["rsa"], domain=DOMAIN, selector="rsa2026"),
        load_key(key_files["ed25519"], domain=DOMAIN, selector="ed2026"),
    ]


@pytest.mark.parametrize("server", [Sink, SevenBitSink])
def test_a_campaign_signs_each_message_as_it_goes_out(
    tmp_path: Path, key_files: dict[str, Path], secret: str, server: type[Sink]
) -> None:
    for sink, port in serve(server()):
        ws = _signing_workspace(tmp_path, port, key_files)
        report = send_campaign(masthead.load_config(ws), "spring")
        assert report.sent == 6
        for _rcpts, data in sink.received:
            # Signed after any conversion to 7 bits, so the signature covers what the server got.
            assert data.isascii() == (server is SevenBitSink)
            assert _verify(data, _published(key_files)) == [True, True]


def test_a_trial_run_to_disk_is_signed_too(tmp_path: Path, key_files: dict[str, Path], secret: str) -> None:
    ws = _signing_workspace(tmp_path, 25, key_files)
    report = send_campaign(masthead.load_config(ws), "spring", transport="maildir")
    assert report.sent == 6
    written = [path.read_bytes() for path in (ws / "outbox" / "new").iterdir()]
    assert len(written) == 6
    assert all(_verify(data, _published(key_files)) == [True, True] for data in written)


def test_a_missing_key_stops_the_campaign_before_it_starts(
    tmp_path: Path, key_files: dict[str, Path], secret: str
) -> None:
    for sink, port in serve(Sink()):
        ws = _signing_workspace(tmp_path, port, key_files)
        (ws / "dkim" / "ed25519.key").unlink()
        with pytest.raises(DeliveryError) as caught:
            plan_campaign(masthead.load_config(ws), "spring")
        assert caught.value.path == ws / "dkim" / "ed25519.key"
        with pytest.raises(DeliveryError):
            send_campaign(masthead.load_config(ws), "spring")
        assert sink.count() == 0


def test_doctor_shows_each_key_and_the_record_to_publish(tmp_path: Path, key_files: dict[str, Path]) -> None:
    ws = _signing_workspace(tmp_path, 25, key_files)
    checks = {check.name: check for check in dkim_checks(masthead.load_config(ws))}
    rsa_key, ed_key = _published(key_files)
    assert checks["DKIM key rsa2026"].ok and checks["DKIM key ed2026"].ok
    assert f"publish at rsa2026._domainkey.{DOMAIN} the TXT record" in checks["DKIM key rsa2026"].detail
    assert rsa_key.dns_record in checks["DKIM key rsa2026"].detail
    assert ed_key.dns_record in checks["DKIM key ed2026"].detail
    assert "RSA-2048 key rsa.key" in checks["DKIM key rsa2026"].detail

    with (ws / "masthead.toml").open("a", encoding="utf-8") as stream:
        stream.write('domain = "elsewhere.example.net"\n')  # [dkim] is the last table
    checks = {check.name: check for check in dkim_checks(masthead.load_config(ws))}
    assert not checks["DKIM domain elsewhere.example.net"].ok
    assert "DMARC will not count" in checks["DKIM domain elsewhere.example.net"].detail

    (ws / "dkim" / "rsa.key").write_text("garbage\n", encoding="utf-8")
    (check,) = dkim_checks(masthead.load_config(ws))
    assert not check.ok and "dkim/rsa.key" in check.detail and "neither PEM nor" in check.detail
