"""The SQLite and the PostgreSQL store hold the same tables, columns and constraints: what one keeps
and refuses, the other keeps and refuses too."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row

import masthead
from masthead.delivery.store import open_store

from .conftest import edit
from .postgres import TemporaryPostgres

Schema = dict[str, Any]

TIME_TYPES = {("sends", "lease_until"), ("sends", "tried_at")}
"""The columns whose type differs on purpose: PostgreSQL keeps a claim's times by its own clock."""


def _kind(declared: str) -> str:
    declared = declared.lower()
    if "int" in declared:
        return "integer"
    if "timestamp" in declared:
        return "time"
    return declared


def _checks(sql: str) -> set[tuple[str, frozenset[str]]]:
    """The ``column IN (...)`` checks of a table, as (column, allowed values)."""
    found = set()
    for column, values in re.findall(r"CHECK \((\w+) IN \(([^)]*)\)\)", sql):
        found.add((column, frozenset(re.findall(r"'([^']*)'", values))))
    return found


def sqlite_schema(path: Path) -> Schema:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        schema: Schema = {}
        tables = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        for table in tables:
            name = table["name"]
            columns = {
                row["name"]: (_kind(row["type"]), bool(row["notnull"]) or bool(row["pk"]))
                for row in conn.execute(f"PRAGMA table_info({name})")
            }
            info = sorted(conn.execute(f"PRAGMA table_info({name})"), key=lambda row: row["pk"])
            key = tuple(row["name"] for row in info if row["pk"])
            foreign = {
                (row["from"], row["table"], row["to"], row["on_delete"])
                for row in conn.execute(f"PRAGMA foreign_key_list({name})")
            }
            unique = {
                tuple(column["name"] for column in conn.execute(f"PRAGMA index_info({index['name']})"))
                for index in conn.execute(f"PRAGMA index_list({name})")
                if index["unique"] and index["origin"] != "pk"
            }
            indexes = {
                index["name"]
                for index in conn.execute(f"PRAGMA index_list({name})")
                if index["origin"] == "c"
            }
            schema[name] = {
                "columns": columns, "key": key, "foreign": foreign, "unique": unique,
                "checks": _checks(table["sql"]), "indexes": indexes,
            }  # fmt: skip
        return schema
    finally:
        conn.close()


def postgres_schema(url: str, password: str) -> Schema:
    with psycopg.connect(url, password=password, row_factory=dict_row) as conn:
        namespace = conn.execute("SELECT current_schema() AS name").fetchone()
        assert namespace is not None
        where = namespace["name"]
        schema: Schema = {}
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (where,)
        ).fetchall()
        for table in tables:
            name = table["table_name"]
            columns = {
                row["column_name"]: (_kind(row["data_type"]), row["is_nullable"] == "NO")
                for row in conn.execute(
                    "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
                    " WHERE table_schema = %s AND table_name = %s",
                    (where, name),
                )
            }
            constraints = conn.execute(
                "SELECT contype, pg_get_constraintdef(c.oid) AS definition FROM pg_constraint c"
                " JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
                " WHERE n.nspname = %s AND t.relname = %s",
                (where, name),
            ).fetchall()
            key: tuple[str, ...] = ()
            foreign = set()
            checks = set()
            for constraint in constraints:
                definition = constraint["definition"]
                if constraint["contype"] == "p":
                    key = tuple(
                        part.strip() for part in re.search(r"\((.*)\)", definition).group(1).split(",")
                    )  # type: ignore[union-attr]
                elif constraint["contype"] == "f":
                    match = re.match(r"FOREIGN KEY \((\w+)\) REFERENCES (\w+)\((\w+)\)(.*)", definition)
                    assert match, definition
                    action = "CASCADE" if "ON DELETE CASCADE" in match.group(4) else "NO ACTION"
                    foreign.add((match.group(1), match.group(2), match.group(3), action))
                elif constraint["contype"] == "c":
                    match = re.match(r"CHECK \(\((\w+) = ANY \(ARRAY\[(.*)\]\)\)\)", definition)
                    assert match, definition
                    checks.add((match.group(1), frozenset(re.findall(r"'([^']*)'", match.group(2)))))
            indexes = conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = %s",
                (where, name),
            ).fetchall()
            # An address is unique in any letter case: SQLite says so on the column (COLLATE NOCASE),
            # PostgreSQL with a unique index on lower(address).
            unique = {
                tuple(re.sub(r"lower\((\w+)\)", r"\1", part).strip() for part in
                      re.search(r"\((.*)\)$", index["indexdef"]).group(1).split(","))  # type: ignore[union-attr]
                for index in indexes
                if index["indexdef"].startswith("CREATE UNIQUE") and not index["indexname"].endswith("_pkey")
            }  # fmt: skip
            named = {index["indexname"] for index in indexes if not index["indexname"].endswith("_pkey")}
            schema[name] = {
                "columns": columns, "key": key, "foreign": foreign, "unique": unique, "checks": checks,
                "indexes": named - {"subscribers_address"},
            }  # fmt: skip
        return schema


@pytest.mark.sqlite_only  # opens both stores itself
def test_both_stores_have_the_same_tables_columns_and_constraints(
    workspace: Path, postgres_server: TemporaryPostgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = masthead.load_config(workspace)
    with open_store(config):
        pass
    url = postgres_server.schema()
    edit(workspace / "masthead.toml", "[newsletter]", f'[subscribers]\ndatabase = "{url}"\n\n[newsletter]')
    monkeypatch.setenv("MASTHEAD_DATABASE_PASSWORD", postgres_server.password)
    with open_store(masthead.load_config(workspace)):
        pass

    sqlite = sqlite_schema(workspace / "subscribers.sqlite3")
    postgres = postgres_schema(url, postgres_server.password)
    postgres.pop("masthead_schema")  # PostgreSQL's schema version; SQLite keeps it in PRAGMA user_version

    assert sorted(sqlite) == sorted(postgres)
    assert {"subscribers", "sends", "signups", "consents", "returns", "signup_forms"} <= set(sqlite)
    for table in sqlite:
        lite, pg = sqlite[table], postgres[table]
        assert set(lite["columns"]) == set(pg["columns"]), table
        for column, (kind, required) in lite["columns"].items():
            assert required == pg["columns"][column][1], (table, column, "NOT NULL")
            if (table, column) not in TIME_TYPES:
                assert kind == pg["columns"][column][0], (table, column, kind, pg["columns"][column][0])
        for part in ("key", "foreign", "unique", "checks", "indexes"):
            assert lite[part] == pg[part], (table, part, lite[part], pg[part])
