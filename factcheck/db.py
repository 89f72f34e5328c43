"""A database handle per request, on ``g``, closed at teardown."""

import threading

from flask import current_app, g

from annotations.store import Store, open_database
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


def get_store() -> Store:
    if "store" not in g:
        path = current_app.config["DATABASE"]
        _keep_open(path)
        g.store = Store(open_database(path, set_wal=False))
        g.store.max_claims_per_article = current_app.config["MAX_CLAIMS_PER_ARTICLE"]
    return g.store


def close_store(exception=None) -> None:
    store = g.pop("store", None)
    if store is not None:
        store.db.close()


def init_app(app) -> None:
    app.teardown_appcontext(close_store)


def data_version() -> tuple:
    """A value that changes whenever any connection, in this process or
    another, commits to the app's database (see database_version)."""
    return database_version(current_app.config["DATABASE"])


def database_version(path: str) -> tuple:
    """SQLite's data_version counts other connections' commits as seen from
    one connection, so it is read on the connection kept open, which never
    writes itself."""
    _keep_open(path)
    with _keeper_lock:
        return path, store_data_version(_keeper["db"])
