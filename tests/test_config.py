from pathlib import Path

import pytest

from masthead import ConfigError, Problems, load_config


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
