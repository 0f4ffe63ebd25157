"""Copy every row of one store into another: how a SQLite deployment moves to PostgreSQL.

The source is read in one snapshot; the target is migrated first, then written in one transaction
that commits only when every table holds as many rows as the source did. Ids are kept (vote buttons
carry question ids), and the target's id counters continue after the source's, so an id is never
handed out twice: not even one the source used for a row that has since been deleted.
"""

from __future__ import annotations

import logging

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, Table, func, insert, select, text
from sqlalchemy.exc import DBAPIError

from bot.core.errors import CopyFailed
from bot.core.store.db import describe, migrate, reading, transaction
from bot.core.store.models import TABLES

log = logging.getLogger(__name__)

BATCH = 1000


class TableCopy(BaseModel):
    table: str
    source: int
    target: int

    @property
    def ok(self) -> bool:
        return self.source == self.target


class CopyReport(BaseModel):
    """Rows per table in the source and, after the copy, in the target."""

    source: str
    target: str
    tables: list[TableCopy]

    @property
    def rows(self) -> int:
        return sum(t.source for t in self.tables)

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)


def _tables() -> list[Table]:
    """Parents before children (the order of models.TABLES), so foreign keys hold row by row."""
    return [model.__table__ for model in TABLES]  # type: ignore[attr-defined]


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table of a migrated store."""
    with reading(engine) as session:
        conn = session.connection()
        return {table.name: _count(conn, table) for table in _tables()}


def _high_water(conn: Connection, table: Table) -> int:
    """The largest id the table has ever handed out, as far as the database can tell."""
    highest = int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one())
    if conn.dialect.name == "sqlite" and table.kwargs.get("sqlite_autoincrement"):
        seq = conn.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table.name}).scalar()
        highest = max(highest, int(seq or 0))
    elif conn.dialect.name == "postgresql":
        last = conn.execute(
            text("SELECT pg_sequence_last_value(CAST(pg_get_serial_sequence(:t, 'id') AS regclass))"), {"t": table.name}
        ).scalar()
        highest = max(highest, int(last or 0))
    return highest


def _continue_ids(conn: Connection, table: Table, after: int) -> None:
    """Make the target's next id for `table` come after `after`."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v, :called)"),
            {"t": table.name, "v": max(after, 1), "called": after > 0},
        )
    elif table.kwargs.get("sqlite_autoincrement") and after > 0:
        conn.execute(text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": table.name})
        conn.execute(text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :v)"), {"t": table.name, "v": after})
    # Other SQLite tables continue after their largest id by themselves.


def copy_store(source: Engine, target: Engine, *, replace: bool = False) -> CopyReport:
    """Copy every row of `source` into `target` in one transaction on the target.

    Both are first migrated to the newest schema, so their tables match.

    Raises CopyFailed, with nothing written, when the target already holds rows (unless `replace`:
    they are deleted in the same transaction), when a row does not fit the target, or when the
    counts per table disagree after the copy.
    """
    migrate(source)
    migrate(target)
    tables = _tables()
    names = (describe(source.url), describe(target.url))
    with reading(source) as src_session, transaction(target) as dst_session:
        src, dst = src_session.connection(), dst_session.connection()
        present = {table.name: _count(dst, table) for table in tables}
        if any(present.values()) and not replace:
            held = ", ".join(f"{name} {n}" for name, n in present.items() if n)
            raise CopyFailed(
                f"the target database already holds rows ({held}); nothing was copied.", target_not_empty=True
            )
        for table in reversed(tables):  # children first
            dst.execute(table.delete())
        counts: list[tuple[str, int, int]] = []
        for table in tables:
            expected = _count(src, table)
            try:
                _copy_rows(src, dst, table)
            except DBAPIError as exc:
                reason = str(exc.orig if exc.orig is not None else exc).strip().splitlines()[0]
                raise CopyFailed(
                    f"a row of {table.name} does not fit the target: {reason}; nothing was copied."
                ) from exc
            _continue_ids(dst, table, _high_water(src, table))
            counts.append((table.name, expected, _count(dst, table)))
        if any(source_rows != target_rows for _, source_rows, target_rows in counts):
            wrong = ", ".join(f"{name} {s} -> {t}" for name, s, t in counts if s != t)
            raise CopyFailed(f"the row counts differ ({wrong}); nothing was copied.", counts)
    log.info("copied %s to %s", *names)
    return CopyReport(
        source=names[0], target=names[1], tables=[TableCopy(table=n, source=s, target=t) for n, s, t in counts]
    )


def _copy_rows(src: Connection, dst: Connection, table: Table) -> None:
    result = src.execution_options(yield_per=BATCH).execute(select(table).order_by(table.c.id))
    for batch in result.partitions(BATCH):
        dst.execute(insert(table), [dict(row._mapping) for row in batch])
