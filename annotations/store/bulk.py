"""One action on many claims at once (the claim desk's selection): assign
them, or move them all through the workflow, all or nothing.

Each claim goes through the single-claim operation (``transition_claim``,
``assign_claim``), so the rules, and the audit entry each claim gets, are
those of acting on it alone. They run inside one transaction: the first
claim that refuses rolls back every change made to the others, and the
refusal names it (``BulkRefusal``).
"""

from ..models import Actor, DomainError, NotAllowed, NotFound, VersionConflict
from ..workflow import IllegalTransition, checked_text, transition
from .base import StoreBase

# The most claims one request may name: a page of the claim list.
MAX_BULK_CLAIMS = 200
ASSIGN = "assign"

# What a single-claim operation raises when a claim refuses.
_REFUSALS = (IllegalTransition, NotAllowed, NotFound, DomainError, VersionConflict)


class BulkRefusal(Exception):
    """A claim of the selection refused the action, so nothing was written.
    ``index`` is its place in the list asked for, ``error`` what acting on
    that claim alone raised."""

    def __init__(self, index: int, claim_id: int, error: Exception):
        self.index = index
        self.claim_id = claim_id
        self.error = error
        self.reason = getattr(error, "message", None) or str(error)
        super().__init__(f"claim {claim_id}: {self.reason}")


def check_claim_ids(claim_ids: list[int]) -> None:
    """One to MAX_BULK_CLAIMS ids, each once."""
    if not claim_ids:
        raise DomainError("claim_ids", "select at least one claim")
    if len(claim_ids) > MAX_BULK_CLAIMS:
        raise DomainError("claim_ids", f"at most {MAX_BULK_CLAIMS} claims at once")
    seen = {}
    for index, claim_id in enumerate(claim_ids):
        if claim_id in seen:
            raise DomainError(f"claim_ids.{index}",
                              f"claim {claim_id} is listed twice (also at {seen[claim_id]})")
        seen[claim_id] = index


class BulkActions(StoreBase):
    def bulk_claim_action(self, claim_ids: list[int], action: str, actor: Actor, *,
                          assignee_id: int | None = None, only_self: bool = False,
                          note: str = "", correction_note: str = "",
                          minor_edit: bool = False) -> list[dict]:
        """Take ``action`` ("assign" or a workflow action) on every claim of
        ``claim_ids``, in order, in one transaction; returns the claims as
        they now are. ``assignee_id``/``only_self`` are assign_claim's;
        ``note``, ``correction_note`` and ``minor_edit`` transition_claim's,
        the same for every claim.

        Input wrong for every claim (the ids, the action, a missing note, an
        assignee who cannot be given work) is DomainError or NotAllowed
        before any claim is read; one claim refusing is BulkRefusal, and
        then no claim has changed."""
        check_claim_ids(claim_ids)
        act = self._bulk_step(action, actor, assignee_id, only_self, note, correction_note,
                              minor_edit)
        done = []
        with self.transaction():
            for index, claim_id in enumerate(claim_ids):
                try:
                    done.append(act(claim_id))
                except _REFUSALS as error:
                    raise BulkRefusal(index, claim_id, error) from error
        return done

    def _bulk_step(self, action, actor, assignee_id, only_self, note, correction_note,
                   minor_edit):
        """What to do to each claim, once the input all claims share is checked."""
        if action == ASSIGN:
            if assignee_id is not None:
                self._check_assignee(assignee_id)
            if only_self and assignee_id not in (None, actor.id):
                raise NotAllowed("assignee_id", "a factchecker may only assign claims to "
                                                "themselves; ask an editor")
            return lambda claim_id: self.assign_claim(claim_id, assignee_id, actor, only_self)
        step = transition(action)
        if step.text:
            # Named as the request names it; the same text goes to each claim.
            if not (note or "").strip():
                raise DomainError("note", f"{step.action.replace('_', ' ')} needs a {step.text}")
            note = checked_text(note, "note", required=True)
        return lambda claim_id: self.transition_claim(
            claim_id, step.action, actor, note=note, correction_note=correction_note,
            minor_edit=minor_edit)
