"""A database handle per request, on ``g``, closed at teardown."""

from flask import current_app, g

from annotations.store import Store, open_database


def get_store() -> Store:
    if "store" not in g:
        g.store = Store(open_database(current_app.config["DATABASE"]))
    return g.store


def close_store(exception=None) -> None:
    store = g.pop("store", None)
    if store is not None:
        store.db.close()


def init_app(app) -> None:
    app.teardown_appcontext(close_store)
