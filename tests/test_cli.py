"""The command line, through click's CliRunner."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from masthead import load_issue
from masthead.cli import cli

from .conftest import edit


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.smoke
def test_build_writes_pdf_and_web_page(workspace: Path) -> None:
    code, output = run("-C", str(workspace), "build")
    assert code == 0, output
    out = workspace / "build" / "spring" / "en"
    assert (out / "spring.en.pdf").read_bytes().startswith(b"%PDF-")
    assert (out / "index.html").is_file()
    assert "spring.en.pdf" in output


def test_source_error_exits_1_naming_file_and_line(workspace: Path) -> None:
    edit(workspace / "issues" / "spring" / "issue.yaml", "layout: news", "layout: newz")
    code, output = run("-C", str(workspace), "build", "spring")
    assert code == 1
    assert "issue.yaml:20: unknown layout 'newz'" in output
    assert "did you mean 'news'" in output


def test_unknown_issue_suggests_the_nearest(workspace: Path) -> None:
    code, output = run("-C", str(workspace), "build", "sprin")
    assert code == 1 and "did you mean 'spring'" in output


def test_bad_usage_exits_2(workspace: Path) -> None:
    code, _ = run("-C", str(workspace), "build", "--no-such-option")
    assert code == 2


def test_init_then_build_out_of_the_box(tmp_path: Path) -> None:
    code, output = run("init", str(tmp_path / "letters"), "--name", "Letters")
    assert code == 0, output
    assert 'name = ["Letters"]' in (tmp_path / "letters" / "masthead.toml").read_text()
    code, output = run("-C", str(tmp_path / "letters"), "build")
    assert code == 0, output
    assert (tmp_path / "letters" / "build" / "first-issue" / "en" / "first-issue.en.pdf").is_file()
    # Never overwrite: a second init in the same place is refused.
    code, output = run("init", str(tmp_path / "letters"))
    assert code == 1 and "already a workspace" in output


def test_new_issue_builds_at_once(workspace: Path) -> None:
    code, output = run("-C", str(workspace), "new", "summer-2026")
    assert code == 0, output
    # Numbered one past the highest issue so far (the workspace's spring issue is number 7).
    assert load_issue(workspace / "issues" / "summer-2026", root=workspace).number == 8
    code, output = run("-C", str(workspace), "build", "summer-2026")
    assert code == 0, output
    assert (workspace / "build" / "summer-2026" / "en" / "summer-2026.en.pdf").is_file()
    code, output = run("-C", str(workspace), "new", "summer-2026")
    assert code == 1 and "already exists" in output
    assert "choose another slug, or edit the issue in issues/" in output
    code, output = run("-C", str(workspace), "new", "Bad Slug")
    assert code == 1 and "not a valid issue slug" in output


def test_doctor_passes_on_a_machine_set_up_by_make(workspace: Path) -> None:
    # make test installs every Debian package doctor looks for, so here every check passes.
    code, output = run("-C", str(workspace), "doctor")
    assert code == 0, output
    assert "ok   HarfBuzz subsetting" in output
    assert "ok   Font for en: Latin in Noto Serif and Noto Sans" in output
    assert "ok   Settings: masthead.toml: en" in output


def test_doctor_outside_a_workspace_says_it_checked_the_machine_only(tmp_path: Path) -> None:
    code, output = run("-C", str(tmp_path), "doctor")
    assert code == 0, output
    assert "warn Settings: no " in output and "masthead.toml: only the machine was checked" in output
    assert "ok   Font for en: Latin in Noto Serif and Noto Sans" in output


def test_doctor_fails_on_a_problem_and_names_it(workspace: Path) -> None:
    edit(
        workspace / "masthead.toml", 'base_url = "https://harbour.example.org/news/"', 'base_url = "ftp://x"'
    )
    code, output = run("-C", str(workspace), "doctor")
    assert code == 1
    assert f"FAIL Settings: 1 problem: {workspace / 'masthead.toml'}:6: [newsletter] base_url" in output
    assert "'ftp://x' is not valid" in output
    assert "ok   WeasyPrint" in output  # the other checks still run


def test_doctor_says_what_to_install_for_fast_subsetting(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("masthead._doctor.fast_subsetting", lambda: False)
    code, output = run("-C", str(workspace), "doctor")
    assert code == 1
    assert "FAIL HarfBuzz subsetting: missing" in output and "-> apt install libharfbuzz-subset0" in output


@pytest.mark.parametrize("terminal", [False, True])
def test_catalog_stats_with_only_the_source_language_says_why(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    monkeypatch.setattr("masthead.cli._catalog.is_terminal", lambda: terminal)
    code, output = run("-C", str(workspace), "catalog", "stats")
    assert code == 0, output
    assert "en is the source language and no other language is set" in output
    code, output = run("-C", str(workspace), "catalog", "stats", "-l", "en")
    assert code == 0 and "en is the source language, written in the issue itself" in output
    code, output = run("-C", str(workspace), "catalog", "stats", "--json")
    assert code == 0 and output.strip() == "[]"


def test_catalog_update_and_compile_with_only_the_source_language_say_why(workspace: Path) -> None:
    code, output = run("-C", str(workspace), "catalog", "update")
    assert code == 0 and "no catalogs to update: en is the source language" in output
    code, output = run("-C", str(workspace), "catalog", "compile")
    assert code == 0 and "no catalogs to compile: en is the source language" in output
    assert not (workspace / "locales" / "en").exists()


@pytest.mark.parametrize("group", [(), ("catalog",), ("subscribers",)])
def test_help_lists_every_command_with_its_whole_first_sentence(group: tuple[str, ...]) -> None:
    code, output = run(*group, "--help")
    listing = output.partition("Commands:")[2]
    assert code == 0 and listing.strip()
    assert "..." not in listing, listing
    for line in listing.strip().splitlines():
        if not line.startswith("    "):  # a command's first line: name, then its summary
            name, _, summary = line.strip().partition(" ")
            assert summary.strip(), f"{name} has no summary"


def test_help_of_translate_and_doctor_says_what_they_do() -> None:
    assert "one language's catalog" in run("translate", "--help")[1]
    assert "SLUG is the newest issue by default" in run("catalog", "update", "--help")[1]
    assert "DKIM keys" in run("--help")[1]
