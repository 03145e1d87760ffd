"""Builds: languages in parallel, nothing rebuilt twice, nothing half-written taken as finished."""

from __future__ import annotations

from pathlib import Path

import pytest

from masthead import RenderError, build, load_config
from masthead._fingerprint import fingerprint

from .conftest import edit
from .test_catalogs import fill, updated


@pytest.fixture
def three_languages(workspace: Path) -> Path:
    edit(workspace / "masthead.toml", 'languages = ["en"]', 'languages = ["en", "fr", "zh-Hans"]')
    updated(workspace)
    fill(workspace / "locales" / "fr" / "LC_MESSAGES" / "spring.po", lambda msgid: "FR " + msgid)
    fill(workspace / "locales" / "zh_Hans" / "LC_MESSAGES" / "spring.po", lambda msgid: "中文 " + msgid)
    return workspace


def mtimes(root: Path) -> dict[str, int]:
    return {
        str(path.relative_to(root)): path.stat().st_mtime_ns
        for path in (root / "build").rglob("*")
        if path.is_file()
    }


def test_unchanged_languages_are_not_rebuilt(three_languages: Path) -> None:
    config = load_config(three_languages)
    first = build(config, "spring", jobs=2)
    assert [b.language.tag for b in first.built] == ["en", "fr", "zh-Hans"]
    before = mtimes(three_languages)
    second = build(config, "spring")
    assert second.built == () and [lang.tag for lang in second.unchanged] == ["en", "fr", "zh-Hans"]
    assert mtimes(three_languages) == before
    # A translator changes one French message: only French is built again.
    fill(three_languages / "locales" / "fr" / "LC_MESSAGES" / "spring.po",
         lambda msgid: "FR2 " + msgid, only=lambda msgid: msgid == "Mending Nets")  # fmt: skip
    third = build(config, "spring")
    assert [b.language.tag for b in third.built] == ["fr"]
    # A designer changes the theme: every language is built again.
    (three_languages / "templates").mkdir()
    (three_languages / "templates" / "custom.css").write_text("h1 { color: black; }")
    fourth = build(config, "spring")
    assert [b.language.tag for b in fourth.built] == ["en", "fr", "zh-Hans"]


def test_parallel_and_serial_builds_write_the_same_bytes(three_languages: Path) -> None:
    config = load_config(three_languages)
    build(config, "spring", jobs=1)
    out = three_languages / "build" / "spring"
    serial = {tag: (out / tag / f"spring.{tag}.pdf").read_bytes() for tag in ("en", "fr", "zh-Hans")}
    build(config, "spring", jobs=3, force=True)
    parallel = {tag: (out / tag / f"spring.{tag}.pdf").read_bytes() for tag in ("en", "fr", "zh-Hans")}
    assert serial == parallel
    assert not list(out.rglob("*.part"))


def test_an_interrupted_language_is_built_again(three_languages: Path) -> None:
    config = load_config(three_languages)
    build(config, "spring")
    po = three_languages / "locales" / "fr" / "LC_MESSAGES" / "spring.po"
    fill(po, lambda msgid: msgid + " \ue000", only=lambda msgid: msgid == "Mending Nets")
    with pytest.raises(RenderError):
        build(config, "spring", ["fr"])
    fill(po, lambda msgid: "FR " + msgid, only=lambda msgid: msgid == "Mending Nets")
    # The inputs are back to those of the finished build, but that build's stamp was withdrawn
    # when the failed one started: French is built again rather than taken as finished.
    report = build(config, "spring", ["fr"])
    assert [b.language.tag for b in report.built] == ["fr"]


def test_delivery_settings_do_not_make_editions_out_of_date(workspace: Path) -> None:
    # What decides a rebuild is the edition's digest: compare it, no PDF needed.
    def digest() -> str:
        config = load_config(workspace)
        en = config.language("en")
        return fingerprint(config, workspace / "issues" / "spring", en, [en])

    before = digest()
    with (workspace / "masthead.toml").open("a", encoding="utf-8") as stream:
        stream.write("\n[delivery]\nsmtp_port = 2525\n")
    assert digest() == before
    with (workspace / "masthead.toml").open("a", encoding="utf-8") as stream:
        stream.write('\n[print]\npage_size = "A5"\n')
    assert digest() != before
