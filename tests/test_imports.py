"""Commands that do not render never load the renderer: no WeasyPrint, Pango or fontTools module.

WeasyPrint's Pango bindings (cffi) are the module ``weasyprint.text.ffi``; other Pango bindings
(pangocffi) carry the name in theirs.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

RENDERER = ("weasyprint", "fontTools", "pydyf")


def imported(command: list[str], cwd: Path) -> tuple[str, set[str]]:
    """The output of ``command`` and every module it imported, from Python's ``-X importtime`` log."""
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "masthead" in modules  # the log is there and names what was imported
    return done.stdout, modules


def renderer_modules(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.split(".")[0] in RENDERER or "pango" in name.lower())


def test_help_loads_no_renderer(tmp_path: Path) -> None:
    output, modules = imported([sys.executable, "-X", "importtime", "-m", "masthead", "--help"], tmp_path)
    assert "subscribers" in output and "build" in output
    assert renderer_modules(modules) == []


def test_subscribers_list_loads_no_renderer(workspace: Path) -> None:
    masthead = str(Path(sys.executable).with_name("masthead"))
    added = subprocess.run(
        [masthead, "subscribers", "add", "ana@example.org", "--name", "Ana"],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert added.returncode == 0, added.stderr
    output, modules = imported([masthead, "subscribers", "list"], workspace)
    assert output.splitlines() == ["ana@example.org\ten\tactive\tAna"]
    assert "masthead.delivery" in modules and "masthead.render" not in modules
    assert renderer_modules(modules) == []


def test_the_renderer_is_what_the_check_looks_for(tmp_path: Path) -> None:
    """The check above can fail: a build does import the renderer, and the log shows it."""
    _, modules = imported([sys.executable, "-c", "from masthead.render import write_pdf"], tmp_path)
    found = renderer_modules(modules)
    assert "weasyprint.text.ffi" in found and any(name.startswith("fontTools") for name in found)


@pytest.mark.parametrize(
    "package", ["masthead", "masthead.email", "masthead.delivery", "masthead.render", "masthead.images"]
)
def test_every_public_name_of_a_lazy_package_is_there(package: str) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:
        assert getattr(module, name) is not None, name
    assert set(module.__all__) <= set(dir(module))
    with pytest.raises(AttributeError):
        module.no_such_name  # noqa: B018


def one_get(path: str, then: str) -> str:
    """A script that GETs ``path`` from the service of the workspace it runs in, through the ASGI
    app itself (no server), then runs ``then`` with ``status`` and ``body`` set."""
    return f"""
import asyncio, masthead
from masthead.delivery import Keyring
from masthead.web import create_app

app = create_app(masthead.load_config("."), keyring=Keyring("a-secret-long-enough"), preview=True)
sent = []

async def receive():
    return {{"type": "http.request", "body": b"", "more_body": False}}

async def send(message):
    sent.append(message)

path = {path!r}
scope = {{"type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
         "query_string": b"", "headers": [], "scheme": "http", "server": ("127.0.0.1", 80),
         "client": ("127.0.0.1", 1), "root_path": "", "http_version": "1.1"}}
asyncio.run(app(scope, receive, send))
status, body = sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])
{then}
"""


SERVE_ONE_PAGE = one_get("/news/subscribe/en", 'print(status, body.count(b"<form"))')


def test_the_readers_side_loads_no_renderer(workspace: Path) -> None:
    output, modules = imported([sys.executable, "-c", SERVE_ONE_PAGE], workspace)
    assert output.split() == ["200", "1"]  # the sign-up page, with its form
    assert "masthead.web" in modules and renderer_modules(modules) == []


HEAVY = ("weasyprint", "fontTools", "pydyf", "PIL")


def heavy_modules(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.split(".")[0] in HEAVY or "pango" in name.lower())


def test_a_build_with_nothing_to_do_loads_nothing_heavy(workspace: Path) -> None:
    masthead = str(Path(sys.executable).with_name("masthead"))
    then = time.time() - 60  # sources saved a minute ago, not while the build looked at them
    for path in [workspace / "masthead.toml", *(workspace / "issues").rglob("*")]:
        os.utime(path, (then, then))
    first = subprocess.run([masthead, "build"], cwd=workspace, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "spring.en.pdf" in first.stdout
    output, modules = imported([masthead, "build"], workspace)
    assert output == ""  # nothing built
    assert heavy_modules(modules) == [] and "masthead.render" not in modules
    assert "masthead._config" not in modules and "masthead.sources" not in modules


def test_a_web_page_built_alone_loads_no_renderer(workspace: Path) -> None:
    masthead = str(Path(sys.executable).with_name("masthead"))
    article = workspace / "issues" / "spring" / "boats.md"
    article.write_text(article.read_text(encoding="utf-8").replace("New Boats", "New Sails"))
    output, modules = imported([masthead, "build", "--only", "web"], workspace)
    assert output.startswith("en: build/spring/en/index.html (")
    page = (workspace / "build" / "spring" / "en" / "index.html").read_text(encoding="utf-8")
    assert "New Sails" in page
    assert renderer_modules(modules) == []
    assert not (workspace / "build" / "spring" / "en" / "spring.en.pdf").exists()


PREVIEW_ONE_PAGE = one_get(
    "/news/spring/en/index.html",
    # The email and PDF that follow are made by a process of their own.
    'from masthead.web import _preview\n_preview.stop_background()\nprint(status, b"New Sails" in body)',
)


def test_the_preview_builds_the_page_being_viewed_without_the_renderer(workspace: Path) -> None:
    article = workspace / "issues" / "spring" / "boats.md"
    article.write_text(article.read_text(encoding="utf-8").replace("New Boats", "New Sails"))
    output, modules = imported([sys.executable, "-c", PREVIEW_ONE_PAGE], workspace)
    assert output.split() == ["200", "True"]
    assert "masthead.builder._build" in modules and renderer_modules(modules) == []
