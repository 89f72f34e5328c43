"""W3C Web Annotation export of claims (see the package docstring)."""

from ..anchoring import ArticleText
from ..models import ARTICLE_FIELDS
from ..store import Store
from .vocabulary import CITATION_EXTRAS, CONTEXT, PAGE_SIZE


def _publication_terms(claim: dict) -> dict:
    """What readers are told about a publication beyond its body: dates, the
    correction log (oldest first) and the retraction."""
    terms = {"factdesk:firstPublished": claim["first_published_at"],
             "factdesk:lastApproved": claim["published_at"]}
    if claim["corrections"]:
        terms["factdesk:corrections"] = [
            {"factdesk:date": c["at"], "factdesk:note": c["note"],
             "factdesk:previousVerdict": c["previous_verdict"], "factdesk:verdict": c["verdict"],
             "factdesk:previousLabel": c["previous_label"], "factdesk:label": c["label"]}
            for c in claim["corrections"]]
    if claim["retracted_at"]:
        terms["factdesk:retracted"] = claim["retracted_at"]
        terms["factdesk:retractionReason"] = claim["retraction_reason"]
    return terms


def _annotation(claim: dict, article: dict, passage_starts: dict, base_url: str,
                usernames: dict, published: bool = False) -> dict:
    body = [{"type": "TextualBody", "purpose": "assessing", "value": claim["verdict"],
             "format": "text/plain"}]
    if claim["label"]:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": claim["label"],
                     "format": "text/plain"})
    if claim["rationale"]:
        body.append({"type": "TextualBody", "purpose": "describing", "value": claim["rationale"],
                     "format": "text/html"})
    for citation in claim["citations"]:
        resource = {"id": citation["url"], "type": "Text", "purpose": "linking",
                    "factdesk:stance": citation["stance"]}
        for key in CITATION_EXTRAS:
            if citation.get(key):
                resource[f"factdesk:{key}"] = citation[key]
        body.append(resource)
    selectors = [{"type": "TextQuoteSelector", "exact": claim["exact"],
                  "prefix": claim["prefix"], "suffix": claim["suffix"]}]
    if claim["anchor_state"] == "anchored":
        start = passage_starts[claim["passage_id"]] + claim["start_offset"]
        selectors.append({"type": "TextPositionSelector", "start": start,
                          "end": start + claim["end_offset"] - claim["start_offset"]})
    annotation = {
        "id": f"{base_url}/api/v1/annotations/{claim['id']}",
        "type": "Annotation",
        "motivation": "assessing",
        "created": claim["created_at"],
        "modified": claim["updated_at"],
        "body": body,
        "target": {"source": article["url"], "selector": selectors},
        "factdesk:status": claim["status"],
        "factdesk:anchorState": claim["anchor_state"],
    }
    if published:
        annotation.update(_publication_terms(claim))
    creator = usernames.get(claim["created_by"])
    if creator:
        annotation["creator"] = {"type": "Person", "nickname": creator}
    return annotation


def export_collection(store: Store, base_url: str, published_only: bool = False,
                      article_id: int | None = None) -> dict:
    """The whole export as one AnnotationCollection with embedded pages: the
    working copies, or (``published_only``) the publications."""
    usernames = {u["id"]: u["username"] for u in store.list_users()}
    articles, annotations = [], []
    for article, passages, claims in store.annotated_articles(published_only, article_id):
        text = ArticleText([p["text"] for p in passages])
        passage_starts = {p["id"]: start for p, start in zip(passages, text.starts)}
        articles.append({
            "url": article["url"], **{key: article[key] for key in ARTICLE_FIELDS},
            "passages": [{"kind": p["kind"], "text": p["text"]} for p in passages],
        })
        annotations.extend(_annotation(c, article, passage_starts, base_url, usernames,
                                       published_only)
                           for c in claims)
    collection_id = f"{base_url}/api/v1/annotations"
    pages = []
    for number, first in enumerate(range(0, max(len(annotations), 1), PAGE_SIZE)):
        pages.append({"id": f"{collection_id}?page={number}", "type": "AnnotationPage",
                      "partOf": collection_id, "startIndex": first,
                      "items": annotations[first:first + PAGE_SIZE]})
    for page, following in zip(pages, pages[1:]):
        page["next"] = following
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": "Fact desk claims",
        "total": len(annotations),
        "first": pages[0],
        "factdesk:articles": articles,
    }


