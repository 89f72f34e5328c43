"""Linked claims (issue 15, "check once, show everywhere"): a claim that
repeats an earlier fact-check of another article follows that fact-check
instead of being checked again.

The rules, enforced by store.links:
- the original is another article's claim readers see as published (not
  retracted); a link to a linked claim goes to that claim's original, so
  links never chain, and a claim others link to cannot itself be linked;
- while linked, the claim's verdict, label, rationale and sources are the
  original's current published ones (corrections included): they cannot be
  edited there ("unlink first");
- the link is an edit like any other: on a published claim it starts a
  revision, and readers see the link once an editor approves it;
- unlinking makes the claim independent again, keeping as its own what it
  showed at that moment (on the desk's copy and on readers'), so nothing
  visibly changes.
"""

from .workflow import IllegalTransition

# What a linked claim takes from its original.
INHERITED_FIELDS = ("verdict", "label", "rationale")
UNLINK_FIRST = "unlink it first to check it on its own"


class LinkConflict(IllegalTransition):
    """The claim's link does not allow this (409): ``field`` names what was
    refused; ``current`` is the claim as it is."""

    def __init__(self, field: str, message: str, current: dict):
        super().__init__(message, current)
        self.field = field


def inherited_field_message(field: str, origin_id: int) -> str:
    return (f"{field} is inherited from the fact-check this claim is linked to "
            f"(claim {origin_id}): {UNLINK_FIRST}")
