from pathlib import Path

import pytest

from masthead import MastheadError, Problems, SourceError, load_issue
from masthead.sources import Figure, Heading, ItemList, Paragraph

from .conftest import edit


def issue_dir(workspace: Path) -> Path:
    return workspace / "issues" / "spring"


def load(workspace: Path):  # type: ignore[no-untyped-def]
    return load_issue(issue_dir(workspace), root=workspace)


def test_loads_every_element_of_the_issue(workspace: Path) -> None:
    issue = load(workspace)
    assert issue.slug == "spring" and issue.number == 7 and str(issue.date) == "2026-03-01"
    assert issue.title.source == "Spring at the Harbour"
    assert issue.title.origin.path == "issues/spring/issue.yaml" and issue.title.origin.line == 3
    assert issue.cover is not None and issue.cover.credit is not None
    assert issue.cover.credit.source == "Ada Quill" and issue.cover.credit_label == "photo"
    assert [s.layout for s in issue.sections] == ["feature", "timeline", "news"]
    assert [entry.article for entry in issue.headlines] == ["lead", "boats", "nets"]
    assert [str(entry.title) for entry in issue.headlines if entry.title] == ["Three boats join the fleet"]
    lead = issue.article("lead")
    assert lead.author == "Ada Quill" and lead.kicker is not None
    assert lead.figure is not None and lead.figure.image == "images/pier.png"
    kinds = [type(block) for block in lead.body]
    assert kinds == [Paragraph, Heading, Paragraph, ItemList]
    first = lead.body[0]
    assert isinstance(first, Paragraph)
    # Inline Markdown stays inside the message, and the message knows its line.
    assert first.text.source.endswith("with a [map](https://harbour.example.org/map).")
    assert "*bright*" in first.text.source
    assert first.text.origin.line == 12
    items = lead.body[3]
    assert isinstance(items, ItemList) and items.items[1].source == "Two carpenters from the yard"
    history = issue.article("history")
    figure = next(block for block in history.body if isinstance(block, Figure))
    assert figure.caption is not None and figure.caption.origin.line == 11
    assert issue.article("boats").source is not None
    assert issue.colophon[0].names == ("Ada Quill",)
    assert issue.back is not None and issue.back.email == "hello@harbour.example.org"
    assert issue.images == ("images/cover.png", "images/pier.png")


def test_malformed_yaml_names_file_and_line(workspace: Path) -> None:
    edit(issue_dir(workspace) / "issue.yaml", "kicker: Special issue", "kicker: [Special issue")
    with pytest.raises(SourceError) as caught:
        load(workspace)
    assert caught.value.path == issue_dir(workspace) / "issue.yaml"
    assert caught.value.line is not None and caught.value.line >= 4
    assert "malformed YAML" in caught.value.format()


def test_malformed_front_matter_names_the_file_line(workspace: Path) -> None:
    edit(issue_dir(workspace) / "boats.md", "title: New Boats", "title: New Boats\n  bad: [")
    with pytest.raises(SourceError) as caught:
        load(workspace)
    assert caught.value.path is not None and caught.value.path.name == "boats.md"
    assert caught.value.line in (2, 3, 4)


def test_unknown_keys_suggest_the_nearest(workspace: Path) -> None:
    edit(issue_dir(workspace) / "issue.yaml", "summary:", "sumary:")
    edit(issue_dir(workspace) / "lead.md", "standfirst:", "standfrist:")
    with pytest.raises(Problems) as caught:
        load(workspace)
    messages = [p.format() for p in caught.value.problems]
    assert any("issue.yaml:5: unknown key 'sumary'" in m and "did you mean 'summary'" in m for m in messages)
    assert any("lead.md:4: unknown key 'standfrist'" in m and "'standfirst'" in m for m in messages)


def test_missing_article_and_image_files(workspace: Path) -> None:
    (issue_dir(workspace) / "nets.md").unlink()
    (issue_dir(workspace) / "images" / "cover.png").unlink()
    with pytest.raises(Problems) as caught:
        load(workspace)
    report = caught.value.format()
    assert "issue.yaml:21: article 'nets' not found: no file nets.md" in report
    assert "issue.yaml:7: image file 'images/cover.png' not found" in report


def test_image_without_alt_text(workspace: Path) -> None:
    edit(issue_dir(workspace) / "history.md", "alt: The first pier\n", "")
    with pytest.raises(SourceError, match="has no alt text") as caught:
        load(workspace)
    assert caught.value.path is not None and caught.value.path.name == "history.md"
    assert caught.value.line == 9


def test_inline_image_without_alt_text(workspace: Path) -> None:
    text = (issue_dir(workspace) / "nets.md").read_text()
    (issue_dir(workspace) / "nets.md").write_text(text + "\n![](images/pier.png)\n")
    with pytest.raises(SourceError, match="has no alt text") as caught:
        load(workspace)
    assert caught.value.line == 7


def test_an_image_inside_a_sentence_is_refused(workspace: Path) -> None:
    text = (issue_dir(workspace) / "nets.md").read_text()
    (issue_dir(workspace) / "nets.md").write_text(text + "\nSee ![the nets](images/pier.png) here.\n")
    with pytest.raises(SourceError, match="an image inside a paragraph") as caught:
        load(workspace)
    assert caught.value.line == 7


def test_duplicate_article_ids(workspace: Path) -> None:
    edit(issue_dir(workspace) / "issue.yaml", "articles: [boats, nets]", "articles: [boats, lead]")
    edit(
        issue_dir(workspace) / "issue.yaml",
        "headlines: [lead, {article: boats, title: Three boats join the fleet}, nets]",
        "headlines: [lead]",
    )
    with pytest.raises(SourceError, match="'lead' is listed twice") as caught:
        load(workspace)
    assert caught.value.line == 21


def test_headline_that_is_not_an_article(workspace: Path) -> None:
    edit(
        issue_dir(workspace) / "issue.yaml",
        "headlines: [lead, {article: boats, title: Three boats join the fleet}, nets]",
        "headlines: [lead, boat]",
    )
    with pytest.raises(SourceError, match="did you mean 'boats'"):
        load(workspace)


def test_article_without_front_matter(workspace: Path) -> None:
    (issue_dir(workspace) / "nets.md").write_text("Just text.\n")
    with pytest.raises(SourceError, match="no front matter") as caught:
        load(workspace)
    assert caught.value.line == 1


def test_every_problem_of_one_pass_names_its_file_and_line(workspace: Path) -> None:
    edit(issue_dir(workspace) / "issue.yaml", "layout: news", "layout: newz")
    edit(issue_dir(workspace) / "issue.yaml", "date: 2026-03-01", "date: March")
    edit(issue_dir(workspace) / "lead.md", "image: images/pier.png", "image: images/peir.png")
    edit(issue_dir(workspace) / "nets.md", "title: Mending Nets", "title: [Mending, Nets]")
    with pytest.raises(Problems) as caught:
        load(workspace)
    found = {(p.path.name if p.path else None, p.line, type(p)) for p in caught.value.problems}
    assert found == {
        ("issue.yaml", 2, SourceError),
        ("issue.yaml", 20, SourceError),
        ("lead.md", 7, SourceError),
        ("nets.md", 2, SourceError),
    }
    assert isinstance(caught.value, MastheadError)


def test_a_back_page_address_points_to_the_postal_address_setting(workspace: Path) -> None:
    edit(issue_dir(workspace) / "issue.yaml", "  website:", "  address: 1 Pier Road\n  website:")
    with pytest.raises(SourceError) as caught:
        load(workspace)
    assert caught.value.path is not None and caught.value.path.name == "issue.yaml"
    assert caught.value.line == 27
    assert "[newsletter] postal_address" in caught.value.format()
