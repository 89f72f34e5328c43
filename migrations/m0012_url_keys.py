"""URL keys recomputed with the url_key that matches what browsers send
(escapes, international hosts and dot segments normalised, issue 13).

Every article's and alias's ``url_key`` is recomputed from its ``url``.
Keys are unique, and two rows may now get one key: two articles stored
under ``/café`` and ``/caf%C3%A9`` were always one page. Then:

- a row whose key is already its new key keeps it (nothing to change);
- otherwise the older row (lower id; articles before aliases) takes the new
  key, and a newer row that would get the same key keeps its old key as it
  was. Readers find the page through the row that got the new key; the
  other row is still there for an editor to merge or delete. Nothing is
  deleted or merged here.
- An alias whose new key is an article's key (or another alias's) is KEPT
  with its old key, not dropped: dropping would lose the editor's record of
  the alias (and, for an alias of another article, which article it named)
  for a lookup the other row answers anyway. Such an alias matches no URL
  any more; editors can see and remove it.
- A stored URL that the new url_key refuses (an ``xn--`` host that is no
  valid punycode) keeps its old key.

Rows are moved one at a time, each only to a key no row holds at that
moment, so the UNIQUE constraints hold at every step; passes repeat until
nothing moves (a key freed by a later row can still go to an earlier one).
"""

from annotations.models import DomainError
from annotations.urls import url_key

from . import migrations


def _new_key(url: str, old: str) -> str:
    try:
        return url_key(url)
    except DomainError:
        return old


@migrations()
def m0012_url_keys(db):
    # (table, id, old key, new key): articles first, each table oldest first.
    rows = [(table, row_id, old, _new_key(url, old))
            for table in ("articles", "article_aliases")
            for row_id, url, old in db.execute(
                f"SELECT id, url, url_key FROM {table} ORDER BY id").fetchall()]
    held = {old for _, _, old, _ in rows}  # keys are unique across both tables
    pending = [row for row in rows if row[2] != row[3]]
    moved = True
    while pending and moved:
        moved = False
        waiting = []
        for table, row_id, old, new in pending:
            if new in held:
                waiting.append((table, row_id, old, new))
                continue
            db.execute(f"UPDATE {table} SET url_key = ? WHERE id = ?", [new, row_id])
            held.discard(old)
            held.add(new)
            moved = True
        pending = waiting
