"""Finding an article's claims again after a re-import changed its text:
each working copy and each publication is placed anew, or orphaned, and
every move is audited."""

from ..anchoring import ArticleText
from ..models import Actor
from .base import StoreBase

# A re-import holds the write lock while it re-anchors. Finding a quote
# that is no longer verbatim in the text (a near match) costs milliseconds
# each, so one re-import searches at most this many; the rest are orphaned
# (never guessed), for the desk to re-attach.
MAX_NEAR_SEARCHES = 100


class Reanchoring(StoreBase):
    max_near_searches = MAX_NEAR_SEARCHES

    def _reanchor_claims(self, article_id: int, text: ArticleText, passage_ids: list[int],
                         actor: Actor, now: str) -> tuple[int, int]:
        """Find each claim of the article again in its new text, or orphan it,
        and each publication likewise (readers' copy of the quote may differ
        from the desk's while a revision is open); every move is audited.
        Returns (kept, orphaned) of the working copies."""
        kept = orphaned = 0
        budget = NearSearchBudget(self.max_near_searches)
        for claim in self.db.query("SELECT * FROM claims WHERE article_id = ?", [article_id]):
            change = _placement(text, passage_ids, claim, budget)
            if change["anchor_state"] == "orphaned":
                orphaned += 1
            else:
                kept += 1
            if any(claim[k] != v for k, v in change.items()):
                before = {k: claim[k] for k in change}
                self.db.table("claims").update(
                    claim["id"], {**change, "version": claim["version"] + 1, "updated_at": now})
                action = "orphan" if change["anchor_state"] == "orphaned" else "reanchor"
                self._audit(actor, action, "claim", claim["id"], before, change)
        for publication in self.db.query(
                "SELECT p.* FROM claim_publications p JOIN claims c ON c.id = p.claim_id"
                " WHERE c.article_id = ?", [article_id]):
            change = _placement(text, passage_ids, publication, budget)
            if any(publication[k] != v for k, v in change.items()):
                self.db.table("claim_publications").update(
                    publication["claim_id"], change)
                action = ("orphan_published" if change["anchor_state"] == "orphaned"
                          else "reanchor_published")
                self._audit(actor, action, "claim", publication["claim_id"],
                            {k: publication[k] for k in change}, change)
        return kept, orphaned


class NearSearchBudget:
    """How many near-match searches one re-import may still make."""

    def __init__(self, searches: int = MAX_NEAR_SEARCHES):
        self.left = searches

    def take(self) -> bool:
        if self.left <= 0:
            return False
        self.left -= 1
        return True


def _placement(text: ArticleText, passage_ids: list[int], quoted: dict,
               budget: NearSearchBudget) -> dict:
    """Where ``quoted`` (its exact, prefix, suffix) is in the new text, as
    the columns to write: the passage, offsets and selector, or orphaned.
    A quote no longer verbatim in the text costs a near search."""
    anchor = None
    if quoted["exact"] in text.text or budget.take():
        anchor = text.locate(quoted["exact"], quoted["prefix"], quoted["suffix"])
    if anchor is None:
        return {"anchor_state": "orphaned", "passage_id": None,
                "start_offset": None, "end_offset": None}
    return {"anchor_state": "anchored", "passage_id": passage_ids[anchor.passage_index],
            "start_offset": anchor.start, "end_offset": anchor.end,
            **text.selector(anchor.passage_index, anchor.start, anchor.end)}
