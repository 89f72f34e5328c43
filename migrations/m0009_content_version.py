"""A version of what readers can see, for the readers' answer caches.

SQLite's data_version changes on every commit, a failed login or a token's
last-used time included, so anyone could empty every worker's cache by
spraying logins. This counter moves only when articles, claims (citations
and assignments write their claim's row too) or aliases change.
"""

from . import migrations

_WATCHED = {"articles": ("INSERT", "UPDATE", "DELETE"),
            "claims": ("INSERT", "UPDATE", "DELETE"),
            "article_aliases": ("INSERT", "UPDATE", "DELETE")}


@migrations()
def m0009_content_version(db):
    db.execute("CREATE TABLE content_version ("
               " id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)")
    db.execute("INSERT INTO content_version (id, version) VALUES (1, 0)")
    for table, events in _WATCHED.items():
        for event in events:
            db.execute(f"""CREATE TRIGGER content_version_{table}_{event.lower()}
                AFTER {event} ON {table} BEGIN
                    UPDATE content_version SET version = version + 1 WHERE id = 1;
                END""")
