"""The readers' side: sign-up with double opt-in, one-click unsubscribe, preferences and the archive.

::

    from masthead.web import create_app
    app = create_app(masthead.load_config("."))     # any ASGI server, behind a reverse proxy

or ``uvicorn --factory masthead.web:workspace_app`` in a workspace (``MASTHEAD_WORKSPACE`` names
another folder). Every URL is under the path of ``base_url``, as the emails carry them:
``subscribe/<lang>``, ``confirm``, ``unsubscribe``, ``preferences``, ``archive/<lang>/`` and
``archive/<lang>/feed.atom``; the built editions are served beside them.
"""

from __future__ import annotations

import os

from starlette.applications import Starlette

from .._config import load_config
from ._app import create_app, server_config

__all__ = ["create_app", "server_config", "workspace_app"]


def workspace_app() -> Starlette:
    """The app of the workspace in ``MASTHEAD_WORKSPACE``, or in the current folder."""
    return create_app(load_config(os.environ.get("MASTHEAD_WORKSPACE", ".")))
