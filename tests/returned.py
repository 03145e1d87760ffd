"""Returned mail for the bounce tests: sample reports with their blanks filled, and the settings and
subscribers they are about."""

from __future__ import annotations

from pathlib import Path

import masthead
from masthead.delivery import Subscriber, add_subscriber, list_subscribers
from masthead.delivery.returns import Verp

SAMPLES = Path(__file__).parent / "returns"


RETURN_PATH = "bounces@harbour.example.org"


VERP = Verp.parse(RETURN_PATH)


BOUNCES = f"""
[bounces]
return_path = "{RETURN_PATH}"
maildir = "returned"
soft_limit = 3
soft_days = 30
"""


def sample(name: str, **values: str) -> bytes:
    """A sample report with its blanks filled, with CRLF line ends as it arrives from a server."""
    defaults = {"n": "1", "date": "Sun, 8 Mar 2026 06:40:11 +0000", "token": "none"}
    text = (SAMPLES / f"{name}.eml").read_text(encoding="utf-8").format(**(defaults | values))
    return text.replace("\n", "\r\n").encode("utf-8")


def people(ws: Path, *names: str) -> dict[str, Subscriber]:
    config = masthead.load_config(ws)
    for name in names:
        add_subscriber(config, f"{name}@example.net", name.title(), "en")
    return {s.address.split("@")[0]: s for s in list_subscribers(config)}


def statuses(ws: Path) -> dict[str, str]:
    return {s.address.split("@")[0]: s.status for s in list_subscribers(masthead.load_config(ws))}
