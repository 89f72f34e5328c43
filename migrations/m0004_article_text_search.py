"""Full-text search over each article's whole text instead of each passage.

One index row per article (its passages joined by newlines) replaces one
per passage: search only ever asks which articles match, and indexing 20
small rows per import cost twice as much as one large row. The store keeps
the row in step when it imports, re-imports or deletes an article.
"""

from . import migrations


@migrations()
def m0004_article_text_search(db):
    db.table("passages").disable_fts()
    db.execute("CREATE VIRTUAL TABLE article_text_fts USING fts5(text, tokenize='unicode61')")
    db.execute("""
        INSERT INTO article_text_fts (rowid, text)
        SELECT article_id, group_concat(text, char(10))
        FROM (SELECT article_id, text FROM passages ORDER BY article_id, ordinal)
        GROUP BY article_id
    """)
