"""The ``[web]`` settings: the readers' side that ``masthead serve`` runs."""

from __future__ import annotations

from dataclasses import dataclass

from ._declare import TEXT, setting, whole


@dataclass(frozen=True)
class WebSettings:
    """The readers' side (``masthead serve``): sign-up, confirmation, unsubscribe, archive."""

    host: str = setting(
        "127.0.0.1", check=TEXT, help="The address 'masthead serve' listens on (--host overrides it)."
    )
    port: int = setting(
        8000,
        check=whole(1, 65535, "a port"),
        help="The port 'masthead serve' listens on (--port overrides it).",
    )
    signups_per_hour: int = setting(
        5,
        check=whole(1, 10_000),
        help="Sign-up forms accepted per hour from one network address; more get 'try again later'.",
    )
    confirm_hours: int = setting(
        72,
        check=whole(1, 24 * 30),
        help="How long a confirmation link works; sign-ups not confirmed by then are deleted.",
    )
    forwarded_allow_ips: str = setting(
        "127.0.0.1",
        check=TEXT,
        help="The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, comma-separated "
        "('*' for any): the client address is what the sign-up limit counts and consent records keep.",
    )
