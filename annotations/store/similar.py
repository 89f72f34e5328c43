"""Earlier fact-checks like a new claim: published claims of other articles,
found by the claims' full-text index (m0016) and ranked by
annotations.similarity."""

from ..similarity import matched_words, pieces, similarity, words
from ..text import has_unspaced_script
from .base import StoreBase

# Trigram terms: shorter words cannot be asked of the index.
_MIN_TERM = 3
_MAX_TERMS = 16
_CANDIDATES = 100


def _any_of(text: str) -> str | None:
    """An FTS5 query for claims sharing any word (or, in scripts without
    spaces, any three-character piece) with ``text``: longest words first."""
    terms = []
    for word in words(text):
        terms += pieces(word) if has_unspaced_script(word) else [word]
    terms = [t for t in dict.fromkeys(terms) if len(t) >= _MIN_TERM][:_MAX_TERMS]
    if not terms:
        return None
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)


class SimilarClaims(StoreBase):
    def similar_claims(self, text: str, exclude_article_id: int | None = None,
                       limit: int = 5, min_score: float = 0.15) -> list[dict]:
        """Published, not retracted claims of other articles whose quote is
        like ``text``, best first, each with its ``score`` and the
        ``matched_words`` of ``text`` it holds. What is shown of each is the
        published version."""
        query = _any_of(text)
        if query is None:
            return []
        rows = self.db.query(
            "SELECT c.id, c.article_id, p.exact, p.verdict, p.label, a.title AS article_title,"
            " a.url AS article_url"
            " FROM claims_fts f JOIN claims c ON c.id = f.rowid"
            " JOIN claim_publications p ON p.claim_id = c.id AND p.retracted_at IS NULL"
            " JOIN articles a ON a.id = c.article_id"
            " WHERE claims_fts MATCH ? AND c.article_id IS NOT ?"
            " ORDER BY f.rank LIMIT ?", [query, exclude_article_id, _CANDIDATES])
        ranked = []
        for row in rows:
            score = similarity(text, row["exact"])
            if score >= min_score:
                ranked.append({**row, "score": round(score, 3),
                               "matched_words": matched_words(text, row["exact"])})
        ranked.sort(key=lambda claim: (-claim["score"], claim["id"]))
        return ranked[:limit]
