"""CSV import and export of subscribers: every bad row reported with its line, the good ones imported."""

from __future__ import annotations

import csv
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TextIO

from .._address import bad_characters, normalise_address
from .._errors import DeliveryError
from . import _store

logger = logging.getLogger("masthead.delivery")

COLUMNS = ("address", "name", "language", "status")
_IGNORED = ("created", "updated")  # written by export; accepted and ignored so an export re-imports


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


@dataclass(frozen=True)
class ImportReport:
    path: Path
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0
    """Rows that would have re-activated an unsubscribed or bounced address; left as they were."""
    problems: tuple[RowProblem, ...] = field(default_factory=tuple)

    def format(self) -> str:
        lines = [
            f"{self.path.name}: {self.added} added, {self.updated} updated, {self.unchanged} unchanged"
            + (f", {self.kept} left unsubscribed or bounced" if self.kept else "")
            + (
                f", {len(self.problems)} bad {'row' if len(self.problems) == 1 else 'rows'} not imported"
                if self.problems
                else ""
            )
        ]
        lines += [f"{self.path}:{problem.line}: {problem.reason}" for problem in self.problems]
        return "\n".join(lines)


def _records(stream: TextIO) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the line each one starts on (a quoted field may span lines)."""
    reader = csv.reader(stream, strict=True)
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DeliveryError(
                f"not a readable CSV file: {exc}", path=getattr(stream, "name", None), line=reader.line_num
            ) from None
        yield start, record
        start = reader.line_num + 1


def import_csv(conn: sqlite3.Connection, path: Path, *, default_language: str) -> ImportReport:
    """Import subscribers from ``path`` (header ``address,name,language[,status]``), one transaction."""
    try:
        stream = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise DeliveryError(f"cannot read the file: {exc.strerror}", path=path) from None
    counts = {"added": 0, "updated": 0, "unchanged": 0, "kept": 0}
    problems: list[RowProblem] = []
    with stream:
        records = _records(stream)
        first = next(records, None)
        if first is None:
            raise DeliveryError("the file is empty", path=path, hint="the first line names the columns")
        header = [column.strip().lower() for column in first[1]]
        unknown = [column for column in header if column not in COLUMNS + _IGNORED]
        if "address" not in header or unknown:
            raise DeliveryError(
                "the first line must name the columns"
                + (f"; unknown column {unknown[0]!r}" if unknown else "; there is no 'address' column"),
                path=path,
                line=1,
                hint="use the header: address,name,language,status (name, language and status are optional)",
            )
        conn.execute("BEGIN IMMEDIATE")
        # The addresses seen so far, in the database rather than in memory: a long list costs nothing.
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS seen (address TEXT PRIMARY KEY COLLATE NOCASE, line INT)"
        )
        conn.execute("DELETE FROM seen")
        try:
            for line, record in records:
                if not any(value.strip() for value in record):
                    continue  # blank line
                if len(record) != len(header):
                    problems.append(RowProblem(line, f"{len(record)} fields, expected {len(header)}"))
                    continue
                row = dict(zip(header, record, strict=True))
                try:
                    for column, value in row.items():
                        problem = bad_characters(value)
                        if problem:
                            raise ValueError(f"the {column} contains {problem}")
                    address = normalise_address(row["address"])
                    name = _store.normalise_name(row.get("name"))
                    lang = _store.normalise_language(row.get("language", "").strip() or default_language)
                    status = _store.normalise_status(row["status"]) if row.get("status", "").strip() else None
                except ValueError as exc:
                    problems.append(RowProblem(line, str(exc)))
                    continue
                earlier = conn.execute("SELECT line FROM seen WHERE address = ?", (address,)).fetchone()
                if earlier:
                    problems.append(RowProblem(line, f"{address} is already on line {earlier[0]}"))
                    continue
                conn.execute("INSERT INTO seen VALUES (?, ?)", (address, line))
                counts[_store.upsert(conn, address, name, lang, status)] += 1
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    report = ImportReport(path, problems=tuple(problems), **counts)
    logger.debug("imported %s: %s", path, counts)
    return report


def export_csv(conn: sqlite3.Connection, stream: IO[str], *, status: str | None = None) -> int:
    """Write subscribers as CSV (the import format, plus dates); return how many rows were written."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow((*COLUMNS, *_IGNORED))
    count = 0
    for subscriber in _store.iterate(conn, status=status):
        writer.writerow(
            (
                subscriber.address,
                subscriber.name or "",
                subscriber.language,
                subscriber.status,
                subscriber.created,
                subscriber.updated,
            )
        )
        count += 1
    return count
