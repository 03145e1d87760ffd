"""The theme: design tokens shared by print, web and email, and fonts chosen by the edition's language."""

from __future__ import annotations

import logging
import re
import subprocess
from pathlib import Path

import pytest

from masthead import build, language
from masthead._config import Config, load_config
from masthead._errors import RenderError
from masthead.catalogs import theme_translations
from masthead.editions import Edition
from masthead.email import render_email
from masthead.email._tokens import resolve_tokens
from masthead.render import render_print, render_web, write_pdf
from masthead.sources import find_issue, load_issue
from masthead.theme import check_pairs, contrast_ratio, theme_contrast

from .conftest import pdf_pages


def sample_edition(config: Config, tag: str) -> Edition:
    issue = load_issue(find_issue(config.issues_dir, None), root=config.root)
    return Edition(issue, language(tag))


def _pdf_fonts(config: Config, tag: str, target: Path) -> str:
    edition = sample_edition(config, tag)
    page = render_print(edition, config, theme_translations(config, edition.language))
    write_pdf(page, target, base_url=config.issues_dir / edition.issue.slug, settings=config.print)
    return subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout


def test_japanese_running_heads_use_japanese_glyph_forms(workspace: Path, tmp_path: Path) -> None:
    # The footer's issue line (第7号 · 2026年3月1日) is drawn in the running heads' font: Japanese
    # forms of these characters differ from the Chinese ones, so a Chinese font would be wrong.
    fonts = _pdf_fonts(load_config(workspace), "ja", tmp_path / "ja.pdf")
    assert "Noto-Sans-CJK-JP" in fonts
    assert "CJK-SC" not in fonts, fonts


@pytest.mark.parametrize(
    ("tag", "serif", "sans"),
    [
        ("ja", "Noto Serif CJK JP", "Noto Sans CJK JP"),
        ("ko", "Noto Serif CJK KR", "Noto Sans CJK KR"),
        ("zh-Hans", "Noto Serif CJK SC", "Noto Sans CJK SC"),
        ("zh-Hant", "Noto Serif CJK TC", "Noto Sans CJK TC"),
        ("zh-TW", "Noto Serif CJK TC", "Noto Sans CJK TC"),
        ("zh-HK", "Noto Serif CJK HK", "Noto Sans CJK HK"),
        ("zh-Hant-HK", "Noto Serif CJK HK", "Noto Sans CJK HK"),
        ("ar", "Noto Naskh Arabic", "Noto Sans Arabic"),
        ("fr", "Noto Serif", "Noto Sans"),
    ],
)
def test_each_language_gets_its_own_script_first(workspace: Path, tag: str, serif: str, sans: str) -> None:
    config = load_config(workspace)
    page = render_print(sample_edition(config, tag), config)

    def families(token: str) -> list[str]:
        match = re.search(rf"{token}: ([^;]+);", page)
        assert match, token
        return re.findall(r'"([^"]+)"', match.group(1))

    assert families("--font-serif")[0] == serif
    assert families("--font-sans")[0] == sans
    # Running heads: Latin figures first, then the language's own script before any other.
    assert (
        families("--font-running-head")[:2]
        == list(dict.fromkeys(["Noto Sans", sans, "Noto Sans CJK SC"]))[:2]
    )


def test_email_carries_the_token_values_and_no_custom_property(workspace: Path) -> None:
    config = load_config(workspace)
    page = render_email(sample_edition(config, "en"), config).html
    assert "var(" not in page and "--color-" not in page
    assert re.search(r'<td class="masthead" style="[^"]*background: #0f4c5c', page)
    assert re.search(r"@media \(prefers-color-scheme: dark\)[^@]*background: #11191c !important", page)


def test_a_workspace_changes_a_token_for_print_web_and_email(workspace: Path) -> None:
    (workspace / "templates").mkdir()
    (workspace / "templates" / "tokens.css").write_text(
        '{% include "theme/tokens.css" %}\n:root { --color-brand: #603060; }\n', encoding="utf-8"
    )
    config = load_config(workspace)
    edition = sample_edition(config, "en")
    email = render_email(edition, config).html
    assert re.search(r'<td class="masthead" style="[^"]*background: #603060', email)
    assert "#0f4c5c" not in email and "var(" not in email
    for page in (render_print(edition, config), render_web(edition, config)):
        tokens = page.index("--color-brand: #0f4c5c"), page.index("--color-brand: #603060")
        assert tokens[0] < tokens[1]  # the workspace's value comes later, so it wins


def test_resolve_tokens_substitutes_only_css() -> None:
    page = (
        "<style>:root { --a: #111; --b: var(--a); color-scheme: light; }\n"
        ":root { --a: #222; }\n"
        "p { color: var(--b); border: 1px solid var(--missing, var(--a)); }</style>"
        '<p style="background: var(--a)">Write var(--a) in CSS.</p>'
    )
    assert resolve_tokens(page) == (
        "<style>:root { color-scheme: light; }\n"
        "p { color: #222; border: 1px solid #222; }</style>"
        '<p style="background: #222">Write var(--a) in CSS.</p>'
    )


@pytest.mark.parametrize(
    ("css", "message"),
    [
        ("p { color: var(--nowhere); }", "var(--nowhere), which no :root rule defines"),
        (":root { --a: var(--b); --b: var(--a); } p { color: var(--a); }", "refers to itself"),
    ],
)
def test_resolve_tokens_names_what_it_cannot_resolve(css: str, message: str) -> None:
    with pytest.raises(RenderError, match=re.escape(message)):
        resolve_tokens(f"<style>{css}</style>")


def _override(workspace: Path, name: str, text: str) -> Config:
    (workspace / "templates").mkdir(exist_ok=True)
    (workspace / "templates" / name).write_text(text, encoding="utf-8")
    return load_config(workspace)


def _readme_example() -> str:
    """The README's example of a template that overrides one block."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```jinja\n(\{% extends \"theme/print.html\" %\}.*?)```", readme, re.DOTALL)
    assert match, "the README's theme override example"
    return match.group(1)


def test_overriding_one_block_changes_only_that_block(workspace: Path, tmp_path: Path) -> None:
    config = load_config(workspace)
    edition = sample_edition(config, "en")
    before = render_print(edition, config)
    start = before.index('<section class="back">')
    theirs = before[start : before.rindex("</section>") + len("</section>\n")]
    config = _override(workspace, "print.html", _readme_example())
    after = render_print(edition, config)
    ours = after[start : after.rindex("</section>") + len("</section>\n")]
    assert before.count(theirs) == 1
    assert after == before.replace(theirs, ours)
    assert "Website: https://harbour.example.org" in ours and "contact" not in ours
    assert "About this issue" in ours  # the colophon kept on the new back page
    # And in the PDF, the back page is the new one and every other page is as it was.
    write_pdf(after, tmp_path / "after.pdf", base_url=edition.issue.folder, settings=config.print)
    write_pdf(before, tmp_path / "before.pdf", base_url=edition.issue.folder, settings=config.print)
    old, new = pdf_pages(tmp_path / "before.pdf"), pdf_pages(tmp_path / "after.pdf")
    assert new[:-1] == old[:-1]
    assert "hello@harbour.example.org" in old[-1] and "hello@harbour.example.org" not in new[-1]
    assert "Website: https://harbour.example.org" in new[-1]


FIGURE = """\
{% extends "theme/base.html" %}
{% block figure %}
<figure class="plain"><img src="{{ image_url(fig.image) }}" alt="{{ fig.alt|plain }}"></figure>
{% endblock %}
"""


def test_a_block_inside_the_shared_macros_changes_print_and_web(workspace: Path) -> None:
    config = load_config(workspace)
    edition = sample_edition(config, "en")
    pages = [render(edition, config) for render in (render_print, render_web)]
    config = _override(workspace, "base.html", FIGURE)
    figure = re.compile(
        r'<figure(?: id="[^"]*")? class="figure[^"]*">\s*(<img [^>]*>).*?</figure>\n', re.DOTALL
    )
    for before, render in zip(pages, (render_print, render_web), strict=True):
        assert len(figure.findall(before)) == 3  # the cover's, the lead's and the timeline's
        expected = figure.sub(lambda m: f'<figure class="plain">{m.group(1)}</figure>\n', before)
        assert render(edition, config) == expected


FOOTER = """\
{% extends "theme/email.html" %}
{% block email_footer %}
{{ super() }}
  <tr><td class="note">Printed on recycled paper.</td></tr>
{% endblock %}
"""


def test_an_email_block_extends_the_theme_with_super(workspace: Path) -> None:
    config = load_config(workspace)
    edition = sample_edition(config, "en")
    before = render_email(edition, config).html
    after = render_email(edition, _override(workspace, "email.html", FOOTER)).html
    note = re.compile(r'\n  <tr><td class="note" style="[^"]*">Printed on recycled paper\.</td></tr>\n')
    assert len(note.findall(after)) == 1
    assert after.index("Unsubscribe") < after.index("Printed on recycled paper.")
    assert note.sub("", after) == before


def test_a_template_that_extends_itself_is_named(workspace: Path) -> None:
    config = _override(workspace, "print.html", '{% extends "print.html" %}\n')
    with pytest.raises(RenderError, match="extends or includes itself") as error:
        render_print(sample_edition(config, "en"), config)
    assert 'extends "theme/print.html"' in str(error.value)


def test_a_mistake_in_a_workspace_template_names_its_file_and_line(workspace: Path) -> None:
    source = '{% extends "theme/print.html" %}\n{% block back_page %}\n<p>{{ issue.back.nothing.more }}</p>\n'
    config = _override(workspace, "print.html", source + "{% endblock %}\n")
    with pytest.raises(RenderError, match="has no attribute 'nothing'") as error:
        render_print(sample_edition(config, "en"), config)
    assert error.value.path is not None and Path(error.value.path) == workspace / "templates" / "print.html"
    assert error.value.line == 3 and "blocks and what templates see" in error.value.format()
    config = _override(workspace, "print.html", source + "{% endblok %}\n")
    with pytest.raises(RenderError, match="endblok") as error:
        render_print(sample_edition(config, "en"), config)
    assert error.value.line == 4 and "blocks and what templates see" in error.value.format()


def test_the_theme_colours_contrast_enough_in_every_script(workspace: Path) -> None:
    config = load_config(workspace)
    assert theme_contrast(config, [language(tag) for tag in ("en", "ar", "zh-Hans", "ja", "he")]) == []
    assert contrast_ratio((0, 0, 0), (1, 1, 1)) == pytest.approx(21)
    assert contrast_ratio((1, 1, 1), (1, 1, 1)) == pytest.approx(1)


def test_a_token_override_that_breaks_a_pair_is_named_with_its_ratio(
    workspace: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (workspace / "templates").mkdir()
    (workspace / "templates" / "tokens.css").write_text(
        '{% include "theme/tokens.css" %}\n'
        ":root { --color-accent-ink: #e8a060; --color-dark-muted: var(--color-muted); }\n",
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING, logger="masthead.build"):
        report = build(load_config(workspace), jobs=1)
    assert report.built  # a warning, not a refusal: the designer decides
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert (
        "templates/tokens.css: --color-accent-ink (#e8a060) on --color-paper (#fbf6ec), kickers, labels and "
        "section titles: 2.02:1, below the 4.5:1 WCAG 2.2 AA asks for text" in warnings
    )
    # A token set from another is checked with the value it ends up with, in the dark scheme too.
    assert any(
        w.startswith("templates/tokens.css: --color-dark-muted (#5b6770) on --color-dark-paper")
        for w in warnings
    )
    assert len(warnings) == len(set(warnings))


def test_a_translucent_colour_is_checked_as_it_shows_on_its_background() -> None:
    tokens = {"--color-ink": "rgba(34, 40, 44, 0.3)", "--color-paper": "#fbf6ec"}
    (problem,) = check_pairs(tokens)
    assert problem.ratio is not None and 1.5 < problem.ratio < 2
    (unreadable,) = check_pairs({"--color-ink": "color-mix(in srgb, red, blue)", "--color-paper": "#fff"})
    assert unreadable.ratio is None and "not a colour whose contrast can be checked" in str(unreadable)


@pytest.mark.parametrize(
    ("tag", "italics"),
    [("en", True), ("fr", True), ("ru", True), ("sr-Latn", True), ("ar", False), ("he", False),
     ("zh-Hans", False), ("zh-TW", False), ("ja", False), ("ko", False), ("hi", False)],
)  # fmt: skip
def test_scripts_without_italics_emphasise_by_weight_or_marks(
    workspace: Path, tag: str, italics: bool
) -> None:
    assert language(tag).has_italics is italics
    config = load_config(workspace)
    edition = sample_edition(config, tag)
    email = render_email(edition, config).html
    emphasis = re.search(r"<em( style=\"[^\"]*\")?>bright</em>", email)
    assert emphasis, "the lead's *bright* is not emphasised"
    slanted = "font-style: normal" not in (emphasis.group(1) or "")
    assert slanted is italics
    for page in (render_print(edition, config), render_web(edition, config)):
        assert ("em, i { font-weight: 700; }" not in page) is italics
    marks = "text-emphasis: filled dot" if tag.startswith("zh") else "text-emphasis: filled sesame"
    assert (marks in email) is tag.startswith(("zh", "ja"))
