"""Workspaces for the tests: a small one written afresh for each test that needs one, and the example."""

from __future__ import annotations

import shutil
import socket
import subprocess
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PIL import Image, ImageDraw

if TYPE_CHECKING:
    from masthead import BuildReport, Config

    from .mail import Sink


from .postgres import PostgresUnavailable, TemporaryPostgres

CONFIG = """\
[newsletter]
name = ["Harbour Notes", "港口札记"]
publisher = "Harbour Friends"
source_language = "en"
languages = ["en"]
base_url = "https://harbour.example.org/news/"
"""

ISSUE = """\
number: 7
date: 2026-03-01
title: Spring at the Harbour
kicker: Special issue
summary: What changed at the harbour this spring.
cover:
  image: images/cover.png
  alt: Boats at the pier at dawn
  caption: The pier at dawn.
  credit: Ada Quill
headlines: [lead, {article: boats, title: Three boats join the fleet}, nets]
sections:
  - title: Cover story
    layout: feature
    articles: [lead]
  - title: Years
    layout: timeline
    articles: [history]
  - title: News
    layout: news
    articles: [boats, nets]
colophon:
  - role: Editor
    names: [Ada Quill]
back:
  about: Harbour Friends keeps the old pier open to everyone.
  website: https://harbour.example.org
  email: hello@harbour.example.org
names: [Harbour Friends, Ada Quill, Ben Ward]
"""

LEAD = """\
---
kicker: Cover story
title: The Pier Reopens
standfirst: After two winters of repairs, the pier is open again.
author: Ada Quill
figure:
  image: images/pier.png
  alt: The repaired pier
  caption: New planks on the pier.
  credit: Ben Ward
---
The pier reopened on a *bright* Saturday morning with a [map](https://harbour.example.org/map).

## Who did the work

{filler}

- Volunteers from the rowing club
- Two carpenters from the yard
"""

HISTORY = """\
---
title: Forty Years in Four Pictures
---
A short history of the pier.

## 1986

```figure
image: images/pier.png
alt: The first pier
caption: The first pier, built of oak.
credit: Archive
```

The first pier was built of oak.

## 2006

The pier was extended by twenty metres.
"""

NEWS = """\
---
title: {title}
source: "Harbour Gazette, 1 March 2026"
---
{filler}
"""

FILLER = " ".join(["The tide came in and the boats rose with it, as they always do."] * 40)


_database: list[str] = []
"""The PostgreSQL URL the workspaces of the running test use (see ``backend``); none: SQLite."""


def write_workspace(root: Path) -> Path:
    (root / "issues" / "spring" / "images").mkdir(parents=True)
    # A short lease: a campaign whose sender a test kills is taken over within seconds.
    store = f'\n[subscribers]\ndatabase = "{_database[0]}"\nlease_seconds = 2\n' if _database else ""
    (root / "masthead.toml").write_text(CONFIG + store, encoding="utf-8")
    issue = root / "issues" / "spring"
    (issue / "issue.yaml").write_text(ISSUE, encoding="utf-8")
    (issue / "lead.md").write_text(LEAD.format(filler=FILLER), encoding="utf-8")
    (issue / "history.md").write_text(HISTORY, encoding="utf-8")
    (issue / "boats.md").write_text(NEWS.format(title="New Boats", filler=FILLER), encoding="utf-8")
    (issue / "nets.md").write_text(NEWS.format(title="Mending Nets", filler=FILLER), encoding="utf-8")
    for name, colour in (("cover", "#0f4c5c"), ("pier", "#c8702a")):
        image = Image.new("RGB", (320, 200), colour)
        ImageDraw.Draw(image).ellipse((100, 40, 220, 160), fill="#fbf6ec")
        image.save(issue / "images" / f"{name}.png")
    return root


BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests that use ``backend`` run once per store, unless marked ``sqlite_only``."""
    if "backend" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("backend", ["sqlite"] if only else list(BACKENDS), indirect=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemporaryPostgres]:
    """One PostgreSQL server for the session, started when a test first needs it. If it cannot start,
    every test that needs it fails with one line saying why: the tests never skip it."""
    try:
        server = TemporaryPostgres().__enter__()
    except PostgresUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.__exit__(None, None, None)


@pytest.fixture
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The store the test's workspaces use: SQLite, or a fresh schema in the session's PostgreSQL."""
    if request.param == "postgresql":
        server: TemporaryPostgres = request.getfixturevalue("postgres_server")
        monkeypatch.setenv("MASTHEAD_DATABASE_PASSWORD", server.password)
        _database.append(server.schema())
    try:
        yield request.param
    finally:
        _database.clear()


def store_rows(config: Config, table: str) -> list[dict[str, Any]]:
    """Every row of ``table`` in the workspace's store, SQLite or PostgreSQL, read past masthead."""
    database = config.subscribers.database
    if database.startswith("postgresql://"):
        import os

        import psycopg
        from psycopg.rows import dict_row

        password = os.environ[config.subscribers.password_env]
        with psycopg.connect(database, password=password, row_factory=dict_row) as conn:
            return list(conn.execute(f"SELECT * FROM {table} ORDER BY 1"))
    import sqlite3

    conn = sqlite3.connect(config.root / database)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1")]
    finally:
        conn.close()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return write_workspace(tmp_path / "ws")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page, as poppler's pdftotext extracts it."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def dedent(text: str) -> str:
    return textwrap.dedent(text)


# -- the readers' side: a built workspace, the app on a loopback port, and one browser per session ----

WEB_LANGUAGES = ["en", "fr", "ar", "zh-Hans"]
WEB_SECRET = "a-web-test-secret-long-enough"


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace whose issue is built in four languages (below the threshold is fine: it is 0),
    confirmation emails written to its Maildir."""
    import masthead

    root = write_workspace(tmp_path_factory.mktemp("published") / "ws")
    toml = root / "masthead.toml"
    edit(toml, 'languages = ["en"]', "languages = " + str(WEB_LANGUAGES).replace("'", '"'))
    with toml.open("a", encoding="utf-8") as stream:
        stream.write("\n[catalogs]\nthreshold = 0\n")
        stream.write('\n[email]\nsender = "Harbour Notes <news@harbour.example.org>"\n')
        stream.write('\n[delivery]\ntransport = "maildir"\n')
    masthead.build(masthead.load_config(root), "spring")
    return root


class LiveServer:
    """An ASGI app served by uvicorn on a free loopback port, in a thread."""

    def __init__(self, app: Any, *, config: Any = None) -> None:
        import uvicorn

        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.port = int(self._socket.getsockname()[1])
        if config is None:
            config = uvicorn.Config(app, log_level="warning", lifespan="off", forwarded_allow_ips="127.0.0.1")
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright: one browser for the whole test session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync",
            ],
        )  # fmt: skip
        try:
            yield chromium
        finally:
            chromium.close()


EXAMPLE = Path(__file__).resolve().parents[1]
"""The repository root: itself the example workspace (Lantern Street News)."""


def copy_example(target: Path) -> Path:
    """The example workspace's settings, issues, catalogs and templates, copied to ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(EXAMPLE / "masthead.toml", target / "masthead.toml")
    for folder in ("issues", "locales", "templates"):
        if (EXAMPLE / folder).is_dir():
            shutil.copytree(EXAMPLE / folder, target / folder)
    return target


@pytest.fixture(scope="session")
def example_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example issue built once in every language, for the tests that read its PDFs."""
    from masthead import build, load_config

    root = copy_example(tmp_path_factory.mktemp("example") / "ws")
    report = build(load_config(root), force=True)
    return {built.language.tag: built.pdf for built in report.built}


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, BuildReport]:
    """The example newsletter as it is published (the languages that pass the threshold), built once
    for the session's tests that read its web pages and emails."""
    from masthead import build, load_config

    config = load_config(copy_example(tmp_path_factory.mktemp("published-example") / "ws"))
    return config, build(config, jobs=2)


# -- delivery: an SMTP server on a free loopback port, and the secret that signs links --------------


@pytest.fixture
def sink() -> Iterator[tuple[Sink, int]]:
    from .mail import Sink, serve

    yield from serve(Sink())


@pytest.fixture
def seven_bit_sink() -> Iterator[tuple[Sink, int]]:
    from .mail import SevenBitSink, serve

    yield from serve(SevenBitSink())


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> str:
    from .mail import SECRET

    monkeypatch.setenv("MASTHEAD_SECRET", SECRET)
    return SECRET
