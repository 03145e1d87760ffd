"""What DKIM signing costs per message, beside what making the message costs.

The example issue's email in three editions is personalised for a few hundred readers; each message
is then signed with an RSA-2048 key, an Ed25519 key, and both. masthead's signer (dkimpy's
canonicalisation and header hashing, the key operation in OpenSSL) is timed side by side with
dkimpy's own ``dkim.sign`` (all in Python), which is what the signer would cost without OpenSSL.

    .venv/bin/python benchmarks/dkim.py [--messages 300]
"""

from __future__ import annotations

import argparse
import base64
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# Other benchmarks live next to this file (one is called email.py): keep them from shadowing the stdlib.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

import dkim  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa  # noqa: E402

from masthead.email import MessageTemplate, Recipient  # noqa: E402

LANGUAGES = ["en", "fr", "zh-Hans"]
CONFIG = """\
[newsletter]
name = "Benchmark News"
publisher = "Benchmark"
source_language = "en"
languages = ["en", "fr", "zh-Hans"]
base_url = "https://news.example.org/"

[email]
sender = "Benchmark News <news@example.org>"
"""


def _templates(folder: Path) -> list[MessageTemplate]:
    import masthead
    from masthead._scaffold import init_workspace
    from masthead.editions import source_edition
    from masthead.email import render_email
    from masthead.sources import find_issue, load_issue

    ws = folder / "ws"
    init_workspace(ws, "Benchmark News")
    (ws / "masthead.toml").write_text(CONFIG, encoding="utf-8")
    config = masthead.load_config(ws)
    issue = load_issue(find_issue(config.issues_dir, None), root=config.root)
    return [render_email(source_edition(issue, config.language(tag)), config).template for tag in LANGUAGES]


def _reader(number: int) -> Recipient:
    return Recipient(
        f"reader{number}@example.net",
        f"Reader {number}",
        f"https://news.example.org/unsubscribe?t={number:032x}",
    )


def _per_message(work: Callable[[bytes], object], messages: list[bytes]) -> float:
    """Milliseconds per message, the best of three passes."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for message in messages:
            work(message)
        best = min(best, time.perf_counter() - started)
    return best / len(messages) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()

    from masthead.delivery.outbound import DkimSigner, load_key

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        rsa_pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        seed = ed25519.Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        (folder / "rsa.pem").write_bytes(rsa_pem)
        (folder / "ed.key").write_bytes(base64.b64encode(seed))
        rsa_key = load_key(folder / "rsa.pem", domain="example.org", selector="rsa")
        ed_key = load_key(folder / "ed.key", domain="example.org", selector="ed")

        templates = _templates(folder)
        messages = [templates[n % len(templates)].personalise(_reader(n)) for n in range(args.messages)]
        size = sum(len(message) for message in messages) / len(messages) / 1024
        made = _per_message(
            lambda m: templates[len(m) % len(templates)].personalise(_reader(len(m))), messages
        )
        ours_rsa = _per_message(DkimSigner([rsa_key]).sign, messages)
        ours_ed = _per_message(DkimSigner([ed_key]).sign, messages)
        ours_both = _per_message(DkimSigner([rsa_key, ed_key]).sign, messages)
        sample = messages[: max(30, len(messages) // 10)]
        theirs_rsa = _per_message(
            lambda m: dkim.sign(m, b"rsa", b"example.org", rsa_pem, canonicalize=(b"relaxed", b"simple")),
            sample,
        )
        theirs_ed = _per_message(
            lambda m: dkim.sign(
                m,
                b"ed",
                b"example.org",
                base64.b64encode(seed),
                signature_algorithm=b"ed25519-sha256",
                canonicalize=(b"relaxed", b"simple"),
            ),
            sample,
        )
        rows: list[tuple[str, float, float | None]] = [
            ("RSA-2048", ours_rsa, theirs_rsa),
            ("Ed25519", ours_ed, theirs_ed),
            ("RSA-2048 + Ed25519", ours_both, None),
        ]
    print(f"{len(messages)} messages of about {size:.0f} KB ({', '.join(LANGUAGES)} editions)")
    print(f"making a message (personalising its edition): {made:.2f} ms")
    print(f"{'keys':<20} {'masthead ms/msg':>16} {'msg/s, one core':>16} {'dkimpy ms/msg':>19} {'ratio':>6}")
    for label, ours, theirs in rows:
        ratio = f"{theirs / ours:>5.1f}x" if theirs else ""
        shown = f"{theirs:>19.2f}" if theirs else f"{'':>19}"
        print(f"{label:<20} {ours:>16.2f} {1000 / ours:>16.0f} {shown} {ratio:>6}")


if __name__ == "__main__":
    main()
