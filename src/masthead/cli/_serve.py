"""``masthead serve``: the readers' side (sign-up, confirmation, unsubscribe, archive) over HTTP."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("serve")
@click.option("--host", help="The address to listen on (default: [web] host, 127.0.0.1).")
@click.option(
    "--port", type=click.IntRange(1, 65535), help="The port to listen on (default: [web] port, 8000)."
)
@click.option("--preview", is_flag=True, help="For editors: rebuild the edition being viewed when its "
              "sources, catalogs or templates change, and reload the page.")  # fmt: skip
@click.pass_obj
def serve_command(workspace: Path, host: str | None, port: int | None, preview: bool) -> None:
    """Serve the readers' side: sign-up, unsubscribe, preferences, the archive and the editions.

    Sign-up is double opt-in, unsubscribing one click (RFC 8058); the archive has an Atom feed per
    language. Everything answers under the path of base_url; put a reverse proxy in front.
    """
    import uvicorn

    from .._config import load_config
    from ..web import create_app, server_config

    config = load_config(workspace)
    app = create_app(config, preview=preview)
    host = host or config.web.host
    port = port or config.web.port
    click.echo(f"serving {config.base_url} on http://{host}:{port}{app.state.site.prefix} (Ctrl-C stops)")
    settings = server_config(
        app, host=host, port=port, forwarded_allow_ips=config.web.forwarded_allow_ips, log_level="info"
    )
    uvicorn.Server(settings).run()
