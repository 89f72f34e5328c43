"""The domain's rules about claims and their sources, each in one function.

Pure checks on values: the store calls them before it writes, and the Web
Annotation importer before it accepts a document. Each raises DomainError
naming the offending field in the domain's words.
"""

from .models import NotAllowed, CITATION_FIELDS, MAX_CITATIONS, STANCES, VERDICTS, DomainError
from .text import normalize_text
from .urls import validate_http_url

# Verdicts that assert something about the world, and so must cite a source
# before readers see them.
SOURCED_VERDICTS = frozenset({"verified", "denied"})


def check_choice(field: str, value, choices, name: str | None = None) -> None:
    """``value`` must be one of ``choices`` (a verdict, role, status, stance);
    ``name`` is what the message calls it (the field's last part by default)."""
    if value not in choices:
        name = name or field.rsplit(".", 1)[-1]
        raise DomainError(field, f"{name} must be one of {', '.join(choices)}")


def check_verdict(verdict, field: str = "verdict") -> None:
    check_choice(field, verdict, VERDICTS, "verdict")


def require_sources(verdict: str, citation_count: int, field: str,
                    message: str = "a published verified or denied claim needs a citation") -> None:
    """A published verified or denied claim keeps at least one citation.

    The caller passes the claim as it would be after its change (the new
    verdict, the citations left), names the input that would break it and
    may say what that change was.
    """
    if verdict in SOURCED_VERDICTS and citation_count < 1:
        raise DomainError(field, message)


# A claim's summary is ClaimReview's claimReviewed, which search engines
# show whole only when it is short.
CLAIM_SUMMARY_MAX = 75


def checked_summary(value, field: str = "summary") -> str:
    """A claim summary: plain text, spacing normalised, at most
    CLAIM_SUMMARY_MAX characters; empty for none."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DomainError(field, "the claim summary must be text")
    text = normalize_text(value)
    if len(text) > CLAIM_SUMMARY_MAX:
        raise DomainError(field, f"the claim summary is {len(text)} characters; at most "
                                 f"{CLAIM_SUMMARY_MAX} (it is what search engines show)")
    return text


def check_citation_count(count: int, field: str = "citations") -> None:
    """A claim holds at most MAX_CITATIONS citations; ``count`` is how many
    it would hold after the change."""
    if count > MAX_CITATIONS:
        raise DomainError(field, f"a claim has at most {MAX_CITATIONS} citations")


def check_self_assignment(current: int | None, wanted: int | None, actor_id: int) -> None:
    """Without the editor's say, work moves only to or from oneself: take
    what is unassigned (or already one's own), give back one's own."""
    taking = wanted == actor_id and current in (None, actor_id)
    giving_back = wanted is None and current == actor_id
    if not (taking or giving_back):
        raise NotAllowed("assignee_id", "a factchecker may only assign to themselves what is "
                                        "unassigned, or unassign what is theirs; ask an editor")


def check_two_person(enabled: bool, claim: dict, actor) -> None:
    """The two-person rule: whoever publishes a claim (or approves its
    revision) is not the person who last changed what it says. Writes by the
    system itself (demo data, restoring an export) are nobody's."""
    if enabled and actor.id is not None and claim.get("last_edited_by") == actor.id:
        raise NotAllowed("action", "you made the last change to this claim; another editor "
                                   "must approve it (two-person rule)")


def checked_citation(citation: dict, prefix: str = "") -> dict:
    """A citation with known fields only, text normalised, http(s) URLs and a
    stance (``supports`` by default). ``prefix`` ("citations.0.") places the
    field names of errors inside a larger input."""
    unknown = set(citation) - set(CITATION_FIELDS)
    if unknown:
        raise DomainError(f"{prefix}{sorted(unknown)[0]}", "unknown citation field")
    out = {k: normalize_text(v) if isinstance(v, str) else v for k, v in citation.items()}
    out["url"] = validate_http_url(out.get("url"), f"{prefix}url")
    if out.get("archive_url"):
        out["archive_url"] = validate_http_url(out["archive_url"], f"{prefix}archive_url")
    stance = out.setdefault("stance", "supports")
    check_choice(f"{prefix}stance", stance, STANCES)
    return out
