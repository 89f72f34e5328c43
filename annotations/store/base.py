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
        """Append one entry. Callers pass what changed, not whole aggregates;
        each side is bounded here all the same (see ``bounded_json``)."""
        # A plain INSERT: every write goes through here, and sqlite-utils'
        # insert() inspects the table each time.
        self.db.execute(
            "INSERT INTO audit_log (actor_id, actor, action, entity, entity_id, before, after, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [actor.id, actor.username, action, entity, entity_id,
             bounded_json(before), bounded_json(after), utcnow()])

    def history(self, entity: str, entity_id: int, after: int | None = None,
                limit: int | None = None) -> list[dict]:
        """The entries for one record, oldest first: all of them, or at most
        ``limit`` with an id above ``after`` (keyset paging on the audit id)."""
        sql = "SELECT * FROM audit_log WHERE entity = ? AND entity_id = ? AND id > ? ORDER BY id"
        params = [entity, entity_id, after or 0]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [
            {**row,
             "before": json.loads(row["before"]) if row["before"] else None,
             "after": json.loads(row["after"]) if row["after"] else None}
            for row in self.db.query(sql, params)
        ]


# Every side of an audit entry stays under AUDIT_MAX_BYTES whatever was
# written: lists past AUDIT_MAX_ITEMS are cut, and texts are kept whole (up
# to the longest field the API accepts) when the side fits, else cut ever
# shorter, with a marker saying how much was left out; as a last resort the
# side becomes a note that it was omitted.
AUDIT_TEXT_LIMITS = (20000, 1000, 200, 40)
AUDIT_MAX_ITEMS = 50
AUDIT_MAX_BYTES = 64 * 1024


def _shortened(value, text_limit: int):
    if isinstance(value, str) and len(value) > text_limit:
        return f"{value[:text_limit]}… [{len(value) - text_limit} more characters]"
    if isinstance(value, dict):
        return {k: _shortened(v, text_limit) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        items = [_shortened(v, text_limit) for v in value[:AUDIT_MAX_ITEMS]]
        if len(value) > AUDIT_MAX_ITEMS:
            items.append(f"… [{len(value) - AUDIT_MAX_ITEMS} more items]")
        return items
    return value


def bounded_json(value) -> str | None:
    """``value`` as JSON of at most AUDIT_MAX_BYTES bytes (None stays None)."""
    if value is None:
        return None
    for text_limit in AUDIT_TEXT_LIMITS:
        encoded = json.dumps(_shortened(value, text_limit), ensure_ascii=False, default=str)
        if len(encoded.encode("utf-8")) <= AUDIT_MAX_BYTES:
            return encoded
    return json.dumps({"omitted": f"over {AUDIT_MAX_BYTES} bytes"})
