"""The vocabulary both directions share: the JSON-LD context, media type,
page size, times in the model's form and the citation fields carried as
"factdesk:" properties."""

import datetime

from ..models import CITATION_FIELDS

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
FACTDESK_NS = "https://factdesk.example.org/ns#"
CONTEXT = [ANNO_CONTEXT, {"factdesk": FACTDESK_NS}]
# The Web Annotation Protocol's media type for every document it serves.
MEDIA_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'
# Annotations a page holds, in the container and in a whole export.
PAGE_SIZE = 1000
MAX_IMPORT_ANNOTATIONS = 100_000
# Properties of a citation's source (the cited resource) and of the
# SpecificResource body naming it (why it is cited).
SOURCE_EXTRAS = tuple(k for k in CITATION_FIELDS if k not in ("url", "stance"))


def model_time(stored: str | None) -> str | None:
    """A stored UTC time ("…+00:00") as the model requires created and
    modified: an xsd:dateTime in UTC written with "Z"."""
    if not stored:
        return None
    moment = datetime.datetime.fromisoformat(stored).astimezone(datetime.timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")


def stored_time(value) -> str | None:
    """An xsd:dateTime with a time zone as stored (UTC, ISO 8601), or None
    when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds")
