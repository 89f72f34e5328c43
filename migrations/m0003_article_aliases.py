"""Other URLs under which an article is published (AMP pages, syndication,
a moved story), matched like the article's own URL."""

from . import migrations


@migrations()
def m0003_article_aliases(db):
    db.execute("""
        CREATE TABLE article_aliases (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            url_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        )
    """)
    db.execute("CREATE INDEX idx_article_aliases_article ON article_aliases(article_id)")
