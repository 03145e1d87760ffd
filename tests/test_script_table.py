"""The script table's answers where a reader or an editor meets them: how a label meets its value in
each language, and what doctor and the glyph preflight say on a machine without a script's fonts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from masthead import language, load_config
from masthead.catalogs import theme_translations
from masthead.theme import render_template

from .conftest import write_workspace

PROBE = '{% from "labels.html" import label with context %}[{{ label(_("Website"), "example.org") }}]'


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", "[Website: example.org]"),
        ("fr", "[Site web\u00a0: example.org]"),
        ("ja", "[ウェブサイト：example.org]"),
        ("zh-Hant", "[網站：example.org]"),
        ("am", "[ድረ ገጽ፦ example.org]"),
        ("th", "[เว็บไซต์: example.org]"),
        # No theme catalog for Armenian: its script's way, with the English label.
        ("hy", "[Website՝ example.org]"),
        ("ka", "[Website: example.org]"),
    ],
)
def test_a_label_meets_its_value_in_the_way_of_its_language(tmp_path: Path, tag: str, expected: str) -> None:
    root = write_workspace(tmp_path / "ws")
    (root / "templates").mkdir()
    (root / "templates" / "probe.html").write_text(PROBE, encoding="utf-8")
    config = load_config(root)
    lang = language(tag)
    page = render_template(
        "probe.html", templates_dir=config.templates_dir, language=lang,
        translations=theme_translations(config, lang),
    )  # fmt: skip
    assert page == expected


def _restricted_fontconfig(tmp_path: Path) -> dict[str, str]:
    """An environment whose fontconfig knows Latin and Japanese fonts only, as on a machine where
    fonts-noto-cjk is installed but the Noto fonts of other scripts are not."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for family in ("Noto Serif", "Noto Sans", "Noto Serif:bold", "Noto Sans:bold", "Noto Serif CJK JP",
                   "Noto Sans CJK JP"):  # fmt: skip
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=True
        )
        target = fonts / Path(found.stdout).name
        if not target.exists():
            target.symlink_to(found.stdout)
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{fonts}</dir>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def _masthead(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "masthead", *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_without_a_scripts_fonts_doctor_and_the_preflight_name_its_package(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    config = root / "masthead.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('languages = ["en"', 'languages = ["en", "ja", "hi"', 1)
        + "\n[catalogs]\nthreshold = 0\n",
        encoding="utf-8",
    )
    issue = root / "issues" / "spring" / "issue.yaml"
    issue.write_text(
        issue.read_text(encoding="utf-8").replace("title: ", "title: पुस्तकालय ", 1), encoding="utf-8"
    )
    env = _restricted_fontconfig(tmp_path)

    doctor = _masthead(env, "-C", str(root), "doctor")
    assert doctor.returncode == 1, doctor.stdout + doctor.stderr
    lines = doctor.stdout.splitlines()
    hindi = next(line for line in lines if "Font for hi" in line)
    assert (
        hindi.startswith("FAIL")
        and "Devanagari: Noto Serif Devanagari and Noto Sans Devanagari not installed" in hindi
    )
    assert "apt install fonts-noto-core" in doctor.stdout
    assert any(line.startswith("ok   Font for ja: Japanese in Noto Serif CJK JP") for line in lines)

    # The Japanese edition prints the English title, which holds a Devanagari word: the package to
    # install is the one with Devanagari fonts, not the Japanese edition's own.
    built = _masthead(env, "-C", str(root), "build", "-l", "ja", "--force")
    assert built.returncode == 1
    message = built.stdout + built.stderr
    assert "U+092A DEVANAGARI LETTER PA" in message, message
    assert "Devanagari: apt install fonts-noto-core (Noto Serif Devanagari, Noto Sans Devanagari)" in message
    assert "fonts-noto-cjk" not in message
