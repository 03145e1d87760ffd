"""Builds: languages in parallel, nothing rebuilt twice, nothing half-written taken as finished."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path

import pytest

from masthead import BuildReport, RenderError, build, load_config, load_issue
from masthead.publication import edition_status, stage_digests

from .conftest import edit, pdf_pages, write_workspace
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
    def digest() -> dict[str, str]:
        config = load_config(workspace)
        en = config.language("en")
        return stage_digests(config, workspace / "issues" / "spring", en, [en])

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
    after = digest()
    assert all(after[stage] != before[stage] for stage in ("web", "email", "pdf"))


def test_a_web_page_built_alone_leaves_the_email_and_pdf_to_the_next_build(three_built: Path) -> None:
    config = load_config(three_built)
    out = three_built / "build" / "spring"
    before = mtimes(three_built)
    edit(three_built / "issues" / "spring" / "boats.md", "title: New Boats", "title: New Sails")
    web = build(config, "spring", ["en"], stages=["web"])
    assert [(b.language.tag, b.stages) for b in web.built] == [("en", ("web",))]
    assert "New Sails" in (out / "en" / "index.html").read_text(encoding="utf-8")
    after_web = mtimes(three_built)
    for name in ("spring.en.pdf", "email.html", "email.template"):
        assert after_web[f"build/spring/en/{name}"] == before[f"build/spring/en/{name}"], name
    # Not to be sent as it is: its email and PDF still tell the old text.
    status = {s.language.tag: s.problem for s in edition_status(config, "spring")}
    assert status["en"] is not None and status["en"].startswith("out of date (email, pdf)")

    again = build(config, "spring")
    assert [(b.language.tag, b.stages) for b in again.built] == [
        ("en", ("email", "pdf")), ("fr", ("web", "email", "pdf")), ("zh-Hans", ("web", "email", "pdf"))
    ]  # fmt: skip
    assert mtimes(three_built)["build/spring/en/index.html"] == after_web["build/spring/en/index.html"]
    assert "New Sails" in " ".join(pdf_pages(out / "en" / "spring.en.pdf"))
    assert "New Sails" in (out / "en" / "email.txt").read_text(encoding="utf-8")
    assert all(s.problem is None for s in edition_status(config, "spring"))


def test_a_change_to_the_web_pages_stylesheet_builds_the_web_pages_alone(three_built: Path) -> None:
    config = load_config(three_built)
    before = mtimes(three_built)
    (three_built / "templates").mkdir()
    (three_built / "templates" / "web.css").write_text(
        '{% include "theme/web.css" %}\nh1 { letter-spacing: 0.02em; }\n', encoding="utf-8"
    )
    report = build(config, "spring")
    assert [(b.language.tag, b.stages) for b in report.built] == [(tag, ("web",)) for tag in LANGUAGES]
    after = mtimes(three_built)
    for tag in LANGUAGES:
        page = three_built / "build" / "spring" / tag / "index.html"
        assert "letter-spacing: 0.02em" in page.read_text(encoding="utf-8")
        for name in (f"spring.{tag}.pdf", "email.html"):
            assert after[f"build/spring/{tag}/{name}"] == before[f"build/spring/{tag}/{name}"]


def test_an_output_removed_is_made_again_alone(three_built: Path) -> None:
    config = load_config(three_built)
    (three_built / "build" / "spring" / "fr" / "spring.fr.pdf").unlink()
    report = build(config, "spring")
    assert [(b.language.tag, b.stages) for b in report.built] == [("fr", ("pdf",))]
    assert (three_built / "build" / "spring" / "fr" / "spring.fr.pdf").read_bytes().startswith(b"%PDF-")


def test_a_file_changed_as_the_build_read_it_is_looked_at_again(three_built: Path) -> None:
    """A file's time is only so fine: a change within the same tick as the build's look keeps its
    size and time. The record never vouches for a file changed just before the build."""
    config = load_config(three_built)
    article = three_built / "issues" / "spring" / "nets.md"
    edit(article, "title: Mending Nets", "title: Mending Ropes")
    first = build(config, "spring", ["en"])
    assert [b.language.tag for b in first.built] == ["en"]
    stat = article.stat()
    edit(article, "title: Mending Ropes", "title: Mending Lines")  # the same size
    os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and, as far as stat says, time
    second = build(config, "spring", ["en"])
    assert [b.language.tag for b in second.built] == ["en"]
    page = (three_built / "build" / "spring" / "en" / "index.html").read_text(encoding="utf-8")
    assert "Mending Lines" in page and "Mending Ropes" not in page


def test_a_build_with_nothing_to_do_says_what_the_last_one_said(
    three_built: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = load_config(three_built)
    fill(three_built / "locales" / "fr" / "LC_MESSAGES" / "spring.po", lambda msgid: "")
    age(three_built, seconds=60)
    caplog.set_level(logging.INFO, logger="masthead")
    first = build(config, "spring")
    assert first.built == ()  # French falls below the threshold; the others are as they were
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any(m.startswith("fr: skipped") for m in said)
    caplog.clear()
    second = build(config, "spring")
    assert second.built == () and [lang.tag for lang in second.unchanged] == ["en", "zh-Hans"]
    assert [(lang.tag, reason) for lang, reason in second.skipped] == [
        (lang.tag, reason) for lang, reason in first.skipped
    ]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == said
    assert [r.getMessage() for r in caplog.records if r.getMessage().endswith("up to date")] == [
        "en: up to date", "zh-Hans: up to date"
    ]  # fmt: skip


def age(root: Path, seconds: float) -> None:
    """Every file of the workspace's sources as if written ``seconds`` ago."""
    then = time.time() - seconds
    for folder in ("issues", "locales", "templates"):
        for path in (root / folder).rglob("*"):
            if path.is_file():
                os.utime(path, (then, then))
    os.utime(root / "masthead.toml", (then, then))


def test_the_pdf_expected_to_take_longest_goes_to_a_worker_first(three_built: Path) -> None:
    from masthead.builder import LanguageJob, split_for_workers
    from masthead.editions import source_edition
    from masthead.publication import STAGES

    config = load_config(three_built)
    issue = load_issue(three_built / "issues" / "spring", root=three_built)
    jobs = [
        LanguageJob(source_edition(issue, config.language(tag)), config, three_built / tag, (), {})
        for tag in LANGUAGES
    ]
    order = [
        (job.edition.language.tag, job.stages)
        for job in split_for_workers(jobs, 2, {"zh-Hans": 9.0, "en": 3.0})
    ]
    # fr, not known, is taken to take the average of the others: after zh-Hans, before en.
    assert order == [
        ("zh-Hans", ("pdf",)), ("fr", ("pdf",)), ("en", ("pdf",)),
        ("zh-Hans", ("web", "email")), ("fr", ("web", "email")), ("en", ("web", "email")),
    ]  # fmt: skip
    assert [job.stages for job in split_for_workers(jobs, 1, {"zh-Hans": 9.0})] == [STAGES] * 3


def test_a_build_remembers_how_long_each_language_took_and_shrugs_off_a_damaged_record(
    three_built: Path,
) -> None:
    record = three_built / ".masthead-cache" / "seconds.json"
    seconds = json.loads(record.read_text(encoding="utf-8"))
    assert set(seconds) == set(LANGUAGES) and all(value > 0 for value in seconds.values())
    record.write_text("{not json", encoding="utf-8")
    report = build(load_config(three_built), "spring", ["fr"], force=True, jobs=2)
    assert [made.language.tag for made in report.built] == ["fr"]
    assert set(json.loads(record.read_text(encoding="utf-8"))) == {"fr"}
