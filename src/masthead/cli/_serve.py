"""``masthead serve``: the readers' side (sign-up, confirmation, unsubscribe, archive) over HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from .._config import Config
    from ..delivery import Keyring


@click.command("serve")
@click.option("--host", help="The address to listen on (default: [web] host, 127.0.0.1).")
@click.option(
    "--port", type=click.IntRange(1, 65535), help="The port to listen on (default: [web] port, 8000)."
)
@click.option("--preview", is_flag=True, help="For editors: show the web page of the edition being viewed "
              "again as soon as a save changes it (the email and PDF follow), and sign with a throw-away "
              "key when the secret is not set.")  # fmt: skip
@click.option("--access-log", is_flag=True, help="Log every request, its path and query included: the "
              "tokens of the unsubscribe and preferences links too (a reverse proxy usually logs them "
              "already).")  # fmt: skip
@click.pass_obj
def serve_command(
    workspace: Path, host: str | None, port: int | None, preview: bool, access_log: bool
) -> None:
    """Serve the readers' side: sign-up, unsubscribe, preferences, the archive and the editions.

    Sign-up is double opt-in, unsubscribing one click (RFC 8058); the archive has an Atom feed per
    language. Everything answers under the path of base_url; put a reverse proxy in front.
    """
    import uvicorn

    from .._config import load_config
    from ..web import create_app, server_config

    config = load_config(workspace)
    keyring = _throw_away_keyring(config) if preview else None
    app = create_app(config, keyring=keyring, preview=preview)
    host = host or config.web.host
    port = port or config.web.port
    click.echo(f"serving {config.base_url} on http://{host}:{port}{app.state.site.prefix} (Ctrl-C stops)")
    settings = server_config(
        app,
        host=host,
        port=port,
        forwarded_allow_ips=config.web.forwarded_allow_ips,
        log_level="info",
        access_log=access_log,
    )
    uvicorn.Server(settings).run()


def _throw_away_keyring(config: Config) -> Keyring | None:
    """For a preview without the production secret (an editor's laptop has none): a key made for
    this run, said so; ``None`` when the secret is there (the service uses it)."""
    import secrets

    from .._errors import DeliveryError
    from ..delivery import Keyring, keyring_from_environment

    try:
        keyring_from_environment(config)
    except DeliveryError:
        click.echo(
            f"preview: no usable secret in {config.delivery.secret_env}; signing links with a throw-away "
            "key for as long as this preview runs (links signed with the real secret, such as those in "
            "emails already sent, do not work here)",
            err=True,
        )
        return Keyring(secrets.token_urlsafe(32))
    return None
