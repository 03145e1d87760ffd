"""The example's long paragraph, GNU gettext's verdict on a catalog, and a catalog update as the
command line runs it: shared by the tests of catalog files and of their trip through XLIFF."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from click.testing import CliRunner
from polib import unescape

from masthead.cli import cli

PARAGRAPH = (
    "When I first walked into 41 Lantern Street in the autumn of 2004, I was looking for someone to help "
    "me read a letter from the housing office. Chow Mei-Ling put a glass of jasmine tea in front of me, "
    "read the letter twice, and then asked where my children went to school. I left an hour later with "
    "the letter answered, a place for my son at the homework club and a feeling I have been trying to "
    "pass on ever since: that here, nobody is a case number."
)
TITLE = "Thirty years on, the kettle is still on"


def gettext_check(path: Path) -> None:
    """GNU gettext's own verdict: msgfmt -c (syntax, header, format strings) and msgcat read it."""
    checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert (checked.returncode, checked.stderr) == (0, ""), path
    catted = subprocess.run(["msgcat", str(path)], capture_output=True, text=True)
    assert (catted.returncode, catted.stderr) == (0, ""), path


def previous_ids_by_gettext(path: Path) -> list[str]:
    """The previous msgids as GNU gettext reads them (msgcat writes each on one line with --no-wrap)."""
    text = subprocess.run(
        ["msgcat", "--no-wrap", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return [unescape(found) for found in re.findall(r'^#\| msgid "(.*)"$', text, re.MULTILINE)]


def update_cli(root: Path) -> list[str]:
    result = CliRunner().invoke(cli, ["-C", str(root), "catalog", "update"])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()
