"""Substring search for scripts written without spaces, through indexes.

unicode61 sees a run of Chinese, Japanese or Thai as one word, so a term
inside the run used to be looked for with LIKE over every passage: a scan of
all text (about 1 s at 60 MB). Per article, from its title and the words of
its text that hold such characters (annotations/store/search.py says what
each holds and how it is queried):

- ``article_trigram_fts`` (FTS5, trigram tokenizer), for terms of 3
  characters or more;
- ``article_short_terms_fts`` (FTS5, one token per distinct 1- or
  2-character string, no positions), for shorter terms.

The store writes an article's rows when it imports or re-imports it;
triggers on ``articles`` keep the title in step and remove the rows with it.
"""

from itertools import groupby

from annotations.store.search import has_unspaced_script, short_terms, unspaced_words

from . import migrations

# Every character but spaces is part of a token, kept as written (case
# folded), so that a token is exactly a 1- or 2-character string of the text.
SHORT_TERMS_TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* M* N* P* S* C*'"


@migrations()
def m0006_trigram_search(db):
    db.execute("CREATE VIRTUAL TABLE article_trigram_fts USING fts5("
               "title, text, tokenize='trigram')")
    db.execute(f"CREATE VIRTUAL TABLE article_short_terms_fts USING fts5("
               f"terms, tokenize=\"{SHORT_TERMS_TOKENIZER}\", detail=none)")
    for trigger in (
        # A new title replaces the old in an article's row. (Imports write
        # the row after the article's, title included, or none when nothing
        # is in an unspaced script.)
        """CREATE TRIGGER article_unspaced_title AFTER UPDATE OF title ON articles BEGIN
            UPDATE article_trigram_fts SET title = new.title WHERE rowid = new.id;
        END""",
        """CREATE TRIGGER article_unspaced_delete AFTER DELETE ON articles BEGIN
            DELETE FROM article_trigram_fts WHERE rowid = old.id;
            DELETE FROM article_short_terms_fts WHERE rowid = old.id;
        END""",
    ):
        db.execute(trigger)
    # As Search._index_unspaced_words writes them; its own SQL here, so that
    # this step stays what it is when the store changes later.
    passages = groupby(db.execute(
        "SELECT article_id, text FROM passages ORDER BY article_id, ordinal"), key=lambda r: r[0])
    texts = {article_id: [text for _, text in rows] for article_id, rows in passages}
    for article_id, title in db.execute("SELECT id, title FROM articles").fetchall():
        words = unspaced_words(texts.pop(article_id, []))
        if words or has_unspaced_script(title):
            db.execute("INSERT INTO article_trigram_fts (rowid, title, text) VALUES (?, ?, ?)",
                       [article_id, title, words])
        if words:
            db.execute("INSERT INTO article_short_terms_fts (rowid, terms) VALUES (?, ?)",
                       [article_id, short_terms(words)])
