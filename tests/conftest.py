"""Fixtures in the flaskr style: a fresh migrated database in tmp_path per test.

The fixtures live in plugin modules, registered here once for the whole suite
(``pytest_plugins`` is only allowed in the top-level conftest):

- tests/plugins/database.py: ``db_path`` (a copy of a database migrated once
  per session), ``store``;
- tests/plugins/app.py: ``app``, ``client``, ``runner``, ``make_user``;
- tests/plugins/api.py: ``users`` (one per role), ``auth`` (bearer headers);
- tests/plugins/factories.py: ``factories`` (articles, claims and users
  made through the real Store);
- tests/plugins/edge.py: ``edge`` (the repository's nginx in front of a live
  server, for the HTTP cache).

Plain helpers (``api_error``, ``bearer``, ``row_counts``, ``PASSWORD``...)
are imported from ``tests.helpers``.
"""

pytest_plugins = [
    "tests.plugins.database",
    "tests.plugins.app",
    "tests.plugins.api",
    "tests.plugins.factories",
    "tests.plugins.edge",
]
