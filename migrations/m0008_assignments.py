"""Assignment: a claim or an article can be assigned to a factchecker."""

from . import migrations


@migrations()
def m0008_assignments(db):
    for table in ("claims", "articles"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN assignee_id INTEGER"
                   " REFERENCES users(id) ON DELETE SET NULL")
        db.execute(f"CREATE INDEX idx_{table}_assignee ON {table}(assignee_id)")
