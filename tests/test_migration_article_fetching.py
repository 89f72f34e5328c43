"""m0014 on a database with articles: every article kept as it was, with
no fetch recorded (fetched_at, ETag and Last-Modified NULL), and a later
fetch records them."""

import migrations
from annotations.store import Store, open_database


def test_existing_articles_have_no_fetch_until_one_is_recorded(tmp_path):
    db = open_database(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="m0014_article_fetching")
    with db.conn:
        db.execute("INSERT INTO articles (id, url, url_key, key_hash, title, created_at,"
                   " updated_at) VALUES (1, 'https://n.example/a', 'n.example/a', 'h', 'A',"
                   " '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')")

    migrations.apply(db)

    row = next(db.query("SELECT * FROM articles WHERE id = 1"))
    assert (row["title"], row["fetched_at"], row["http_etag"], row["http_last_modified"]) == (
        "A", None, None, None)
    article = Store(db).record_unchanged_fetch(1, {"fetched_at": "2026-03-04T08:00:00+00:00",
                                                   "http_etag": '"e1"', "http_last_modified": None})
    assert (article["fetched_at"], article["http_etag"], article["http_last_modified"]) == (
        "2026-03-04T08:00:00+00:00", '"e1"', None)
