"""The PostgreSQL store's record of returned mail: what each bounce or complaint said, and what was done."""

from __future__ import annotations

from .._records import Return, now
from ._connection import PostgresConnection


class PostgresReturns(PostgresConnection):
    """The returned-mail methods of :class:`~.PostgresStore`."""

    def return_recorded(self, report: str) -> bool:
        return self._one("SELECT 1 FROM returns WHERE report = %s LIMIT 1", report) is not None

    def soft_bounces(self, subscriber: int, since: str) -> int:
        row = self._one(
            "SELECT count(*) AS n FROM returns WHERE subscriber = %s AND kind = 'soft' AND received >= %s",
            subscriber,
            since,
        )
        return int(row["n"]) if row else 0

    def record_return(self, entry: Return, new_status: str | None) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO returns (report, subscriber, kind, status, detail, outcome, received, recorded)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (entry.report, entry.subscriber, entry.kind, entry.status, entry.detail, entry.outcome,
                 entry.received, entry.recorded),
            )  # fmt: skip
            if new_status is not None:
                self._conn.execute(
                    "UPDATE subscribers SET status = %s, updated = %s WHERE id = %s AND status = 'active'",
                    (new_status, now(), entry.subscriber),
                )

    def returns(self, subscriber: int) -> list[Return]:
        rows = self._all("SELECT * FROM returns WHERE subscriber = %s ORDER BY received, report", subscriber)
        return [Return(**{key: row[key] for key in Return.__dataclass_fields__}) for row in rows]
