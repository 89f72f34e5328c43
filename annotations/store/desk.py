"""The figures behind the desk page (annotations.desk): raw counts and
durations, read in a few grouped queries. What they mean, and how they
become weeks, months, medians and age buckets, is annotations.desk's.

Every period is a half-open range of UTC dates or times ``[start, end)``,
compared with the stored ISO timestamps as text (they are all UTC, written
by database.utcnow). ``site`` (a host) narrows every figure to the claims
of that site's articles.
"""

from .base import StoreBase
from .claim_list import site_clause

# The Monday (ISO week start) of a UTC date "YYYY-MM-DD".
_WEEK_OF = "date({0}, '-6 days', 'weekday 1')"
# The verdict a claim was first published with: a verdict is never changed
# without a correction (workflow.needs_correction_note), so the oldest
# correction's previous verdict is it; with no correction it is the verdict
# readers see now.
_FIRST_VERDICT = """coalesce((SELECT k.previous_verdict FROM claim_corrections k
    WHERE k.claim_id = p.claim_id ORDER BY k.at, k.id LIMIT 1), p.verdict)"""


def _site(article_id: str, site: str | None) -> tuple[str, list]:
    if not site:
        return "", []
    sql, *params = site_clause(article_id, site)
    return f" AND {sql}", params


class DeskFigures(StoreBase):
    def checked_per_week(self, start: str, end: str, site: str | None = None) -> list[tuple]:
        """(week's Monday, first verdict, claims) for the claims first
        published in ``[start, end)``, retracted ones included."""
        where, params = _site("c.article_id", site)
        # Counted by day first: date() on every row costs twice the whole count.
        return [tuple(row) for row in self.db.execute(
            f"SELECT {_WEEK_OF.format('day')}, verdict, sum(n) FROM ("
            f"  SELECT substr(p.first_published_at, 1, 10) AS day, {_FIRST_VERDICT} AS verdict,"
            "   count(*) AS n FROM claim_publications p"
            # The claim's row (its article) only when a site is asked for.
            f"{' JOIN claims c ON c.id = p.claim_id' if site else ''}"
            f"  WHERE p.first_published_at >= ? AND p.first_published_at < ?{where}"
            "   GROUP BY 1, 2)"
            " GROUP BY 1, 2 ORDER BY 1, 2", [start, end, *params])]

    def publish_delays(self, start: str, end: str, site: str | None = None) -> list[tuple]:
        """(day of first publication "YYYY-MM-DD", hours from the article's
        import to it) for each claim first published in ``[start, end)``, in
        no particular order (a sort would double the cost)."""
        where, params = _site("c.article_id", site)
        return self.db.execute(
            "SELECT substr(p.first_published_at, 1, 10),"
            " (julianday(p.first_published_at) - julianday(a.created_at)) * 24"
            " FROM claim_publications p JOIN claims c ON c.id = p.claim_id"
            " JOIN articles a ON a.id = c.article_id"
            f" WHERE p.first_published_at >= ? AND p.first_published_at < ?{where}",
            [start, end, *params]).fetchall()

    def corrections_per_month(self, start: str, end: str,
                              site: str | None = None) -> list[tuple]:
        """(month "YYYY-MM", whether the verdict changed (0/1), corrections)
        for the corrections readers were told of in ``[start, end)``."""
        where, params = _site("c.article_id", site)
        return [tuple(row) for row in self.db.execute(
            "SELECT substr(k.at, 1, 7), k.previous_verdict != k.verdict, count(*)"
            " FROM claim_corrections k JOIN claims c ON c.id = k.claim_id"
            f" WHERE k.at >= ? AND k.at < ?{where} GROUP BY 1, 2 ORDER BY 1, 2",
            [start, end, *params])]

    def review_queue_ages(self, now: str, site: str | None = None) -> list[float]:
        """How long (hours until ``now``) each claim in review has waited
        since it was last submitted (its audit entry; the claim's last change
        for a claim submitted before the audit recorded submissions)."""
        where, params = _site("c.article_id", site)
        return [row[0] for row in self.db.execute(
            "SELECT (julianday(?) - julianday(coalesce((SELECT max(l.at) FROM audit_log l"
            "   WHERE l.entity = 'claim' AND l.entity_id = c.id AND l.action = 'submit'),"
            "   c.updated_at))) * 24"
            f" FROM claims c WHERE c.status = 'in_review'{where}", [now, *params])]

    def claims_per_author(self, start: str, end: str, site: str | None = None) -> list[tuple]:
        """(author's username, None for the system or a deleted account, status,
        claims) for the claims created in ``[start, end)``, by the state of
        their working copy."""
        where, params = _site("c.article_id", site)
        return [tuple(row) for row in self.db.execute(
            "SELECT u.username, c.status, count(*) FROM claims c"
            " LEFT JOIN users u ON u.id = c.created_by"
            f" WHERE c.created_at >= ? AND c.created_at < ?{where}"
            " GROUP BY c.created_by, c.status ORDER BY u.username, c.status",
            [start, end, *params])]
