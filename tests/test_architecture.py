"""The package's architecture holds: import-linter's contracts (pyproject.toml) pass, they fail when a
module reaches into another package's private module, and there is no import circle nor a crowded package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "src" / "masthead"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MOST_MODULES = 12
"""The most modules a package holds directly: past it, its parts want packages of their own."""


def lint_imports(root: Path, source: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` run in ``root`` (for its pyproject.toml) on the package in ``source``."""
    env = {**os.environ, "PYTHONPATH": str(source.parent)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_contracts_hold() -> None:
    done = lint_imports(REPO, SOURCE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout


def test_a_private_import_across_packages_breaks_a_contract(tmp_path: Path) -> None:
    shutil.copy2(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    copy = tmp_path / "src" / "masthead"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    site = copy / "web" / "_site.py"
    site.write_text(site.read_text(encoding="utf-8") + "\nfrom ..theme import _fonts\n", encoding="utf-8")
    done = lint_imports(tmp_path, copy)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "No module imports another package's private module BROKEN" in done.stdout
    assert "masthead.web._site" in done.stdout and "masthead.theme._fonts" in done.stdout


def test_no_import_circle() -> None:
    graph = grimp.build_graph("masthead")
    circles = [
        (module, imported)
        for module in sorted(graph.modules)
        for imported in sorted(graph.find_modules_directly_imported_by(module))
        if graph.chain_exists(importer=imported, imported=module)
    ]
    assert circles == []


def test_no_package_holds_more_than_a_dozen_modules() -> None:
    crowded = {
        str(folder.relative_to(SOURCE.parent)): count
        for folder in [SOURCE, *SOURCE.rglob("*")]
        if folder.is_dir() and (count := len(list(folder.glob("*.py")))) > MOST_MODULES
    }
    assert crowded == {}
    assert len(list(SOURCE.glob("*.py"))) >= 2  # the count sees the package's modules
