"""The subscriber store, CSV import and export, unsubscribe tokens and the choice of edition."""

from __future__ import annotations

import base64
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import masthead
from masthead.cli import cli
from masthead.delivery import (
    UnsubscribeRequest,
    add_subscriber,
    choose_edition,
    import_subscribers,
    list_subscribers,
    make_unsubscribe_token,
    verify_unsubscribe_token,
)
from masthead.delivery.store.sqlite import MIGRATIONS

pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL

GOOD_AND_BAD = (
    "address,name,language\n"
    "ana@example.org,Ana Lima,pt-BR\n"  # 2
    "not-an-address,Nobody,en\n"  # 3: invalid address
    "li@example.org,Li Wei,zh-Hant\n"  # 4
    "bo@example.org,Bo,xx-Nowhere\n"  # 5: unknown language
    '"eve@example.org","Eve\nBcc: victim@example.com",en\n'  # 6-7: a line break in the name
    "sam@example.org,Sam\x07,en\n"  # 8: a control character
    "ANA@EXAMPLE.ORG,Ana again,pt\n"  # 9: the same address as line 2
    "kim@example.org,Kim,ko,maybe\n"  # 10: too many fields
    "\n"
    "Zoe@Example.ORG,,\n"  # 12: no name, no language: the source language
)


def run(workspace: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-C", str(workspace), *args], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.sqlite_only
def test_the_database_is_created_and_migrated(workspace: Path) -> None:
    add_subscriber(masthead.load_config(workspace), "ana@example.org")
    conn = sqlite3.connect(workspace / "subscribers.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"subscribers", "sends", "signups", "consents", "returns"} <= tables
    conn.close()


@pytest.mark.sqlite_only
def test_subscribers_of_an_older_database_get_public_ids(workspace: Path) -> None:
    path = workspace / "subscribers.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    for address in ("ana@example.org", "li@example.org"):
        conn.execute(
            "INSERT INTO subscribers (address, language, created, updated) VALUES (?, 'en', 'x', 'x')",
            (address,),
        )
    conn.commit()
    conn.close()

    config = masthead.load_config(workspace)
    add_subscriber(config, "zoe@example.org")
    ids = [s.public_id for s in list_subscribers(config)]

    assert len(ids) == len(set(ids)) == 3
    assert all(re.fullmatch(r"[0-9a-f]{24}", public_id) for public_id in ids)


def test_import_reports_each_bad_row_and_imports_the_rest(workspace: Path) -> None:
    source = workspace / "list.csv"
    source.write_text(GOOD_AND_BAD, encoding="utf-8")

    code, output = run(workspace, "subscribers", "import", str(source))

    assert code == 1
    assert "3 added, 0 updated, 0 unchanged, 6 bad rows not imported" in output
    assert "list.csv:3: invalid address 'not-an-address'" in output
    assert "list.csv:5: unknown language 'xx-Nowhere'" in output
    assert "list.csv:6: the name contains a line break (U+000A)" in output
    assert "list.csv:8: the name contains a control character (U+0007)" in output
    assert "list.csv:9: ANA@example.org is already on line 2" in output
    assert "list.csv:10: 4 fields, expected 3" in output
    subscribers = {s.address: s for s in list_subscribers(masthead.load_config(workspace))}
    assert set(subscribers) == {"ana@example.org", "li@example.org", "Zoe@example.org"}
    assert (subscribers["ana@example.org"].name, subscribers["ana@example.org"].language) == (
        "Ana Lima",
        "pt-BR",
    )
    assert (subscribers["Zoe@example.org"].name, subscribers["Zoe@example.org"].language) == (None, "en")


def test_import_is_idempotent_and_never_resubscribes(workspace: Path) -> None:
    config = masthead.load_config(workspace)
    source = workspace / "list.csv"
    source.write_text("address,name,language\nana@example.org,Ana,pt-br\nli@example.org,Li,zh-hant\n")
    first = import_subscribers(config, source)
    assert (first.added, first.problems) == (2, ())
    before = [(s.address, s.name, s.language, s.status, s.updated) for s in list_subscribers(config)]

    second = import_subscribers(config, source)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 2)
    assert [(s.address, s.name, s.language, s.status, s.updated) for s in list_subscribers(config)] == before

    code, output = run(workspace, "subscribers", "remove", "Ana@example.org")
    assert code == 0 and "unsubscribed" in output
    third = import_subscribers(config, source)
    assert (third.kept, third.unchanged) == (0, 2)
    # Not even a row that says so in so many words.
    source.write_text("address,name,language,status\nana@example.org,Ana,pt-BR,active\n")
    fourth = import_subscribers(config, source)
    assert (fourth.kept, fourth.updated) == (1, 0)
    assert {s.address: s.status for s in list_subscribers(config)}["ana@example.org"] == "unsubscribed"
    # An explicit add is the subscriber asking again: that does subscribe them.
    assert add_subscriber(config, "ana@example.org") == "updated"
    assert {s.address: s.status for s in list_subscribers(config)}["ana@example.org"] == "active"


def test_a_long_import_gives_the_same_tally_in_batches(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL imports a batch of rows at a time; with batches of two, a repeat, an address on
    # file and an unsubscribed address each fall on either side of a batch boundary.
    monkeypatch.setattr("masthead.delivery.store.postgres._store._IMPORT_BATCH", 2)
    config = masthead.load_config(workspace)
    add_subscriber(config, "kept@example.org", "Kept", "fr")
    add_subscriber(config, "gone@example.org", "Gone", "en")
    run(workspace, "subscribers", "remove", "gone@example.org")
    source = workspace / "list.csv"
    source.write_text(
        "address,name,language\n"
        "a@example.org,A,en\n"  # 2
        "kept@example.org,Kept,fr\n"  # 3: on file, unchanged
        "b@example.org,B,de\n"  # 4
        "A@EXAMPLE.org,A again,en\n"  # 5: line 2's address, in the next batch
        "gone@example.org,Gone,en\n"  # 6: unsubscribed, and no status asked for: unchanged
        "kept@example.org,Kept,de\n"  # 7: line 3's address
        "c@example.org,C,fr\n"  # 8
        "Kept@example.org,Kept,de\n",  # 9: line 3's, in a later batch still
        encoding="utf-8",
    )

    tally = import_subscribers(config, source)

    assert (tally.added, tally.updated, tally.unchanged, tally.kept) == (3, 0, 2, 0)
    assert [(problem.line, problem.reason) for problem in tally.problems] == [
        (5, "A@example.org is already on line 2"),
        (7, "kept@example.org is already on line 3"),
        (9, "Kept@example.org is already on line 3"),
    ]
    on_file = {s.address: (s.name, s.language, s.status) for s in list_subscribers(config)}
    assert on_file == {
        "kept@example.org": ("Kept", "fr", "active"),
        "gone@example.org": ("Gone", "en", "unsubscribed"),
        "a@example.org": ("A", "en", "active"),
        "b@example.org": ("B", "de", "active"),
        "c@example.org": ("C", "fr", "active"),
    }


def test_export_writes_csv_that_imports_again(workspace: Path, tmp_path: Path) -> None:
    config = masthead.load_config(workspace)
    add_subscriber(config, "ana@example.org", "Ana, from Lisbon", "pt")
    add_subscriber(config, "li@example.org", "李伟", "zh-Hant")
    exported = tmp_path / "out.csv"

    code, output = run(workspace, "subscribers", "export", str(exported))

    assert code == 0 and f"exported 2 subscribers to {exported}" in output
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "address,name,language,status,created,updated"
    assert lines[1].startswith('ana@example.org,"Ana, from Lisbon",pt,active,')
    report = import_subscribers(config, exported)
    assert (report.unchanged, report.problems) == (2, ())
    # To standard output, the CSV is all there is.
    result = CliRunner().invoke(cli, ["-C", str(workspace), "subscribers", "export", "--status", "active"])
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == exported.read_text(encoding="utf-8")
    run(workspace, "subscribers", "remove", "li@example.org")
    before = exported.read_text(encoding="utf-8")
    code, output = run(workspace, "subscribers", "export", "--status", "active", str(exported))
    assert code == 1 and "out.csv: the file exists; nothing was written" in output and "--overwrite" in output
    assert exported.read_text(encoding="utf-8") == before
    code, output = run(workspace, "subscribers", "export", "--status", "active", "--overwrite", str(exported))
    assert code == 0 and "exported 1 subscriber to" in output
    assert len(exported.read_text(encoding="utf-8").splitlines()) == 2


def test_one_bad_row_is_one_bad_row(workspace: Path) -> None:
    source = workspace / "list.csv"
    source.write_text("address,name,language\nana@example.org,Ana,pt\nnobody,Nobody,en\n")
    code, output = run(workspace, "subscribers", "import", str(source))
    assert code == 1 and "1 added, 0 updated, 0 unchanged, 1 bad row not imported" in output


def test_the_command_line_adds_lists_and_removes(workspace: Path) -> None:
    code, output = run(workspace, "subscribers", "add", "Ana@Example.org", "--name", "Ana", "-l", "pt-BR")
    assert code == 0 and "added" in output
    code, output = run(workspace, "subscribers", "add", "eve@example.org", "--name", "Eve\r\nBcc: x@y.org")
    assert code == 1 and "the name contains a line break" in output
    code, output = run(workspace, "subscribers", "add", "bob@example.org", "-l", "klingon")
    assert code == 1 and "unknown language 'klingon'" in output
    code, output = run(workspace, "subscribers", "list")
    assert output.splitlines() == ["Ana@example.org\tpt-BR\tactive\tAna"]
    code, output = run(workspace, "subscribers", "remove", "ana@example.org", "--forget")
    assert code == 0 and "erased" in output
    code, output = run(workspace, "subscribers", "list")
    assert output == ""
    code, output = run(workspace, "subscribers", "remove", "ana@example.org")
    assert code == 1 and "not a subscriber" in output


def test_a_csv_without_an_address_column_is_refused(workspace: Path) -> None:
    source = workspace / "list.csv"
    source.write_text("email,name,langauge\nana@example.org,Ana,pt\n")
    code, output = run(workspace, "subscribers", "import", str(source))
    assert code == 1 and "list.csv:1: the first line must name the columns; unknown column 'email'" in output


def test_tokens_reject_forgery_and_alteration() -> None:
    ana, eve = "0f1e2d3c4b5a69788796a5b4", "aaaaaaaaaaaaaaaaaaaaaaaa"
    token = make_unsubscribe_token(ana, "spring", "s3cret-s3cret-s3cret")
    assert verify_unsubscribe_token(token, "s3cret-s3cret-s3cret") == UnsubscribeRequest(ana, "spring")
    assert verify_unsubscribe_token(token, "another-secret-entirely") is None
    body, mac = token.split(".")
    assert base64.urlsafe_b64decode(body + "==") == f"{ana}\nspring".encode()  # nothing personal inside
    other = make_unsubscribe_token(eve, "spring", "guess").split(".")[0]
    assert verify_unsubscribe_token(f"{other}.{mac}", "s3cret-s3cret-s3cret") is None
    autumn = make_unsubscribe_token(ana, "autumn", "s3cret-s3cret-s3cret").split(".")[0]
    assert verify_unsubscribe_token(f"{autumn}.{mac}", "s3cret-s3cret-s3cret") is None
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    assert verify_unsubscribe_token(f"{body}.{flipped}", "s3cret-s3cret-s3cret") is None
    for garbage in ("", ".", "abc", f"{body}.{mac}.x", f"{body}!.{mac}", "é.é"):
        assert verify_unsubscribe_token(garbage, "s3cret-s3cret-s3cret") is None
    assert all(c.isalnum() or c in "-_." for c in token)


@pytest.mark.parametrize(
    ("preference", "built", "expected", "rule"),
    [
        ("pt-BR", ["en", "pt-BR", "pt"], "pt-BR", "exact"),
        ("pt-BR", ["en", "pt-PT", "pt"], "pt", "region"),
        ("pt-BR", ["en", "pt-PT"], "pt-PT", "region"),
        ("zh-TW", ["en", "zh-Hans", "zh-Hant"], "zh-Hant", "region"),
        ("zh-HK", ["en", "zh-Hans", "zh-Hant"], "zh-Hant", "region"),
        ("zh", ["en", "zh-Hant", "zh-Hans"], "zh-Hans", "region"),
        ("zh-Hant", ["en", "zh-Hans"], "zh-Hans", "script"),
        ("zh-Hans", ["en", "zh-TW"], "zh-TW", "script"),
        ("sr-Latn", ["en", "sr"], "sr", "script"),
        ("uz-Arab", ["en", "uz"], "en", "source"),
        ("de-AT", ["en", "fr"], "en", "source"),
        ("EN-gb", ["en"], "en", "region"),
    ],
)
def test_the_best_edition_is_chosen(preference: str, built: list[str], expected: str, rule: str) -> None:
    editions = [masthead.language(tag) for tag in built]
    choice = choose_edition(preference, editions, editions[0])
    assert (choice.edition.tag, choice.rule) == (expected, rule)


def test_a_csv_saved_in_another_encoding_names_its_line_and_imports_nothing(workspace: Path) -> None:
    source = workspace / "list.csv"
    source.write_bytes("address,name\nana@example.org,Ana\njose@example.org,José\n".encode("cp1252"))
    code, output = run(workspace, "subscribers", "import", str(source))
    assert code == 1 and "list.csv:3: not UTF-8 text: byte 0xe9 cannot be read" in output
    assert "save the file as UTF-8" in output and "Traceback" not in output
    assert list(list_subscribers(masthead.load_config(workspace))) == []


def test_a_csv_separated_by_semicolons_is_told_to_use_commas(workspace: Path) -> None:
    source = workspace / "list.csv"
    source.write_text("address;name\nana@example.org;Ana\n")
    code, output = run(workspace, "subscribers", "import", str(source))
    assert code == 1 and "separate the columns with commas, not semicolons" in output
