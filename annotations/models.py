"""Vocabulary shared by the store, the importer and the web layer."""

from dataclasses import dataclass

VERDICTS = ("verified", "denied", "unverified")
CLAIM_STATUSES = ("draft", "published")
ANCHOR_STATES = ("anchored", "orphaned")
PASSAGE_KINDS = ("heading", "paragraph", "quote", "list_item")
STANCES = ("supports", "refutes", "context")
ROLES = ("reader", "factchecker", "editor", "admin")

# How much text on each side of a quote is kept to re-find it later.
CONTEXT_LENGTH = 32


@dataclass(frozen=True)
class Passage:
    """One block of an article's text, as the importer produced it."""

    kind: str
    text: str


class DomainError(ValueError):
    """Input the domain refuses; ``field`` names the offending input."""

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
