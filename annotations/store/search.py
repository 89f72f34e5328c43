"""The article list: filters by claim verdict and status, full-text search.

Words are found through unicode61 indexes (``articles_fts`` over title,
publisher and URL; ``article_text_fts`` over each article's text). Scripts
written without spaces (Chinese, Japanese, Thai...) have no words to index,
so a term in them is a substring to find (migration m0006), kept per article
from the words of its text that hold such characters (``unspaced_words``):

- 3 characters or more: ``article_trigram_fts``, an FTS5 trigram index over
  the title and those words, answers a phrase query for the term anywhere;
- 1 or 2 characters, shorter than a trigram: ``article_short_terms_fts``
  holds each distinct 1- and 2-character string of those words as a token
  (no positions), so the term is one token lookup; titles are matched with
  LIKE, a scan of the titles only, never of the text.
"""

import re

from ..text import UNSPACED_SCRIPT, has_unspaced_script, normalize_text
from .base import StoreBase
from .publications import PUBLIC_CLAIMS

_UNSPACED_RUN = re.compile(UNSPACED_SCRIPT.pattern + "+")


def unspaced_words(texts: list[str]) -> str:
    """What the substring indexes hold of an article's text: its words (runs
    without spaces) that hold a character of an unspaced script, one a
    line, so that a search term, which has no spaces either, is found in
    them wherever it is in the text. Passages are stored with single spaces
    (normalize_text), so a word runs from one space to the next; each run of
    such characters is widened to its word by two string searches, which
    keeps this linear in the text (and cheap for text with none)."""
    words = []
    for text in texts:
        end = 0
        for run in _UNSPACED_RUN.finditer(text):
            if run.start() < end:
                continue  # in the word just taken
            start = text.rfind(" ", 0, run.start()) + 1
            end = text.find(" ", run.end())
            if end < 0:
                end = len(text)
            words.append(text[start:end])
    return "\n".join(words)


def short_terms(words: str) -> str:
    """The distinct 1- and 2-character strings of these words, as the short
    terms index holds them (space separated: its tokenizer splits on spaces
    only)."""
    terms = set()
    for word in words.split():
        terms.update(word)
        terms.update(word[i:i + 2] for i in range(len(word) - 1))
    return " ".join(sorted(terms))


_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f]")

# What needs the desk on an article, over its claims ``c`` each with its
# publication ``p`` (LEFT JOIN): claims waiting for review, and published
# claims (not retracted) a re-import took off the page.
_DESK_COUNTS = """count(CASE WHEN c.status = 'in_review' THEN 1 END) AS in_review_count,
    count(CASE WHEN p.claim_id IS NOT NULL AND p.retracted_at IS NULL
               AND p.anchor_state = 'orphaned' THEN 1 END) AS orphaned_count"""


class Search(StoreBase):
    def _article_filters(self, verdict=None, status=None, q=None,
                         published_only=False) -> tuple[str, list]:
        """WHERE clause for the article list: articles with a claim of that
        verdict/status and matching text. Readers' filters read what readers
        see (the publications: a claim under revision by its published
        verdict; retracted ones only when asked for)."""
        where, params = [], []
        claim_conditions = []
        claims = PUBLIC_CLAIMS if published_only else "claims"
        if published_only and not status:
            claim_conditions.append("c.status = 'published'")
        if verdict:
            claim_conditions.append("c.verdict = ?")
            params.append(verdict)
        if status:
            claim_conditions.append("c.status = ?")
            params.append(status)
        if verdict or status:
            where.append(f"EXISTS (SELECT 1 FROM {claims} c WHERE c.article_id = articles.id"
                         " AND " + " AND ".join(claim_conditions) + ")")
        # Control characters are never part of a word, and a NUL ends SQLite's
        # reading of an FTS query early ("unterminated string"): dropped.
        q = normalize_text(_CONTROL_CHARACTERS.sub(" ", q or ""))
        # Only quotes or spaces: no words to search for, so no text filter
        # (an empty MATCH would be an FTS syntax error).
        fts_query = self.db.quote_fts(q) if q else ""
        if fts_query:
            text_match = (
                "(articles.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
                " OR articles.id IN"
                " (SELECT rowid FROM article_text_fts WHERE article_text_fts MATCH ?))")
            params.extend([fts_query, fts_query])
            if UNSPACED_SCRIPT.search(q):
                # unicode61 indexes a run of Chinese, Japanese, Thai... as one
                # token, so a word inside the run is found only as a substring.
                each_term = [self._term_match(term, params)
                             for term in q.replace('"', " ").split()]
                text_match = f"({text_match} OR ({' AND '.join(each_term)}))"
            where.append(text_match)
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def _term_match(self, term: str, params: list) -> str:
        """SQL for "this article has the term", its values added to params:
        for a term in an unspaced script a substring (trigram index from 3
        characters, else the short terms index and the titles), for any
        other a word through the unicode61 indexes."""
        if not UNSPACED_SCRIPT.search(term):
            params.extend([self.db.quote_fts(term)] * 2)
            return ("(articles.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
                    " OR articles.id IN"
                    " (SELECT rowid FROM article_text_fts WHERE article_text_fts MATCH ?))")
        if len(term) >= 3:
            params.append(f'"{term}"')
            return ("articles.id IN (SELECT rowid FROM article_trigram_fts"
                    " WHERE article_trigram_fts MATCH ?)")
        params.extend(["%" + re.sub(r"([\\%_])", r"\\\1", term) + "%", f'"{term}"'])
        return ("(articles.title LIKE ? ESCAPE '\\' OR articles.id IN (SELECT rowid FROM"
                " article_short_terms_fts WHERE article_short_terms_fts MATCH ?))")

    def _index_unspaced_words(self, article_id: int, texts: list[str],
                              replace: bool = True) -> None:
        """Put the article's rows in the substring indexes, its text as it is
        now (a trigger keeps the title in step, and removes the rows with the
        article). An article with nothing in an unspaced script gets no row:
        every write to an FTS5 table costs, and most articles are such."""
        words = unspaced_words(texts)
        if replace:
            self.db.execute("DELETE FROM article_trigram_fts WHERE rowid = ?", [article_id])
            self.db.execute("DELETE FROM article_short_terms_fts WHERE rowid = ?", [article_id])
        title = self.db.execute("SELECT title FROM articles WHERE id = ?",
                                [article_id]).fetchone()[0]
        if words or has_unspaced_script(title):
            self.db.execute("INSERT INTO article_trigram_fts (rowid, title, text) VALUES (?, ?, ?)",
                            [article_id, title, words])
        if words:
            self.db.execute("INSERT INTO article_short_terms_fts (rowid, terms) VALUES (?, ?)",
                            [article_id, short_terms(words)])

    def list_articles(self, limit: int = 50, offset: int = 0, verdict: str | None = None,
                      status: str | None = None, q: str | None = None,
                      published_only: bool = False) -> list[dict]:
        """Newest first, with claim counts.

        For readers (``published_only``) the counts are of what readers
        see, the publications: ``claim_count`` and the verdicts count every
        publication (retracted ones too, as the article's page lists them),
        ``published_count`` the live ones. For the desk they count the
        working copies, ``published_count`` the claims readers see now (a
        published claim under revision included), and two more say what
        needs the desk: ``in_review_count``, the claims waiting for review,
        and ``orphaned_count``, the published claims (not retracted) a
        re-import took off the page (None for readers).

        One pass over each listed article's claims (with their publication
        by its key), the page's articles chosen first."""
        where, params = self._article_filters(verdict, status, q, published_only)
        live = "p.claim_id IS NOT NULL AND p.retracted_at IS NULL"
        if published_only:
            shown, verdict_of = "p.claim_id IS NOT NULL", "p.verdict"
            desk_counts = ", NULL AS in_review_count, NULL AS orphaned_count"
        else:
            shown, verdict_of = "c.id IS NOT NULL", "c.verdict"
            desk_counts = f", {_DESK_COUNTS}"
        verdict_counts = ", ".join(
            f"count(CASE WHEN {shown} AND {verdict_of} = '{v}' THEN 1 END) AS {v}_count"
            for v in ("verified", "denied", "unverified"))
        return list(self.db.query(
            f"""
            WITH page AS (
              SELECT * FROM articles {where}
              ORDER BY articles.created_at DESC, articles.id DESC LIMIT ? OFFSET ?)
            SELECT page.*,
              count(CASE WHEN {shown} THEN 1 END) AS claim_count,
              count(CASE WHEN {live} THEN 1 END) AS published_count,
              {verdict_counts}{desk_counts}
            FROM page
            LEFT JOIN claims c ON c.article_id = page.id
            LEFT JOIN claim_publications p ON p.claim_id = c.id
            GROUP BY page.id
            ORDER BY page.created_at DESC, page.id DESC
            """, params + [limit, offset]))

    def desk_counts(self, article_id: int) -> dict:
        """The article list's ``in_review_count`` and ``orphaned_count`` for
        one article."""
        return dict(self._first(
            f"SELECT {_DESK_COUNTS} FROM claims c"
            " LEFT JOIN claim_publications p ON p.claim_id = c.id WHERE c.article_id = ?",
            [article_id]))

    def count_articles(self, verdict: str | None = None, status: str | None = None,
                       q: str | None = None, published_only: bool = False) -> int:
        where, params = self._article_filters(verdict, status, q, published_only)
        return self.db.execute(f"SELECT count(*) FROM articles {where}", params).fetchone()[0]
