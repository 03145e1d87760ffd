"""CSV import and export of subscribers: every bad row reported with its line, the good ones imported."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TextIO

from ..._address import bad_characters, normalise_address
from ..._disk import read_text
from ..._errors import DeliveryError
from ..store import Store, SubscriberRow, normalise_language, normalise_name, normalise_status

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


def _records(stream: TextIO, path: Path) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the line each one starts on (a quoted field may span lines)."""
    reader = csv.reader(stream, strict=True)
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DeliveryError(f"not a readable CSV file: {exc}", path=path, line=reader.line_num) from None
        yield start, record
        start = reader.line_num + 1


def _read_text(path: Path) -> str:
    """The whole file as text, read before anything is imported so that a bad byte imports nothing."""
    hint = "save the file as UTF-8 (in a spreadsheet, choose 'CSV UTF-8') and import it again"
    try:
        return read_text(path, DeliveryError, hint=hint)
    except OSError as exc:
        raise DeliveryError(f"cannot read the file: {exc.strerror}", path=path) from None


def import_csv(store: Store, path: Path, *, default_language: str) -> ImportReport:
    """Import subscribers from ``path`` (header ``address,name,language[,status]``), one transaction."""
    stream = io.StringIO(_read_text(path), newline="")
    problems: list[RowProblem] = []
    with stream:
        records = _records(stream, path)
        first = next(records, None)
        if first is None:
            hint = "the first line names the columns: address,name,language,status"
            raise DeliveryError("the file is empty", path=path, line=1, hint=hint)
        header = [column.strip().lower() for column in first[1]]
        unknown = [column for column in header if column not in COLUMNS + _IGNORED]
        if "address" not in header or unknown:
            raise DeliveryError(
                "the first line must name the columns"
                + (f"; unknown column {unknown[0]!r}" if unknown else "; there is no 'address' column"),
                path=path,
                line=1,
                hint="use the header: address,name,language,status (name, language and status are optional)"
                + ("; separate the columns with commas, not semicolons" if ";" in ",".join(first[1]) else ""),
            )
        tally = store.import_subscribers(_rows(records, header, default_language, problems))
    problems += [
        RowProblem(line, f"{address} is already on line {earlier}")
        for line, earlier, address in tally.repeated
    ]
    problems.sort(key=lambda problem: problem.line)
    counts = {
        "added": tally.added,
        "updated": tally.updated,
        "unchanged": tally.unchanged,
        "kept": tally.kept,
    }
    logger.debug("imported %s: %s", path, counts)
    return ImportReport(path, problems=tuple(problems), **counts)


def _rows(
    records: Iterator[tuple[int, list[str]]],
    header: list[str],
    default_language: str,
    problems: list[RowProblem],
) -> Iterator[SubscriberRow]:
    """The valid rows, in order; each bad one is added to ``problems`` with its line instead."""
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
            yield SubscriberRow(
                line,
                normalise_address(row["address"]),
                normalise_name(row.get("name")),
                normalise_language(row.get("language", "").strip() or default_language),
                normalise_status(row["status"]) if row.get("status", "").strip() else None,
            )
        except ValueError as exc:
            problems.append(RowProblem(line, str(exc)))


def export_csv(store: Store, stream: IO[str], *, status: str | None = None) -> int:
    """Write subscribers as CSV (the import format, plus dates); return how many rows were written."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow((*COLUMNS, *_IGNORED))
    count = 0
    for subscriber in store.subscribers(status=status):
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
