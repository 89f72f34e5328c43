"""What every part of the store shares: one connection, write transactions,
fetching one row or raising NotFound, and the audit log."""

import contextlib
import json

import sqlite_utils

from ..models import NotFound, Actor
from .database import utcnow


class StoreBase:
    """One connection to the database. ``with Store(db) as store:`` closes it."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.db.close()

    @contextlib.contextmanager
    def transaction(self):
        """A write transaction that takes SQLite's write lock up front.

        ``db.atomic()`` starts with a plain BEGIN: a transaction that reads
        first and writes later then fails at once ("database is locked") when
        another gunicorn worker committed in between. BEGIN IMMEDIATE waits
        for the lock instead, so read-check-write (version checks) is safe
        across processes. Nested calls become savepoints through atomic().
        """
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        else:
            self.db.execute("COMMIT")

    def _one(self, sql: str, params: list, entity: str, entity_id) -> dict:
        """The single row ``sql`` selects, or NotFound(entity, entity_id)."""
        row = next(iter(self.db.query(sql, params)), None)
        if row is None:
            raise NotFound(entity, entity_id)
        return row

    def _first(self, sql: str, params: list) -> dict | None:
        """The first row ``sql`` selects, or None: for lookups that may miss."""
        return next(iter(self.db.query(sql, params)), None)

    # -- audit ---------------------------------------------------------

    def _audit(self, actor: Actor, action: str, entity: str, entity_id: int,
               before=None, after=None):
        # A plain INSERT: every write goes through here, and sqlite-utils'
        # insert() inspects the table each time.
        self.db.execute(
            "INSERT INTO audit_log (actor_id, actor, action, entity, entity_id, before, after, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [actor.id, actor.username, action, entity, entity_id,
             None if before is None else json.dumps(before, ensure_ascii=False, default=str),
             None if after is None else json.dumps(after, ensure_ascii=False, default=str),
             utcnow()])

    def history(self, entity: str, entity_id: int) -> list[dict]:
        rows = self.db.query(
            "SELECT * FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id",
            [entity, entity_id],
        )
        return [
            {**row,
             "before": json.loads(row["before"]) if row["before"] else None,
             "after": json.loads(row["after"]) if row["after"] else None}
            for row in rows
        ]
