"""Read models for readers: what the extension and the article's public
page see of an article, published claims only, and where its passages
start in its text."""

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
        starts, text_length = self._passage_layout(article_id)
        claims = self.claims_for_article(article_id, published_only=True)
        for claim in claims:
            base = starts.get(claim["passage_id"])
            claim["position"] = None if base is None else {
                "start": base + claim["start_offset"], "end": base + claim["end_offset"]}
        return {"article": article, "text_length": text_length, "claims": claims}

    def passage_starts(self, article_ids) -> dict[int, int]:
        """Where each passage of these articles starts in its article's text."""
        starts = {}
        for article_id in article_ids:
            starts.update(self._passage_layout(article_id)[0])
        return starts

    def _passage_layout(self, article_id: int) -> tuple[dict[int, int], int]:
        """Each passage's start in the article's text (passages joined by one
        newline, code points), and the text's length, without reading it."""
        starts, position = {}, 0
        for passage_id, length in self.db.execute(
                "SELECT id, length(text) FROM passages WHERE article_id = ? ORDER BY ordinal",
                [article_id]):
            starts[passage_id] = position
            position += length + 1
        return starts, max(position - 1, 0)
