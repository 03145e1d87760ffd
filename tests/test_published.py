"""The example newsletter as it is published: valid HTML in every language, every language linked
from every web page, whatever was built last."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from masthead import BuildReport, Config, build, load_config

REPO = Path(__file__).resolve().parents[1]
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="session")
def example(example_build: tuple[Config, BuildReport]) -> Path:
    """The repository's example workspace, built in every language that passes the threshold (the
    session's one build of it)."""
    config, report = example_build
    assert [b.language.tag for b in report.built] == ["en", "zh-Hans", "ar"]
    return config.root


def test_web_pages_and_emails_have_no_html_errors(example: Path) -> None:
    if not VNU.is_file():
        pytest.fail(f"no Nu Html Checker: 'make test' installs it as {VNU.relative_to(REPO)}")
    pages = sorted((example / "build").glob("*/*/index.html")) + sorted(
        (example / "build").glob("*/*/email.html")
    )
    assert len(pages) == 6
    # One run over every file: the checker starts a Java virtual machine each time.
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "gnu", *map(str, pages)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr or checked.stdout


def links(page: Path) -> set[str]:
    return set(re.findall(r'<a href="\.\./([\w-]+)/index\.html"', page.read_text(encoding="utf-8")))


def test_building_one_language_keeps_the_others_linked_and_built(example: Path) -> None:
    config = load_config(example)
    out = example / "build" / "winter-2026"
    built = {"en", "zh-Hans", "ar"}
    for tag in built:
        assert links(out / tag / "index.html") == built - {tag}
    report = build(config, languages=["ar"], force=True)
    assert [b.language.tag for b in report.built] == ["ar"]
    for tag in built:
        assert links(out / tag / "index.html") == built - {tag}, tag
    again = build(config)
    assert again.built == () and {lang.tag for lang in again.unchanged} == built
