import re
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from masthead import ConfigError, Problems, load_config
from masthead._config import TABLES, settings_table
from masthead._config._declare import Setting, settings_of
from masthead._scaffold import init_workspace
from masthead.cli import cli
from masthead.translate._providers import ALIASES, PROVIDERS

from .conftest import edit


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "masthead.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_valid_settings_resolve_languages_and_paths(workspace: Path) -> None:
    config = load_config(workspace)
    assert config.names == ("Harbour Notes", "港口札记")
    assert config.source_language.tag == "en"
    assert config.base_url == "https://harbour.example.org/news/"
    assert config.output == workspace / "build"
    assert config.print.page_size == "A4"


def test_languages_map_to_gettext_names_and_direction(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """
[newsletter]
name = "N"
source_language = "en"
languages = ["zh-Hans", "ar", "pt-BR"]
base_url = "https://x.example/"
""",
        )
    )
    assert [lang.catalog_name for lang in config.languages] == ["en", "zh_Hans", "ar", "pt_BR"]
    assert [lang.direction for lang in config.languages] == ["ltr", "ltr", "rtl", "ltr"]


def test_every_problem_is_reported_at_once_with_its_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        """\
[newsletter]
name = "N"
source_language = "en"
languages = ["en", "xx-Nope"]
base_url = "ftp://nowhere"
titel = "typo"

[print]
page_size = "A9"
crop_marks = "yes"
""",
    )
    with pytest.raises(Problems) as caught:
        load_config(tmp_path)
    report = caught.value.format()
    lines = {problem.line for problem in caught.value.problems}
    assert {4, 5, 6, 9, 10} <= lines
    assert "unknown language tag 'xx-Nope'" in report
    assert "expected an absolute http(s) URL" in report
    assert "unknown setting 'titel'" in report and "did you mean 'title'" not in report
    assert "masthead.toml:9" in report and "one of A3, A4" in report


def test_unknown_key_suggests_the_nearest(tmp_path: Path) -> None:
    write(
        tmp_path,
        '[newsletter]\nname = "N"\nsource_language = "en"\nbase_url = "https://x.example"\n'
        'langauges = ["fr"]\n',
    )
    with pytest.raises(ConfigError, match="did you mean 'languages'") as caught:
        load_config(tmp_path)
    assert caught.value.line == 5


def test_a_pdf_standard_weasyprint_does_not_write_is_located_and_the_known_ones_listed(
    tmp_path: Path,
) -> None:
    from weasyprint.pdf import VARIANTS

    base = '[newsletter]\nname = "N"\nsource_language = "en"\nbase_url = "https://x.example"\n[print]\n'
    write(tmp_path, base + 'pdf_variant = "pdf/a-3x"\n')
    with pytest.raises(ConfigError, match="pdf_variant = 'pdf/a-3x' is not valid") as caught:
        load_config(tmp_path)
    assert caught.value.line == 6
    report = caught.value.format()
    assert "did you mean 'pdf/a-3" in report
    assert all(name in report for name in VARIANTS if name.startswith("pdf/"))
    write(tmp_path, base + 'pdf_variant = "PDF/A-3b"\n')
    assert load_config(tmp_path).print.pdf_variant == "pdf/a-3b"
    write(tmp_path, base + 'pdf_variant = ""\n')
    assert load_config(tmp_path).print.pdf_variant is None


def test_malformed_toml_names_the_line(tmp_path: Path) -> None:
    write(tmp_path, '[newsletter]\nname = "N\n')
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.line == 2
    assert "masthead.toml:2" in caught.value.format()


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no masthead.toml") as caught:
        load_config(tmp_path)
    assert "masthead init" in caught.value.format()


def test_retries_are_bounded(workspace: Path) -> None:
    with (workspace / "masthead.toml").open("a", encoding="utf-8") as stream:
        stream.write("\n[delivery]\nmax_attempts = 1000000\nretry_delay = 86400\n")
        stream.write("\n[translation]\nmax_attempts = 0\n")
    with pytest.raises(Problems) as caught:
        load_config(workspace)
    report = caught.value.format()
    assert {problem.line for problem in caught.value.problems} == {9, 10, 13}
    assert "masthead.toml:9" in report and "1 to 20" in report
    assert "masthead.toml:10" in report and "seconds, 0 to 60" in report


# -- settings declared once: the README's table, init's file and the examples come from the declarations


ROOT = Path(__file__).resolve().parent.parent
REQUIRED = '[newsletter]\nname = "N"\nsource_language = "en"\nbase_url = "https://x.example/"\n'


def declared() -> list[tuple[str, Setting]]:
    return [(table, item) for table, cls in TABLES.items() for item in settings_of(cls)]


def test_readme_settings_table_is_made_from_the_declarations() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- settings:start -->\n", 1)[1].split("<!-- settings:end -->", 1)[0]
    assert block == settings_table(), "run scripts/update_readme_settings.py"
    for table, item in declared():
        assert f"**`[{table}]`**" in block
        assert f"| `{item.key}` |" in block


def test_every_declared_default_and_example_passes_its_own_check() -> None:
    for table, item in declared():
        assert item.help.endswith("."), (table, item.key)
        if item.has_plain_default:
            assert item.check.test(item.default), (table, item.key, item.default)
        if item.example is not None:
            assert item.check.test(item.example), (table, item.key, item.example)
        assert item.example is not None or item.has_plain_default, (table, item.key)


def test_init_writes_every_setting_with_its_help_and_the_defaults(tmp_path: Path) -> None:
    folder = init_workspace(tmp_path / "letters", "Letters")
    text = (folder / "masthead.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    for table, item in declared():
        assert re.search(rf"^(# )?{item.key} = ", text, re.MULTILINE), (table, item.key)
        assert item.help.split()[-1] in text
        # What is set is the default (or, for the required settings, the name given and an example).
        if item.key in data[table] and not item.required:
            assert data[table][item.key] == item.default, (table, item.key)
    # The file means exactly what the required settings alone mean.
    minimal = tmp_path / "minimal"
    minimal.mkdir()
    news = data["newsletter"]
    (minimal / "masthead.toml").write_text(
        f'[newsletter]\nname = ["Letters"]\nsource_language = "{news["source_language"]}"\n'
        f'base_url = "{news["base_url"]}"\n',
        encoding="utf-8",
    )
    expected = load_config(minimal)
    config = load_config(folder)
    assert replace(config, root=expected.root, output=expected.output) == expected
    assert config.output == folder / "build"
    assert config.names == ("Letters",)


def test_init_examples_switched_on_are_valid_settings(tmp_path: Path) -> None:
    folder = init_workspace(tmp_path / "letters", 'The "Quoted" Letter')
    toml = folder / "masthead.toml"
    switched_on = re.sub(r"^# (\w+ = )", r"\1", toml.read_text(encoding="utf-8"), flags=re.MULTILINE)
    toml.write_text(switched_on, encoding="utf-8")
    config = load_config(folder)
    assert config.names == ('The "Quoted" Letter',)
    assert config.publisher == 'The "Quoted" Letter'
    assert config.email.sender == 'The "Quoted" Letter <news@example.org>'
    assert [lang.tag for lang in config.languages] == ["en", "zh-Hans", "ar", "fr"]
    assert config.print.pdf_variant == "pdf/a-3b"
    assert config.translation.provider == "libre"
    assert config.delivery.username_env == "SMTP_USER"
    assert dict(config.local_names)["zh-Hans"] == "港口札记"


def test_readme_settings_examples_are_valid(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```toml\n(.*?)^```$", readme, re.MULTILINE | re.DOTALL)
    assert len(blocks) >= 3
    for block in blocks:
        text = block if "[newsletter]" in block else REQUIRED + block
        write(tmp_path, text)
        load_config(tmp_path)


def _provider_names(text: str) -> set[str]:
    """The words of ``text`` that name a translation provider (or an alias of one)."""
    words = {word.lower() for word in re.findall(r"[A-Za-z]+", text)}
    return words & (set(PROVIDERS) | set(ALIASES))


def test_examples_name_only_providers_that_translate_accepts(tmp_path: Path) -> None:
    usable = {name for name, spec in PROVIDERS.items() if not spec.broken}
    refused = [spec for spec in PROVIDERS.values() if spec.broken]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    init_workspace(tmp_path / "ws", "Letters")
    texts = {
        "README examples": "\n".join(re.findall(r"^```toml\n(.*?)^```$", readme, re.MULTILINE | re.DOTALL)),
        "README settings table": settings_table(),
        "init's masthead.toml": (tmp_path / "ws" / "masthead.toml").read_text(encoding="utf-8"),
        "translate --help": CliRunner().invoke(cli, ["translate", "--help"]).output,
        "the settings' help": "\n".join(
            f"{item.help} {item.check.expects} {item.example}" for _table, item in declared()
        ),
    }
    provider_setting = dict((item.key, item) for table, item in declared() if table == "translation")
    assert provider_setting["provider"].example in usable
    for where, text in texts.items():
        named = {ALIASES.get(name, name) for name in _provider_names(text)}
        assert named, where
        assert named <= usable, (where, named - usable)
        for spec in refused:
            for variable in filter(None, (spec.key_env, spec.secret_env)):
                assert variable not in text, (where, variable)


# -- output: a folder of its own, inside the workspace or anywhere else, never over what people wrote


def test_an_absolute_output_builds_and_sends_from_there(workspace: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    edit(workspace / "masthead.toml", 'languages = ["en"]', f'languages = ["en"]\noutput = "{site}"')

    result = CliRunner().invoke(cli, ["-C", str(workspace), "build", "spring"])

    assert result.exit_code == 0, result.output
    pdf = site / "spring" / "en" / "spring.en.pdf"
    assert f"en: {pdf} (" in result.output
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert (site / "spring" / "en" / "email.template").is_file()
    assert not (workspace / "build").exists()
    # The campaign finds the editions where the build put them.
    add = CliRunner().invoke(cli, ["-C", str(workspace), "subscribers", "add", "ana@example.org"])
    assert add.exit_code == 0, add.output
    plan = CliRunner().invoke(
        cli,
        ["-C", str(workspace), "send", "spring", "--dry-run", "--transport", "maildir"],
        env={"MASTHEAD_SECRET": "s" * 32},
    )
    assert plan.exit_code == 0, plan.output
    assert "spring: 1 to send by maildir" in plan.output


def test_an_output_outside_the_workspace_may_be_relative(workspace: Path) -> None:
    edit(workspace / "masthead.toml", 'languages = ["en"]', 'languages = ["en"]\noutput = "../site"')
    config = load_config(workspace)
    assert config.output == workspace.parent / "site"


@pytest.mark.parametrize(
    ("output", "why"),
    [
        (".", "is the workspace itself"),
        ("..", "holds the workspace"),
        ("issues", "is inside issues/"),
        ("issues/spring/build", "is inside issues/"),
        ("templates", "is inside templates/"),
        ("./locales/../locales", "is inside locales/"),
    ],
)
def test_an_output_over_what_people_wrote_is_refused(workspace: Path, output: str, why: str) -> None:
    edit(workspace / "masthead.toml", 'languages = ["en"]', f'languages = ["en"]\noutput = "{output}"')

    result = CliRunner().invoke(cli, ["-C", str(workspace), "build", "spring"])

    assert result.exit_code == 1
    assert f"masthead.toml:6: [newsletter] output = {output!r} {why}" in result.output
    assert "choose a folder of its own" in result.output
    assert sorted(p.name for p in workspace.iterdir()) == ["issues", "masthead.toml"]
    assert sorted(p.name for p in (workspace / "issues" / "spring").iterdir()) == [
        "boats.md", "history.md", "images", "issue.yaml", "lead.md", "nets.md",
    ]  # fmt: skip


def test_a_problem_in_a_subtable_names_its_header_line(tmp_path: Path) -> None:
    write(tmp_path, REQUIRED + '\n[newsletter.local_names]   # names readers know\nxx-Nope = "X"\n')
    with pytest.raises(ConfigError, match="unknown language tag 'xx-Nope' in local_names") as caught:
        load_config(tmp_path)
    assert caught.value.line == 6


def test_one_postal_address_or_a_local_form_per_language(tmp_path: Path) -> None:
    base = REQUIRED.replace('source_language = "en"', 'source_language = "en"\nlanguages = ["zh-Hant", "fr"]')
    config = load_config(write(tmp_path, base + 'postal_address = "1 Pier Road, Harbourtown"\n'))
    assert [config.postal_address_for(lang) for lang in config.languages] == ["1 Pier Road, Harbourtown"] * 3
    local = '\n[newsletter.postal_address]\nen = "1 Pier Road, Harbourtown"\nzh-Hant = "海港鎮碼頭路1號"\n'
    config = load_config(write(tmp_path, base + local))
    by_language = {lang.tag: config.postal_address_for(lang) for lang in config.languages}
    assert by_language == {
        "en": "1 Pier Road, Harbourtown",
        "zh-Hant": "海港鎮碼頭路1號",
        "fr": "1 Pier Road, Harbourtown",
    }
    assert load_config(write(tmp_path, base)).postal_address_for(config.source_language) is None


def test_a_postal_address_table_needs_the_source_language(tmp_path: Path) -> None:
    write(tmp_path, REQUIRED + '\n[newsletter.postal_address]\nzh-Hant = "海港鎮碼頭路1號"\nxx-Nope = "?"\n')
    with pytest.raises(Problems) as caught:
        load_config(tmp_path)
    messages = [problem.format() for problem in caught.value.problems]
    assert any(
        "masthead.toml:6: postal_address has no address for the source language 'en'" in m for m in messages
    )
    assert any("masthead.toml:6: unknown language tag 'xx-Nope' in postal_address" in m for m in messages)


def test_the_postal_address_of_the_email_table_says_where_it_moved(tmp_path: Path) -> None:
    write(tmp_path, REQUIRED + '[email]\npostal_address = "1 Pier Road"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.line == 6
    assert "move it there" in caught.value.format() and "[newsletter] postal_address" in caught.value.format()
