"""Builds: languages in parallel, nothing rebuilt twice, nothing half-written taken as finished."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from masthead import BuildReport, RenderError, build, load_config
from masthead.publication import fingerprint

from .conftest import edit, write_workspace
from .translating import fill, updated

LANGUAGES = ["en", "fr", "zh-Hans"]


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, BuildReport]:
    """A workspace in three languages, fully translated and built once by two worker processes,
    with an untouched copy of it kept aside."""
    base = tmp_path_factory.mktemp("three-languages")
    root = write_workspace(base / "ws")
    edit(root / "masthead.toml", 'languages = ["en"]', 'languages = ["en", "fr", "zh-Hans"]')
    updated(root)
    fill(root / "locales" / "fr" / "LC_MESSAGES" / "spring.po", lambda msgid: "FR " + msgid)
    fill(root / "locales" / "zh_Hans" / "LC_MESSAGES" / "spring.po", lambda msgid: "中文 " + msgid)
    report = build(load_config(root), "spring", jobs=2)
    shutil.copytree(root, base / "pristine")
    return root, base / "pristine", report


@pytest.fixture
def three_built(built_once: tuple[Path, Path, BuildReport]) -> Path:
    """The built workspace as its first build left it, whatever an earlier test did to it."""
    root, pristine, _ = built_once
    shutil.rmtree(root)
    shutil.copytree(pristine, root)
    return root


def mtimes(root: Path) -> dict[str, int]:
    return {
        str(path.relative_to(root)): path.stat().st_mtime_ns
        for path in (root / "build").rglob("*")
        if path.is_file()
    }


def pdfs(root: Path) -> dict[str, bytes]:
    out = root / "build" / "spring"
    return {tag: (out / tag / f"spring.{tag}.pdf").read_bytes() for tag in LANGUAGES}


def test_unchanged_languages_are_not_rebuilt(
    built_once: tuple[Path, Path, BuildReport], three_built: Path
) -> None:
    first = built_once[2]
    assert [b.language.tag for b in first.built] == LANGUAGES
    config = load_config(three_built)
    before = mtimes(three_built)
    second = build(config, "spring")
    assert second.built == () and [lang.tag for lang in second.unchanged] == LANGUAGES
    assert mtimes(three_built) == before
    # A translator changes one French message: only French is built again.
    fill(three_built / "locales" / "fr" / "LC_MESSAGES" / "spring.po",
         lambda msgid: "FR2 " + msgid, only=lambda msgid: msgid == "Mending Nets")  # fmt: skip
    third = build(config, "spring")
    assert [b.language.tag for b in third.built] == ["fr"]
    # A designer changes the theme: every language is built again.
    (three_built / "templates").mkdir()
    (three_built / "templates" / "custom.css").write_text("h1 { color: black; }")
    fourth = build(config, "spring")
    assert [b.language.tag for b in fourth.built] == LANGUAGES


def test_a_workspace_moved_elsewhere_keeps_its_editions(three_built: Path, tmp_path: Path) -> None:
    # A workspace checked out or copied to another folder: nothing it holds changed, so nothing is
    # built, measured or prepared again.
    moved = tmp_path / "elsewhere" / "newsletter"
    shutil.copytree(three_built, moved)
    before = mtimes(moved)
    report = build(load_config(moved), "spring")
    assert report.built == () and [lang.tag for lang in report.unchanged] == LANGUAGES
    assert mtimes(moved) == before


def test_parallel_and_serial_builds_write_the_same_bytes(three_built: Path) -> None:
    parallel = pdfs(three_built)  # the first build's, by two worker processes
    assert not list((three_built / "build").rglob("*.part"))
    build(load_config(three_built), "spring", jobs=1, force=True)
    assert pdfs(three_built) == parallel
    assert not list((three_built / "build").rglob("*.part"))


def test_an_interrupted_language_is_built_again(three_built: Path) -> None:
    config = load_config(three_built)
    po = three_built / "locales" / "fr" / "LC_MESSAGES" / "spring.po"
    fill(po, lambda msgid: msgid + " \ue000", only=lambda msgid: msgid == "Mending Nets")
    with pytest.raises(RenderError, match="have no font and would print as empty boxes"):
        build(config, "spring", ["fr"])
    fill(po, lambda msgid: "FR " + msgid, only=lambda msgid: msgid == "Mending Nets")
    # The inputs are back to those of the finished build, but that build's stamp was withdrawn
    # when the failed one started: French is built again rather than taken as finished.
    report = build(config, "spring", ["fr"])
    assert [b.language.tag for b in report.built] == ["fr"]


def test_sending_settings_do_not_make_editions_out_of_date(workspace: Path) -> None:
    # What decides a rebuild is the edition's digest: compare it, no PDF needed.
    def digest() -> str:
        config = load_config(workspace)
        en = config.language("en")
        return fingerprint(config, workspace / "issues" / "spring", en, [en])

    before = digest()
    # How mail is sent, where subscribers are kept, how messages are signed, where returned mail
    # goes and how the service answers: none of it changes an edition.
    with (workspace / "masthead.toml").open("a", encoding="utf-8") as stream:
        stream.write(
            "\n[delivery]\nsmtp_port = 2525\n"
            '\n[subscribers]\ndatabase = "postgresql://news@db.example.org/news"\nlease_seconds = 60\n'
            '\n[dkim]\nkeys = { mail2026 = "dkim/mail2026.pem" }\n'
            '\n[bounces]\nreturn_path = "bounces@harbour.example.org"\nsoft_limit = 5\n'
            "\n[web]\nport = 8100\n"
        )
    assert digest() == before
    with (workspace / "masthead.toml").open("a", encoding="utf-8") as stream:
        stream.write('\n[email]\nreply_to = "hello@harbour.example.org"\n')
    assert digest() != before  # the email's headers change
    before = digest()
    with (workspace / "masthead.toml").open("a", encoding="utf-8") as stream:
        stream.write('\n[print]\npage_size = "A5"\n')
    assert digest() != before
