"""Inputs the fuzzing test (test_fuzz.py) found crashing, each kept here as a plain regression test:
every one now gives a MastheadError naming its file and line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from masthead import (
    CatalogError,
    ConfigError,
    MastheadError,
    RenderError,
    SourceError,
    load_config,
    load_issue,
)
from masthead.catalogs import check_translation, read_catalog
from masthead.delivery import DeliveryError, import_subscribers
from masthead.editions import source_edition, written_in
from masthead.email import EmailError, render_email
from masthead.render import render_print
from masthead.theme import check_glyphs

from .conftest import edit

SPRING = Path("issues") / "spring"


def _load(workspace: Path) -> None:
    load_issue(workspace / SPRING, root=workspace)


@pytest.mark.parametrize("name", ["issue.yaml", "lead.md"])
def test_a_source_that_is_not_utf8_names_the_line_of_the_bad_byte(workspace: Path, name: str) -> None:
    path = workspace / SPRING / name
    path.write_bytes(
        path.read_bytes().replace(b"Spring at", b"Spring \xe9t").replace(b"Pier Reopens", b"Pi\xe9r")
    )
    with pytest.raises(SourceError, match="not UTF-8 text: byte 0xe9") as caught:
        _load(workspace)
    assert caught.value.path == path and caught.value.line == 3


def test_a_byte_order_mark_is_not_a_problem(workspace: Path) -> None:
    path = workspace / SPRING / "lead.md"
    before = load_issue(workspace / SPRING, root=workspace)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_issue(workspace / SPRING, root=workspace) == before  # the mark is no part of the text


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "names: [Ada Quill]",
            "names: {Ada: Quill}",
            24,
            "'names' in colophon entry must be a name or a list",
        ),
        (
            "names: [Harbour Friends, Ada Quill, Ben Ward]",
            "names: [[Harbour, Friends]]",
            29,
            "'names' in issue.yaml must be a name",
        ),
        ("title: Spring at the Harbour", "title: 50 %%masthead:web", 3, "holds '%%masthead:'"),
    ],
)
def test_names_and_reserved_markers_in_issue_yaml(
    workspace: Path, old: str, new: str, line: int, message: str
) -> None:
    edit(workspace / SPRING / "issue.yaml", old, new)
    with pytest.raises(SourceError, match=message) as caught:
        _load(workspace)
    assert caught.value.line == line


def test_a_single_name_is_one_name_not_its_letters(workspace: Path) -> None:
    edit(
        workspace / SPRING / "issue.yaml",
        "names: [Harbour Friends, Ada Quill, Ben Ward]",
        "names: Harbour Friends",
    )
    issue = load_issue(workspace / SPRING, root=workspace)
    assert issue.names == ("Harbour Friends",)


def test_a_reserved_marker_in_markdown_or_a_translation(workspace: Path) -> None:
    edit(workspace / SPRING / "lead.md", "## Who did the work", "## Who did %%masthead:html.web%%")
    with pytest.raises(SourceError, match="the heading holds '%%masthead:'") as caught:
        _load(workspace)
    assert caught.value.line == 14
    assert check_translation("Who did the work", "Qui %%masthead:html.web%%") == [
        "holds '%%masthead:', which masthead keeps for itself"
    ]


PO = """\
msgid ""
msgstr ""
"Language: fr\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgid "Mending Nets"
msgstr "Raccommoder les filets"
"""


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("charset=utf-8", "charset=KOI8-Z", 4, "the header's Content-Type cannot be read: charset 'KOI8-Z'"),
        ("charset=utf-8", "charset=latin-1", 4, "masthead reads catalogs as UTF-8"),
        ("charset=utf-8", "charset=utf\x00-8", 4, "masthead reads catalogs as UTF-8"),
        ("nplurals=2", "nplurals=x", 5, "the header's Plural-Forms cannot be read"),
        ('"Language: fr\\n"', '"Language: 0 fr\\n"', 3, "the header's Language cannot be read"),
        ('"Language: fr\\n"', '"PO-Revision-Date: yesterday\\n"', 3, "the header's PO-Revision-Date"),
        ("Raccommoder", "Raccommod\udce9r", 8, "not UTF-8 text: byte 0xe9"),
    ],
)
def test_a_catalog_header_babel_cannot_read_names_its_line(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    path = tmp_path / "spring.po"
    path.write_bytes(PO.replace(old, new).encode("utf-8", "surrogateescape"))
    with pytest.raises(CatalogError, match=message) as caught:
        read_catalog(path, locale="fr")
    assert caught.value.path == path and caught.value.line == line


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"", 1, "the file is empty"),
        (b"\nana@example.org\n", 1, "the first line must name the columns"),
        (b"address,name\nana@example.org,Ana\nben@example.org,B\xe9n\n", 3, "not UTF-8 text: byte 0xe9"),
    ],
)
def test_a_subscriber_list_that_cannot_be_read_names_its_line(
    workspace: Path, data: bytes, line: int, message: str
) -> None:
    path = workspace / "list.csv"
    path.write_bytes(data)
    with pytest.raises(DeliveryError, match=message) as caught:
        import_subscribers(load_config(workspace), path)
    assert caught.value.path == path and caught.value.line == line
    assert isinstance(caught.value, MastheadError)


@pytest.mark.parametrize("article_id", ["x" * 300, "../../../../etc/passwd", "/etc/hostname", "lead.md"])
def test_an_article_id_is_a_file_name_never_a_path(workspace: Path, article_id: str) -> None:
    edit(workspace / SPRING / "issue.yaml", "articles: [boats, nets]", f'articles: [boats, "{article_id}"]')
    edit(
        workspace / SPRING / "issue.yaml",
        "headlines: [lead, {article: boats, title: Three boats join the fleet}, nets]",
        "headlines: [lead, boats]",
    )
    with pytest.raises(SourceError, match="is not the name of an article file") as caught:
        _load(workspace)
    assert caught.value.line == 21


def test_a_line_separator_inside_a_translation_is_a_character(tmp_path: Path) -> None:
    path = tmp_path / "spring.po"
    path.write_text(PO.replace("Raccommoder les filets", "Raccommoder\u2028les filets"), encoding="utf-8")
    assert read_catalog(path, locale="fr")["Mending Nets"].string == "Raccommoder\u2028les filets"


def test_a_value_too_long_for_an_email_line_names_where_it_is_written(workspace: Path) -> None:
    alt = "a very long description " * 50
    edit(workspace / SPRING / "lead.md", "alt: The repaired pier", f"alt: {alt.strip()}")
    config = load_config(workspace)
    issue = load_issue(workspace / SPRING, root=workspace)
    with pytest.raises(EmailError, match="no safe place to break") as caught:
        render_email(source_edition(issue, config.source_language), config)
    assert caught.value.path == workspace / SPRING / "lead.md" and caught.value.line == 8


@pytest.mark.parametrize(
    ("setting", "written", "line"),
    [
        ('publisher = "Harbour Friends"', 'publisher = "Harbour %%masthead:x"', 3),
        # Written without the colon, which the email puts after the newsletter's name.
        ('name = ["Harbour Notes", "港口札记"]', 'name = "%%masthead"', 2),
    ],
)
def test_a_reserved_marker_in_the_settings_names_the_settings_line(
    workspace: Path, setting: str, written: str, line: int
) -> None:
    edit(workspace / "masthead.toml", setting, written)
    config = load_config(workspace)
    issue = load_issue(workspace / SPRING, root=workspace)
    with pytest.raises(EmailError, match="reserved marker") as caught:
        render_email(source_edition(issue, config.source_language), config)
    assert caught.value.path == workspace / "masthead.toml" and caught.value.line == line


@pytest.mark.parametrize("image", ["images/\\x00.png", "images/" + "x" * 300 + ".png"])
def test_an_image_path_the_file_system_refuses_is_named(workspace: Path, image: str) -> None:
    edit(workspace / SPRING / "lead.md", "image: images/pier.png", f'image: "{image}"')
    with pytest.raises(SourceError, match="is not a file name") as caught:
        _load(workspace)
    assert caught.value.line == 7


def test_a_character_without_a_font_written_as_an_escape_is_found(workspace: Path) -> None:
    edit(workspace / SPRING / "issue.yaml", "title: Spring at the Harbour", 'title: "Spring \\U0010FFFD"')
    config = load_config(workspace)
    edition = source_edition(load_issue(workspace / SPRING, root=workspace), config.source_language)
    with pytest.raises(RenderError, match="U\\+10FFFD") as caught:
        check_glyphs(render_print(edition, config), edition.language, written_in(config, edition))
    assert caught.value.path == workspace / SPRING / "issue.yaml" and caught.value.line == 3


def test_settings_that_are_not_utf8_name_the_line_of_the_bad_byte(workspace: Path) -> None:
    path = workspace / "masthead.toml"
    path.write_bytes(path.read_bytes().replace(b'publisher = "Harbour Friends"', b'publisher = "Harb\xf6ur"'))
    with pytest.raises(ConfigError, match="not UTF-8 text: byte 0xf6") as caught:
        load_config(workspace)
    assert caught.value.path == path and caught.value.line == 3


def test_a_postgresql_store_without_its_extra_names_the_setting(workspace: Path) -> None:
    """Run as an install without ``masthead[postgresql]`` runs: psycopg cannot be imported."""
    with (workspace / "masthead.toml").open("a", encoding="utf-8") as settings:
        settings.write('\n[subscribers]\ndatabase = "postgresql://news@db.example/news"\n')
    script = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from masthead.cli import main\n"
        f"sys.argv = ['masthead', '-C', {str(workspace)!r}, 'subscribers', 'list']\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "masthead.toml:9: [subscribers] database is a PostgreSQL URL" in result.stderr
    assert "pip install 'masthead[postgresql]'" in result.stderr


@pytest.mark.parametrize(
    ("expression", "error"),
    [
        ("{{ issue.number + 'x' }}", "TypeError"),
        ("{{ issue.names.index('Nobody') }}", "ValueError"),
        ("{{ 1 // (issue.number - 7) }}", "ZeroDivisionError"),
    ],
)
def test_a_python_error_in_a_workspace_template_names_its_file_and_line(
    workspace: Path, expression: str, error: str
) -> None:
    (workspace / "templates").mkdir()
    template = workspace / "templates" / "print.html"
    template.write_text(
        '{% extends "theme/print.html" %}\n{% block back_page %}\n\n<p>'
        + expression
        + "</p>\n{% endblock %}\n",
        encoding="utf-8",
    )
    config = load_config(workspace)
    edition = source_edition(load_issue(workspace / SPRING, root=workspace), config.source_language)
    with pytest.raises(RenderError, match=f"template error in print.html: {error}") as caught:
        render_print(edition, config)
    assert caught.value.path is not None and Path(caught.value.path) == template
    assert caught.value.line == 4


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("[newsletter]\nname = 0\nx", 3, "not valid TOML"),  # tomllib: "at end of document"
        ("[newsletters]\n", 1, r"\[newsletter\] has no name"),  # no such table: where to add it
        (
            '[newsletter]\nname = "N"\nlanguages = ["en"]\nsource_language = "en"\n'
            'base_url = "https://harbour.example.¡org/news/"\n',
            5,
            "in ASCII",
        ),
    ],
)
def test_settings_the_fuzzing_found_name_their_line(
    workspace: Path, text: str, line: int, message: str
) -> None:
    (workspace / "masthead.toml").write_text(text, encoding="utf-8")
    with pytest.raises(MastheadError, match=message) as caught:
        load_config(workspace)
    problems = getattr(caught.value, "problems", [caught.value])
    found = next(problem for problem in problems if re.search(message, problem.format()))
    assert found.path == workspace / "masthead.toml" and found.line == line
