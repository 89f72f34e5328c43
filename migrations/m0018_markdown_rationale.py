"""Rationales written in Markdown (issue 18).

``claims.rationale_markdown``: the Markdown source the desk writes and
edits; ``rationale`` stays the clean HTML rendered from it, which is all
readers, exports and ClaimReview read (publications copy only the HTML, so
``claim_publications`` is unchanged). NULL for every existing claim: its
rationale was written as HTML and keeps showing and exporting as before.
The desk is offered a Markdown conversion of it when editing
(annotations.rationale_markdown.markdown_from_html), stored only once saved,
so no existing rationale is rewritten here.
"""

from . import migrations


@migrations()
def m0018_markdown_rationale(db):
    db.execute("ALTER TABLE claims ADD COLUMN rationale_markdown TEXT")
