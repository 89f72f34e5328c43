"""What the last fetch of an article's page answered (issue 14): when it was
fetched, and the page's ``ETag`` and ``Last-Modified``, sent back on the next
fetch so that an unchanged page answers 304 and is not imported again.
NULL for articles imported from text or a file."""

from . import migrations


@migrations()
def m0014_article_fetching(db):
    for column in ("fetched_at", "http_etag", "http_last_modified"):
        db.execute(f"ALTER TABLE articles ADD COLUMN {column} TEXT")
