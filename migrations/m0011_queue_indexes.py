"""An index for "my queue": claims by status in id order.

The queue lists claims newest (highest id) first and merges its lookups,
each read in id order, stopping once a page is full. The claims waiting for
review are found by status; ``idx_claims_status_updated`` orders them by
update time, so without this index SQLite walks the claims table backwards
from the page's start (every claim, when few are in review). SQLite puts
the rowid at the end of every index, so ``(status)`` is ``(status, id)``.
"""

from . import migrations


@migrations()
def m0011_queue_indexes(db):
    db.execute("CREATE INDEX IF NOT EXISTS idx_claims_status ON claims(status)")
