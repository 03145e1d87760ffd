"""Fuzzing what people write: every input gives a clean result or a MastheadError naming its file and
line, never another exception, and nothing outside the workspace is read or written.

Each input class runs the pipeline as far as a build goes without WeasyPrint: issue.yaml, front
matter and Markdown bodies reach the source edition's print HTML (with the glyph check), web page
and email; a .po file reaches catalog check, stats, the French edition's renders and catalog update;
a subscriber CSV is imported into the store and exported again; masthead.toml is read and the source
edition rendered with it.

``make test`` runs 2,000 examples in all (derandomized, so every run tries the same ones);
``MASTHEAD_FUZZ_EXAMPLES=20000`` runs that many, with a new random seed each time.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings

import masthead
from masthead import Config, Issue, MastheadError, Problems, load_config, load_issue
from masthead._links import link_problem
from masthead.catalogs import (
    check_catalogs,
    extract_issue,
    issue_catalog,
    issue_messages,
    stats,
    theme_translations,
    update,
)
from masthead.delivery import export_subscribers, import_subscribers
from masthead.editions import Edition, source_edition, translated_edition, written_in
from masthead.email import render_email
from masthead.render import render_print, render_web
from masthead.sources import find_issue
from masthead.theme import check_glyphs

from . import fuzz_inputs as inputs
from .fuzz_workspace import ARTICLE_HEAD, FILES, issue_texts, write_fuzz_workspace

_ASKED = os.environ.get("MASTHEAD_FUZZ_EXAMPLES")
EXAMPLES = int(_ASKED or "2000")
CLASSES = 6
FUZZ = settings(
    max_examples=max(1, EXAMPLES // CLASSES),
    deadline=None,
    database=None,
    derandomize=_ASKED is None,
    suppress_health_check=list(HealthCheck),
)


# -- what the code under test touches ------------------------------------------------------------------

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_PATH_EVENTS = {"os.listdir", "os.scandir", "glob.glob", "os.mkdir", "os.remove", "os.rmdir", "os.rename",
                "os.chmod", "os.truncate", "os.symlink", "os.link", "os.utime", "shutil.copyfile",
                "shutil.rmtree", "sqlite3.connect", "os.chdir"}  # fmt: skip
_WRITING = {"os.mkdir", "os.remove", "os.rmdir", "os.rename", "os.chmod", "os.truncate", "os.symlink",
            "os.link", "os.utime", "shutil.copyfile", "shutil.rmtree"}  # fmt: skip
_touched: list[tuple[str, str, bool]] | None = None
"""(event, path, whether it writes) while an example runs; ``None`` the rest of the time."""


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _touched is None:
        return
    if event == "open":
        path, mode, flags = args
        writes = any(c in str(mode or "") for c in "wax+") or bool((flags or 0) & _WRITE_FLAGS)
        _touched.append((event, _name(path), writes))
    elif event in _PATH_EVENTS and args:
        _touched.append((event, _name(args[0]), event in _WRITING))
        if event in ("os.rename", "shutil.copyfile", "os.symlink", "os.link") and len(args) > 1:
            _touched.append((event, _name(args[1]), True))
    elif event.startswith("socket.") and event not in ("socket.__new__", "socket.gethostname"):
        _touched.append((event, repr(args)[:200], True))
    elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn"):
        _touched.append((event, repr(args)[:200], False))


sys.addaudithook(_audit)


def _name(path: Any) -> str:
    if isinstance(path, int):
        return ""  # a file descriptor: its opening was seen already
    return os.fsdecode(path) if isinstance(path, bytes | os.PathLike | str) else repr(path)


# What may be read outside the workspace: Python and its packages (lazy imports, Babel's locale data),
# masthead's own theme and catalogs, and the installed fonts (the glyph check reads their coverage).
_READABLE = tuple(
    {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    | {Path(masthead.__file__).resolve().parent, Path("/usr/share/fonts"), Path("/usr/local/share/fonts")}
    # System data the standard library reads once per process, whichever test comes first: the MIME
    # type tables (mimetypes.init) and the time zone database.
    | {Path("/usr/share/zoneinfo"), Path("/etc/localtime").resolve()}
    | {Path(f).resolve() for f in __import__("mimetypes").knownfiles}
)
_PROGRAMS = {"fc-match", "fc-list"}


def _import_scan(kind: str, path: Path) -> bool:
    """Whether this is the import system listing a folder of ``sys.path`` (the checkout's root is one,
    under pytest), as it does for a module imported for the first time once that folder has changed:
    a list of names, nothing read from the files."""
    return kind in ("os.listdir", "os.scandir") and any(
        path == Path(os.path.abspath(entry or ".")).resolve() for entry in sys.path
    )


@contextmanager
def confined(root: Path) -> Iterator[None]:
    """Fail if the code in the block reads or writes outside ``root``, or reaches the network."""
    global _touched
    _touched = []
    try:
        yield
    finally:
        touched, _touched = _touched, None
    for kind, name, writes in touched:
        if kind.startswith("socket."):
            pytest.fail(f"network access: {kind} {name}")
        if kind.startswith(("subprocess", "os.exec", "os.system", "os.posix_spawn")):
            program = re.search(r"'([^']+)'", name)
            assert program and Path(program.group(1)).name in _PROGRAMS, f"ran {name}"
            continue
        if not name or name == ":memory:":
            continue
        path = Path(os.path.abspath(name)).resolve()
        if path.is_relative_to(root):
            continue
        assert not writes, f"wrote outside the workspace: {kind} {path}"
        if _import_scan(kind, path):
            continue
        assert any(path.is_relative_to(r) for r in _READABLE) or str(path) == "/dev/urandom", (
            f"read outside the workspace: {kind} {path}"
        )


# -- the workspace and one example -----------------------------------------------------------------------


SNAPSHOT: dict[Path, dict[Path, tuple[int, int]]] = {}
ORIGINALS: dict[Path, dict[Path, bytes]] = {}
CONFIG: dict[Path, Config] = {}
ISSUE: dict[Path, Issue] = {}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    # In memory where the machine has a tmpfs: thousands of small writes and SQLite commits are then
    # five times faster than on disk.
    shm = Path("/dev/shm")
    base = Path(tempfile.mkdtemp(dir=shm)) if os.access(shm, os.W_OK) else tmp_path_factory.mktemp("fuzz")
    root = write_fuzz_workspace(base / "ws")
    SNAPSHOT[root] = _snapshot(root)
    ORIGINALS[root] = {path: path.read_bytes() for path in SNAPSHOT[root]}
    CONFIG[root] = load_config(root)
    ISSUE[root] = load_issue(root / "issues" / "spring", root=root)
    yield root
    shutil.rmtree(base, ignore_errors=True)


Snapshot = dict[Path, tuple[int, int]]


def _stamp(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_size, status.st_mtime_ns


def _snapshot(root: Path) -> Snapshot:
    return {path: _stamp(path) for path in root.rglob("*") if path.is_file()}


def _restore(root: Path, snapshot: Snapshot, originals: dict[Path, bytes]) -> None:
    """Put the workspace back as it was: files made by the example removed, changed ones rewritten."""
    for folder, subfolders, names in os.walk(root, topdown=False):
        for name in names:
            path = Path(folder, name)
            if path not in snapshot:
                path.unlink()
            elif _stamp(path) != snapshot[path]:
                path.write_bytes(originals[path])
                os.utime(path, ns=(snapshot[path][1], snapshot[path][1]))
        if not names and not subfolders and not any(p.is_relative_to(folder) for p in snapshot):
            os.rmdir(folder)


def _located(error: MastheadError, root: Path) -> None:
    """Each problem names a file of the workspace and a line in it."""
    for problem in error.problems if isinstance(error, Problems) else [error]:
        assert problem.path is not None, f"no file named: {problem.format()}"
        assert Path(problem.path).resolve().is_relative_to(root), problem.format()
        assert problem.line is not None and problem.line >= 1, f"no line named: {problem.format()}"


def run_example(root: Path, name: str, content: str | bytes, stage: Callable[[Path], str]) -> None:
    """Write ``content`` as the workspace's file ``name``, run ``stage``, check the outcome, restore."""
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    target = root / name
    target.write_bytes(data)
    try:
        with confined(root):
            try:
                reached = stage(root)
            except MastheadError as error:
                _located(error, root)
                event(f"stopped by {type(error).__name__}")
                # What a person wrote is never lost: a refused file is left exactly as it was.
                assert target.read_bytes() == data, f"{name} was rewritten after an error"
            else:
                event(f"clean: {reached}")
    finally:
        _restore(root, SNAPSHOT[root], ORIGINALS[root])


# -- the stages -------------------------------------------------------------------------------------------


class _Markup(HTMLParser):
    """What a rendered page asks a browser or mail client to run or load."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "base", "form"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            elif (
                name in ("href", "src")
                and _SCHEME.match(value or "")
                and (problem := link_problem(value or ""))
            ):
                self.problems.append(f"{name}: {problem}")


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def _published(page: str) -> None:
    """No script, no event handler, and every link and image follows the link rule."""
    markup = _Markup()
    markup.feed(page)
    assert not markup.problems, markup.problems


def _render(edition: Edition, config: Config) -> None:
    translations = theme_translations(config, edition.language)
    page = render_print(edition, config, translations)
    check_glyphs(page, edition.language, written_in(config, edition))
    web = render_web(edition, config, translations, languages=config.languages)
    email = render_email(edition, config, translations)
    for rendered in (page, web, email.html):
        _published(rendered)


def source_stage(root: Path) -> str:
    config = CONFIG[root]  # masthead.toml is not what these classes vary
    issue = load_issue(find_issue(config.issues_dir, None), root=root)
    extract_issue(issue, config.name)
    _render(source_edition(issue, config.source_language), config)
    return "print HTML, glyph check, web page and email rendered"


def catalog_stage(root: Path) -> str:
    config, issue = CONFIG[root], ISSUE[root]  # only the catalog varies
    french = config.language("fr")
    for problem in check_catalogs(config, issue, [french]):
        assert problem.line >= 1 and problem.path.is_relative_to(root)
    stats(config, issue, [french])
    _render(translated_edition(issue, french, issue_catalog(config, issue, french)), config)
    update(config, issue, [french])
    return "checked, counted, French rendered, catalog updated"


def settings_stage(root: Path) -> str:
    config = load_config(root)  # what varies: the settings, read as every command reads them
    issue = load_issue(find_issue(config.issues_dir, None), root=root)
    _render(source_edition(issue, config.source_language), config)
    return "settings read, the source edition rendered with them"


def subscribers_stage(root: Path) -> str:
    config = CONFIG[root]
    report = import_subscribers(config, root / "list.csv")
    assert all(problem.line >= 1 for problem in report.problems), report.format()
    export_subscribers(config, io.StringIO())
    (root / "subscribers.sqlite3").unlink()
    return f"imported{' with bad rows reported' if report.problems else ''} and exported"


# -- one test per input class -------------------------------------------------------------------------------


@FUZZ
@given(content=inputs.issue_yaml(FILES["issues/spring/issue.yaml"]))
def test_issue_yaml(workspace: Path, content: str | bytes) -> None:
    run_example(workspace, "issues/spring/issue.yaml", content, source_stage)


LEAD = FILES["issues/spring/lead.md"]


@FUZZ
@given(content=inputs.front_matter(LEAD, LEAD.split("---\n", 2)[2]))
def test_article_front_matter(workspace: Path, content: str | bytes) -> None:
    run_example(workspace, "issues/spring/lead.md", content, source_stage)


@FUZZ
@given(content=inputs.article_body(FILES["issues/spring/notes.md"], ARTICLE_HEAD))
def test_markdown_body(workspace: Path, content: str | bytes) -> None:
    run_example(workspace, "issues/spring/notes.md", content, source_stage)


@FUZZ
@given(content=inputs.po_file(FILES["locales/fr/LC_MESSAGES/spring.po"], issue_texts()))
def test_po_file(workspace: Path, content: str | bytes) -> None:
    run_example(workspace, "locales/fr/LC_MESSAGES/spring.po", content, catalog_stage)


@FUZZ
@given(content=inputs.subscribers_csv(FILES["list.csv"]))
def test_subscriber_csv(workspace: Path, content: str | bytes) -> None:
    run_example(workspace, "list.csv", content, subscribers_stage)


@FUZZ
@given(content=inputs.masthead_toml(FILES["masthead.toml"]))
def test_masthead_toml(workspace: Path, content: str | bytes) -> None:
    run_example(workspace, "masthead.toml", content, settings_stage)


def test_the_untouched_workspace_builds_cleanly(workspace: Path) -> None:
    """The starting point of every example is itself a clean result, in both languages."""
    with confined(workspace):
        source_stage(workspace)
        catalog_stage(workspace)
        settings_stage(workspace)
        subscribers_stage(workspace)
    assert issue_messages(load_issue(workspace / "issues" / "spring", root=workspace))
