"""A database handle per request, on ``g``, closed at teardown."""

import threading

from flask import current_app, g

from annotations.store import Store, open_database
from annotations.store import content_version as store_content_version
from annotations.store import data_version as store_data_version

# When the last connection to a WAL database closes, SQLite checkpoints the
# log into the main file and deletes it: about a millisecond, on every
# request when each request opens and closes its own handle. One connection
# kept open per process for the current database path means a request's
# close is only a close.
_keeper_lock = threading.Lock()
_keeper: dict = {}


def _keep_open(path: str) -> None:
    with _keeper_lock:
        if _keeper.get("path") == path:
            return
        if _keeper.get("db") is not None:
            _keeper["db"].close()
        _keeper["db"] = open_database(path)
        _keeper["path"] = path
        _keeper.pop("seen", None)  # a version seen in another file means nothing here


def get_store() -> Store:
    if "store" not in g:
        path = current_app.config["DATABASE"]
        _keep_open(path)
        g.store = Store(open_database(path, set_wal=False))
        g.store.max_claims_per_article = current_app.config["MAX_CLAIMS_PER_ARTICLE"]
        g.store.two_person_rule = bool(current_app.config["TWO_PERSON_RULE"])
        g.store.show_retracted = current_app.config["RETRACTED_CLAIMS"] == "show"
    return g.store


_readers = threading.local()


def read_kept(path: str, read):
    """``read(db)`` on this thread's own connection to ``path``, kept open:
    for the readers' fast paths, which answer without a request (one read,
    no open/close, no lock shared with the worker's other threads)."""
    kept = getattr(_readers, "db", None)
    if kept is None or kept[0] != path:
        if kept is not None:
            kept[1].close()
        _readers.db = kept = (path, open_database(path, set_wal=False))
    return read(kept[1])


def close_store(exception=None) -> None:
    store = g.pop("store", None)
    if store is not None:
        store.db.close()


def init_app(app) -> None:
    app.teardown_appcontext(close_store)


def data_version() -> tuple:
    """A value that changes whenever what readers see changes, in this
    process or another (see database_version)."""
    return database_version(current_app.config["DATABASE"])


def database_version(path: str) -> tuple:
    """The content version (articles, claims, aliases) of the database.

    SQLite's data_version counts other connections' commits as seen from one
    connection, so it is read on the connection kept open, which never
    writes itself; only when it moved is the content version read again, so
    an unchanged database costs one PRAGMA, and commits that change nothing
    a reader sees (logins, tokens) leave the readers' caches warm."""
    _keep_open(path)
    with _keeper_lock:
        seen = store_data_version(_keeper["db"])
        if _keeper.get("seen") != seen:
            _keeper["seen"] = seen
            _keeper["content"] = store_content_version(_keeper["db"])
        return path, _keeper["content"]
