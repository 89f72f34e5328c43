"""m0012 on a database filled under the old url_key: every article's and
alias's key recomputed, collisions resolved without losing a row or
breaking the UNIQUE keys, and readers find the articles under the forms of
their URLs browsers really send."""

import pytest

import migrations
from annotations.store import Store, open_database
from annotations.urls import url_key

T = "2025-01-01T00:00:00+00:00"

# (id, url, key stored by the old url_key)
ARTICLES = [
    (1, "https://n.example/café", "n.example/café"),
    (2, "https://n.example/caf%C3%A9", "n.example/caf%C3%A9"),  # already right: keeps it
    (3, "https://n.example/%7Euser", "n.example/%7Euser"),      # older: gets n.example/~user
    (4, "https://n.example/%7euser", "n.example/%7euser"),      # newer: keeps its old key
    (5, "https://bücher.de/a/./b", "bücher.de/a/./b"),
    (6, "https://m.example/caf%C3%A9", "m.example/caf%C3%A9"),
    (7, "https://q.example/%61", "q.example/%61"),              # wants q.example/a, freed by 8
    (8, "https://q.example/b", "q.example/a"),                  # a key that does not fit its URL
    (9, "https://xn--a.com/x", "xn--a.com/x"),                  # refused now: keeps its key
    (10, "https://plain.example/story", "plain.example/story"),  # unchanged
]
# (id, article_id, url, old key)
ALIASES = [
    (1, 10, "https://amp.example/%D0%BC%D0%B8%D1%80", "amp.example/%D0%BC%D0%B8%D1%80"),
    (2, 10, "https://amp.example/%e4%b8%96", "amp.example/%e4%b8%96"),
    (3, 3, "https://m.example/café", "m.example/café"),  # its new key is article 6's
]


@pytest.fixture
def old_db(tmp_path):
    db = open_database(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="m0012_url_keys")
    with db.conn:
        for article_id, url, key in ARTICLES:
            db.execute("INSERT INTO articles (id, url, url_key, title, created_at, updated_at)"
                       " VALUES (?, ?, ?, ?, ?, ?)", [article_id, url, key, f"A{article_id}", T, T])
        for alias_id, article_id, url, key in ALIASES:
            db.execute("INSERT INTO article_aliases (id, article_id, url, url_key, created_at)"
                       " VALUES (?, ?, ?, ?, ?)", [alias_id, article_id, url, key, T])
    yield db
    db.close()


def keys(db, table):
    return dict(db.execute(f"SELECT id, url_key FROM {table} ORDER BY id").fetchall())


def test_keys_are_recomputed_and_collisions_keep_every_row(old_db):
    articles_before = old_db.execute("SELECT * FROM articles ORDER BY id").fetchall()
    version_before = old_db.execute("SELECT version FROM content_version").fetchone()[0]

    assert migrations.apply(old_db)[0] == "m0012_url_keys"

    assert keys(old_db, "articles") == {
        1: "n.example/café",        # its new key is article 2's, which already had it
        2: "n.example/caf%C3%A9",
        3: "n.example/~user",       # the older of two that are one page
        4: "n.example/%7euser",     # the newer keeps its old key
        5: "xn--bcher-kva.de/a/b",
        6: "m.example/caf%C3%A9",
        7: "q.example/a",           # freed by article 8 in the same migration
        8: "q.example/b",
        9: "xn--a.com/x",
        10: "plain.example/story",
    }
    assert keys(old_db, "article_aliases") == {
        1: "amp.example/%D0%BC%D0%B8%D1%80",
        2: "amp.example/%E4%B8%96",
        3: "m.example/café",        # kept with its old key, not dropped
    }
    # Nothing but the keys changed; no row went.
    after = old_db.execute("SELECT * FROM articles ORDER BY id").fetchall()
    assert [row[:2] for row in after] == [row[:2] for row in articles_before]
    assert old_db.execute("SELECT article_id, url FROM article_aliases ORDER BY id"
                          ).fetchall() == [(a, u) for _, a, u, _ in ALIASES]
    assert old_db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    # The readers' caches see the change.
    assert old_db.execute("SELECT version FROM content_version").fetchone()[0] > version_before


def test_after_the_migration_readers_find_articles_under_what_browsers_send(old_db):
    migrations.apply(old_db)
    store = Store(old_db)
    found = {url: store.find_article_id(url_key(url)) for url in [
        "https://n.example/caf%C3%A9", "https://n.example/café",
        "https://n.example/~user", "https://n.example/%7Euser",
        "https://xn--bcher-kva.de/a/b", "https://BÜCHER.de/a/x/../b/",
        "https://amp.example/мир", "https://amp.example/世",
        "https://q.example/a",
    ]}
    assert found == {
        "https://n.example/caf%C3%A9": 2, "https://n.example/café": 2,
        "https://n.example/~user": 3, "https://n.example/%7Euser": 3,
        "https://xn--bcher-kva.de/a/b": 5, "https://BÜCHER.de/a/x/../b/": 5,
        "https://amp.example/мир": 10, "https://amp.example/世": 10,
        "https://q.example/a": 7,
    }


def test_the_migration_on_an_empty_database_and_twice_does_nothing(tmp_path):
    db = open_database(tmp_path / "empty.db")
    try:
        assert "m0012_url_keys" in migrations.apply(db)
        assert migrations.apply(db) == []
        assert keys(db, "articles") == {}
    finally:
        db.close()
