"""Read models for readers: what the extension and ClaimReview consumers
see of an article, published claims only."""

from ..models import ARTICLE_FIELDS
from .base import StoreBase
from .publications import PUBLIC_CLAIMS


class ReaderViews(StoreBase):
    def published_fingerprint(self, article_id: int) -> tuple:
        """Changes whenever what a reader sees of the article changes: its
        metadata or text (a re-import moves publications), or any
        publication: approved, revised, retracted or deleted with its claim."""
        return tuple(self.db.execute(
            # Versions and retractions counted too: an answer must not
            # depend on the clock only moving forward.
            f"SELECT a.updated_at, count(c.id), max(c.updated_at), max(c.id), sum(c.version),"
            f" count(c.retracted_at)"
            f" FROM articles a LEFT JOIN {PUBLIC_CLAIMS} c ON c.article_id = a.id"
            f" WHERE a.id = ?", [article_id]).fetchone())

    def reader_view(self, article_id: int) -> dict:
        """The article's published claims, each with its place in the article
        text (passages joined by one newline, code points)."""
        article = self.article(article_id)
        lengths = self.db.execute(
            "SELECT id, length(text) FROM passages WHERE article_id = ? ORDER BY ordinal",
            [article_id]).fetchall()
        starts, position = {}, 0
        for passage_id, length in lengths:
            starts[passage_id] = position
            position += length + 1
        claims = self.claims_for_article(article_id, published_only=True)
        for claim in claims:
            base = starts.get(claim["passage_id"])
            claim["position"] = None if base is None else {
                "start": base + claim["start_offset"], "end": base + claim["end_offset"]}
        return {"article": article, "text_length": max(position - 1, 0), "claims": claims}

    def published_claims_with_articles(self):
        """(claim, article) for every claim readers see on its page, oldest
        claim first, from one query however many there are (the ClaimReview
        feed): published and anchored; retracted claims and those a
        re-import orphaned (until re-attached) are left out."""
        article_columns = ("id", "url", *ARTICLE_FIELDS)
        selected = ", ".join(f"a.{name} AS article__{name}" for name in article_columns)
        for row in self.db.query(
                f"SELECT c.*, {selected} FROM {PUBLIC_CLAIMS} c"
                " JOIN articles a ON a.id = c.article_id"
                " WHERE c.status = 'published' AND c.anchor_state = 'anchored' ORDER BY c.id"):
            article = {name: row.pop(f"article__{name}") for name in article_columns}
            yield row, article
