"""Vocabulary shared by the store, the importer, the web layer and, through
``vocabulary_for_js()``, the annotator and the browser extension."""

from dataclasses import dataclass

VERDICTS = ("verified", "denied", "unverified")
# A claim's workflow states; annotations.workflow has the moves between them.
CLAIM_STATUSES = ("draft", "in_review", "changes_requested", "published", "retracted")
PASSAGE_KINDS = ("heading", "paragraph", "quote", "list_item")
STANCES = ("supports", "refutes", "context")
# In rank order: each role may do everything the roles before it may.
ROLES = ("reader", "factchecker", "editor", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}

# How a verdict is shown to people: the word readers see (also ClaimReview's
# rating name), an icon so colour is never the only cue, and its colour.
VERDICT_DISPLAY = {
    "verified": {"word": "Verified", "icon": "✔", "colour": "#1b7f3b"},
    "denied": {"word": "False", "icon": "✘", "colour": "#b3261e"},
    "unverified": {"word": "Unverified", "icon": "?", "colour": "#a86200"},
}

# The editable fields of an article's metadata and of a citation.
ARTICLE_FIELDS = ("title", "publisher", "author", "published_date", "language")
CITATION_FIELDS = ("url", "title", "publisher", "excerpt", "accessed_date", "archive_url", "stance")
# At most this many citations on one claim, on every path (API, store,
# Web Annotation import): it bounds a claim's size and its audit entries.
MAX_CITATIONS = 50

# How much text on each side of a quote is kept to re-find it later.
CONTEXT_LENGTH = 32


def label_beside(verdict: str, label: str | None) -> str:
    """The label to show beside the verdict's word, or "" when there is none
    or it only repeats that word ("False" beside False; compared trimmed and
    regardless of case). extension/vocabulary.js labelBeside() is its twin
    for scripts, which cannot call Python."""
    text = (label or "").strip()
    word = VERDICT_DISPLAY.get(verdict, {}).get("word", "")
    return "" if text.lower() == word.lower() else text


def role_at_least(role: str | None, minimum: str) -> bool:
    """True when ``role`` ranks at or above ``minimum`` (None: no account)."""
    return role in ROLE_RANK and ROLE_RANK[role] >= ROLE_RANK[minimum]


def vocabulary_for_js() -> dict:
    """What extension/vocabulary.js holds; a test keeps the two equal."""
    from .workflow import workflow_for_js  # the workflow imports this module
    return {"verdicts": list(VERDICTS), "verdictDisplay": VERDICT_DISPLAY,
            "stances": list(STANCES), "roles": list(ROLES), **workflow_for_js()}


@dataclass(frozen=True)
class Actor:
    """Who is doing a write, for the audit trail; None means the system."""

    id: int | None
    username: str


SYSTEM = Actor(None, "system")


@dataclass(frozen=True)
class Passage:
    """One block of an article's text, as the importer produced it."""

    kind: str
    text: str


class DomainError(ValueError):
    """Input the domain refuses; ``field`` names the offending input in the
    domain's words (``exact``, ``citations.0.url``); the web layer maps it to
    the name its request used."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class NotAllowed(PermissionError):
    """The actor may not make this change (a rule of the desk, not bad input)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class NotFound(LookupError):
    """A referenced record does not exist."""

    def __init__(self, entity: str, entity_id):
        super().__init__(f"{entity} {entity_id} not found")
        self.entity = entity
        self.entity_id = entity_id


class VersionConflict(Exception):
    """A write named a version of a claim that is no longer current."""

    def __init__(self, current: dict):
        super().__init__(f"claim {current['id']} is at version {current['version']}")
        self.current = current
