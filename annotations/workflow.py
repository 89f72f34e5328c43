"""The editorial workflow of a claim, in one place: its states, the actions
that move it between them, who may take each, and when a published claim's
revision is a correction readers must be told about.

A claim's ``status`` is the state of its working copy, the one the desk
edits. What readers see is its publication (see store.publications), a copy
made when an editor approves: editing a published claim starts a revision
(status ``draft`` again) while the publication stays as it was.

    draft ──submit──▶ in_review ──approve──▶ published
      ▲                 │  │                    │ (an edit starts a revision: draft)
      └────withdraw─────┘  └─request_changes─▶ changes_requested ──submit──▶ in_review
    any state with a live publication ──retract──▶ retracted (public, with its reason)
"""

import html
import re
from dataclasses import dataclass

from .models import CLAIM_STATUSES, DomainError

# Where a content edit (verdict, label, rationale, sources, span) may be made;
# an edit of a published claim moves it to EDIT_OF_PUBLISHED.
EDITABLE_STATUSES = ("draft", "in_review", "changes_requested", "published")
EDIT_OF_PUBLISHED = "draft"
# How people read a state: on its own, and for a published claim whose
# working copy is being revised (the annotator and the claim cards).
STATUS_WORDS = {"draft": "draft", "in_review": "in review",
                "changes_requested": "changes requested", "published": "published",
                "retracted": "retracted"}
REVISION_WORDS = {"draft": "revision in draft", "in_review": "revision in review",
                  "changes_requested": "revision: changes requested"}


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    role: str                       # the least role that may take it
    text: str | None = None         # the text it requires: "note" or "reason"
    needs_publication: bool = False  # only for a claim readers can see
    label: str = ""                 # the button's words


TRANSITIONS = {t.action: t for t in (
    Transition("submit", ("draft", "changes_requested"), "in_review", "factchecker",
               label="Submit for review"),
    Transition("withdraw", ("in_review",), "draft", "factchecker", label="Withdraw from review"),
    Transition("request_changes", ("in_review",), "changes_requested", "editor", text="note",
               label="Request changes"),
    Transition("approve", ("in_review",), "published", "editor", label="Approve and publish"),
    Transition("retract", ("draft", "in_review", "changes_requested", "published"), "retracted",
               "editor", text="reason", needs_publication=True, label="Retract"),
)}
MAX_NOTE_LENGTH = 5000


class IllegalTransition(Exception):
    """The claim is not in a state this action (or edit) can start from.
    ``current`` is the claim as it is, for the client to catch up."""

    def __init__(self, message: str, current: dict):
        super().__init__(message)
        self.message = message
        self.current = current


def transition(action: str) -> Transition:
    if action not in TRANSITIONS:
        raise DomainError("action", f"action must be one of {', '.join(TRANSITIONS)}")
    return TRANSITIONS[action]


def check_transition(step: Transition, claim: dict, has_publication: bool) -> None:
    """IllegalTransition unless ``step`` may start from the claim's state."""
    if claim["status"] not in step.sources or (step.needs_publication and not has_publication):
        raise IllegalTransition(
            f"a {claim['status'].replace('_', ' ')} claim cannot be sent to "
            f"{step.target.replace('_', ' ')} ({step.action})", claim)


def check_editable(claim: dict) -> None:
    if claim["status"] not in EDITABLE_STATUSES:
        raise IllegalTransition(f"a {claim['status']} claim cannot be edited", claim)


def status_after_edit(status: str) -> str:
    """An edit of a published claim is a revision, in draft until approved."""
    return EDIT_OF_PUBLISHED if status == "published" else status


def available_actions(status: str, has_publication: bool) -> list[str]:
    """The actions whose source states include ``status`` (roles aside)."""
    return [t.action for t in TRANSITIONS.values()
            if status in t.sources and (has_publication or not t.needs_publication)]


def checked_text(value, field: str, required: bool) -> str:
    """A note or reason: trimmed, bounded, present when ``required``."""
    value = " ".join((value or "").split())
    if required and not value:
        raise DomainError(field, f"a {field.replace('_', ' ')} is required")
    if len(value) > MAX_NOTE_LENGTH:
        raise DomainError(field, f"at most {MAX_NOTE_LENGTH} characters")
    return value


# -- corrections -------------------------------------------------------------------

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")


def _words(rationale_html: str) -> list[str]:
    """The rationale's words, case-folded, without markup or punctuation: two
    rationales with the same words say the same thing."""
    return _WORD.findall(html.unescape(_TAG.sub(" ", rationale_html or "")).casefold())


def meaning_changes(published: dict, revision: dict) -> list[str]:
    """Which of verdict, label and rationale the revision changes in what
    readers are told. Spacing, markup, case and punctuation are not changes
    of meaning; any change of the rationale's words may be one, which only
    the approving editor can judge (see needs_correction_note)."""
    changed = [name for name in ("verdict", "label") if published[name] != revision[name]]
    if _words(published["rationale"]) != _words(revision["rationale"]):
        changed.append("rationale")
    return changed


def needs_correction_note(changes: list[str], minor_edit: bool) -> bool:
    """A changed verdict or label is always a correction; a reworded
    rationale is one unless the editor declares the edit minor (a typo, a
    broken link), which the audit records."""
    return bool(set(changes) - ({"rationale"} if minor_edit else set()))


def workflow_for_js() -> dict:
    """What the annotator needs to draw the workflow's buttons."""
    return {"statuses": list(CLAIM_STATUSES), "statusWords": STATUS_WORDS,
            "revisionWords": REVISION_WORDS,
            "transitions": {t.action: {"from": list(t.sources), "to": t.target, "role": t.role,
                                       "text": t.text, "needsPublication": t.needs_publication,
                                       "label": t.label}
                            for t in TRANSITIONS.values()}}
