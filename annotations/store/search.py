"""The article list: filters by claim verdict and status, full-text search."""

import re

from ..text import normalize_text
from .base import StoreBase

# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer,
# kana and CJK ideographs.
_UNSPACED_SCRIPT = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


class Search(StoreBase):
    def _article_filters(self, verdict=None, status=None, q=None,
                         published_only=False) -> tuple[str, list]:
        """WHERE clause for the article list: articles with a claim of that
        verdict/status (published ones only for readers) and matching text."""
        where, params = [], []
        claim_conditions = []
        if published_only:
            claim_conditions.append("c.status = 'published'")
        if verdict:
            claim_conditions.append("c.verdict = ?")
            params.append(verdict)
        if status:
            claim_conditions.append("c.status = ?")
            params.append(status)
        if verdict or status:
            where.append("EXISTS (SELECT 1 FROM claims c WHERE c.article_id = articles.id AND "
                         + " AND ".join(claim_conditions) + ")")
        q = normalize_text(q or "")
        # Only quotes or spaces: no words to search for, so no text filter
        # (an empty MATCH would be an FTS syntax error).
        fts_query = self.db.quote_fts(q) if q else ""
        if fts_query:
            text_match = (
                "(articles.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
                " OR articles.id IN"
                " (SELECT rowid FROM article_text_fts WHERE article_text_fts MATCH ?))")
            params.extend([fts_query, fts_query])
            if _UNSPACED_SCRIPT.search(q):
                # unicode61 indexes a run of Chinese, Japanese, Thai... as one
                # token, so a word inside the run is found only as a substring.
                substring = []
                for term in q.replace('"', " ").split():
                    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
                    substring.append(
                        "(articles.title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM passages p"
                        " WHERE p.article_id = articles.id AND p.text LIKE ? ESCAPE '\\'))")
                    params.extend([pattern, pattern])
                text_match = f"({text_match} OR ({' AND '.join(substring)}))"
            where.append(text_match)
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def list_articles(self, limit: int = 50, offset: int = 0, verdict: str | None = None,
                      status: str | None = None, q: str | None = None,
                      published_only: bool = False) -> list[dict]:
        """Newest first, with claim counts (of published claims for readers)."""
        where, params = self._article_filters(verdict, status, q, published_only)
        visible = "AND c.status = 'published'" if published_only else ""
        return list(self.db.query(
            f"""
            SELECT articles.*,
              (SELECT count(*) FROM claims c WHERE c.article_id = articles.id {visible})
                AS claim_count,
              (SELECT count(*) FROM claims c WHERE c.article_id = articles.id
                 AND c.status = 'published') AS published_count,
              (SELECT count(*) FROM claims c WHERE c.article_id = articles.id {visible}
                 AND c.verdict = 'verified') AS verified_count,
              (SELECT count(*) FROM claims c WHERE c.article_id = articles.id {visible}
                 AND c.verdict = 'denied') AS denied_count,
              (SELECT count(*) FROM claims c WHERE c.article_id = articles.id {visible}
                 AND c.verdict = 'unverified') AS unverified_count
            FROM articles {where}
            ORDER BY articles.created_at DESC, articles.id DESC LIMIT ? OFFSET ?
            """, params + [limit, offset]))

    def count_articles(self, verdict: str | None = None, status: str | None = None,
                       q: str | None = None, published_only: bool = False) -> int:
        where, params = self._article_filters(verdict, status, q, published_only)
        return self.db.execute(f"SELECT count(*) FROM articles {where}", params).fetchone()[0]
