"""Conformance with the W3C Web Annotation Data Model (Recommendation of
23 February 2017, https://www.w3.org/TR/annotation-model/) and the read
side of the Web Annotation Protocol (https://www.w3.org/TR/annotation-protocol/).

``model_problems`` checks a document against the model's MUSTs, each
written out from the specification's text with its section, and returns
the ones broken. The checker is tested on documents that break each rule
(so a silent checker cannot pass), then run over everything the service
serves: the whole export, the container, each page, each annotation at its
id, and every item embedded in a page.
"""

import json
import re
from urllib.parse import urlsplit

import pytest

from annotations.store import Actor

ANNO = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = f'application/ld+json; profile="{ANNO}"'
# §3.3.5: the motivations the model defines (a body's purpose is one too).
MOTIVATIONS = {"assessing", "bookmarking", "classifying", "commenting", "describing", "editing",
               "highlighting", "identifying", "linking", "moderating", "questioning",
               "replying", "tagging"}
# §3.3.1: "MUST be expressed in the xsd:dateTime format, which MUST use the
# UTC timezone expressed as 'Z'".
UTC_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def _is_iri(value) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path)


def _many(value) -> list:
    return value if isinstance(value, list) else [value]


def _types(node) -> list:
    return _many(node.get("type", [])) if isinstance(node, dict) else []


def _context(node: dict, where: str, problems: list) -> None:
    # §3.1 / §5.1 / §5.2: "MUST have 1 or more @context values and
    # http://www.w3.org/ns/anno.jsonld MUST be one of them. If there is only
    # one value, then it MUST be provided as a string."
    context = node.get("@context")
    if context is None or ANNO not in _many(context):
        problems.append(f"{where}: @context must include {ANNO}")
    elif isinstance(context, list) and len(context) == 1:
        problems.append(f"{where}: a single @context value must be a string")


def _times(node: dict, where: str, problems: list) -> None:
    for key in ("created", "modified", "generated"):
        if key in node and not (isinstance(node[key], str) and UTC_DATETIME.match(node[key])):
            problems.append(f"{where}.{key}: must be an xsd:dateTime in UTC with 'Z'")


def _selector(selector, where: str, problems: list) -> None:
    if not isinstance(selector, dict):
        return  # a selector given by IRI
    kinds = _types(selector)
    if "TextQuoteSelector" in kinds:
        # §4.2.4: "MUST have exactly 1 exact property"; prefix and suffix at most one.
        if not isinstance(selector.get("exact"), str):
            problems.append(f"{where}: a TextQuoteSelector must have exactly 1 exact")
        for key in ("prefix", "suffix"):
            if key in selector and not isinstance(selector[key], str):
                problems.append(f"{where}.{key}: at most 1 string")
    if "TextPositionSelector" in kinds:
        # §4.2.5: "MUST have exactly 1 start property ... non-negative integer"
        # and the same of end.
        for key in ("start", "end"):
            value = selector.get(key)
            if not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
                problems.append(f"{where}.{key}: must be exactly 1 non-negative integer")
    if not kinds:
        problems.append(f"{where}: a selector must say its type")


def _resource(node, where: str, problems: list, is_body: bool) -> None:
    """A body or target: an IRI, a TextualBody, a SpecificResource or an
    External Web Resource."""
    if isinstance(node, str):
        if not _is_iri(node):
            problems.append(f"{where}: must be an IRI")
        return
    if not isinstance(node, dict):
        problems.append(f"{where}: must be an IRI or an object")
        return
    kinds = _types(node)
    if "TextualBody" in kinds or "value" in node:
        # §3.2.4: "The Textual Body MUST have exactly 1 value property."
        if not isinstance(node.get("value"), str):
            problems.append(f"{where}: a TextualBody must have exactly 1 value")
    elif "SpecificResource" in kinds or "source" in node:
        # §4: "A Specific Resource MUST have exactly 1 source relationship."
        source = node.get("source")
        if isinstance(source, list) or source is None:
            problems.append(f"{where}: a SpecificResource must have exactly 1 source")
        elif isinstance(source, dict):
            if not _is_iri(source.get("id")):
                problems.append(f"{where}.source: must have exactly 1 IRI as its id")
        elif not _is_iri(source):
            problems.append(f"{where}.source: must be an IRI")
        for n, selector in enumerate(_many(node.get("selector", []))):
            _selector(selector, f"{where}.selector.{n}", problems)
    else:
        # §3.2.1: an External Web Resource "MUST have exactly 1 IRI". §3.3.5:
        # the purpose of including a resource is given on a Specific
        # Resource (or a Textual Body): an External Web Resource has none.
        if not _is_iri(node.get("id")):
            problems.append(f"{where}: an External Web Resource must have exactly 1 IRI")
        if "purpose" in node:
            problems.append(f"{where}: an External Web Resource has no purpose"
                            " (make it the source of a SpecificResource)")
    for purpose in _many(node.get("purpose", [])):
        if is_body and purpose not in MOTIVATIONS:
            problems.append(f"{where}.purpose: {purpose!r} is not a Motivation")


def annotation_problems(node, where: str = "annotation", top: bool = True) -> list[str]:
    problems = []
    if not isinstance(node, dict):
        return [f"{where}: must be an object"]
    if top or "@context" in node:
        _context(node, where, problems)
    # §3.1: "An Annotation MUST have exactly 1 IRI that identifies it."
    if not _is_iri(node.get("id")):
        problems.append(f"{where}.id: must be exactly 1 IRI")
    # §3.1: "MUST have 1 or more types, and the Annotation class MUST be one of them."
    if "Annotation" not in _types(node):
        problems.append(f"{where}.type: must include Annotation")
    # §3.1: "An Annotation MUST have 1 or more Targets."
    targets = _many(node.get("target", []))
    if not targets:
        problems.append(f"{where}: must have 1 or more targets")
    for n, target in enumerate(targets):
        _resource(target, f"{where}.target.{n}", problems, is_body=False)
    for n, body in enumerate(_many(node.get("body", []))):
        _resource(body, f"{where}.body.{n}", problems, is_body=True)
    for motivation in _many(node.get("motivation", [])):
        if motivation not in MOTIVATIONS:
            problems.append(f"{where}.motivation: {motivation!r} is not a Motivation")
    for n, creator in enumerate(_many(node.get("creator", []))):
        # §3.3.2: an Agent "MAY have exactly 1 nickname".
        if isinstance(creator, dict) and isinstance(creator.get("nickname"), list):
            problems.append(f"{where}.creator.{n}.nickname: at most 1")
    _times(node, where, problems)
    return problems


def page_problems(page, where: str = "page", top: bool = True) -> list[str]:
    problems = []
    if not isinstance(page, dict):
        return [f"{where}: must be an object"]
    if top:
        _context(page, where, problems)
    # §5.2: "The Page MUST have an IRI as its id", "MUST have the AnnotationPage type".
    if not _is_iri(page.get("id")):
        problems.append(f"{where}.id: must be an IRI")
    if "AnnotationPage" not in _types(page):
        problems.append(f"{where}.type: must include AnnotationPage")
    # §5.2 partOf: the Collection the page is part of, "MUST be the IRI of the
    # Collection" when referenced, or its description with that id (and its
    # total, which "MUST be a non-negative integer").
    part_of = page.get("partOf")
    if part_of is not None:
        if isinstance(part_of, dict):
            if not _is_iri(part_of.get("id")):
                problems.append(f"{where}.partOf: must give the Collection's IRI as its id")
            total = part_of.get("total")
            if total is not None and not (isinstance(total, int) and total >= 0):
                problems.append(f"{where}.partOf.total: must be a non-negative integer")
        elif not _is_iri(part_of):
            problems.append(f"{where}.partOf: must be the Collection's IRI or description")
    # §5.2: "The Page MUST have exactly 1 items property", a list of Annotations.
    items = page.get("items")
    if not isinstance(items, list) or not items:
        problems.append(f"{where}.items: must be a list of 1 or more Annotations")
        items = []
    for n, item in enumerate(items):
        problems.extend(annotation_problems(item, f"{where}.items.{n}", top=False))
    # §5.2: next and prev "MUST be the IRI" of the following or preceding page.
    for key in ("next", "prev"):
        if key in page and not _is_iri(page[key]):
            problems.append(f"{where}.{key}: must be an IRI, not an embedded page")
    start = page.get("startIndex")
    if start is not None and not (isinstance(start, int) and start >= 0):
        problems.append(f"{where}.startIndex: must be a non-negative integer")
    return problems


def collection_problems(collection, where: str = "collection") -> list[str]:
    problems = []
    _context(collection, where, problems)
    # §5.1: "MUST have exactly 1 IRI"; "MUST have the AnnotationCollection type".
    if not _is_iri(collection.get("id")):
        problems.append(f"{where}.id: must be an IRI")
    if "AnnotationCollection" not in _types(collection):
        problems.append(f"{where}.type: must include AnnotationCollection")
    total = collection.get("total")
    if total is not None and not (isinstance(total, int) and total >= 0):
        problems.append(f"{where}.total: must be a non-negative integer")
    # §5.1: "A Collection that has Annotations MUST have exactly 1 first page",
    # embedded or by IRI; the last page is referenced by its IRI.
    first = collection.get("first")
    if total and first is None:
        problems.append(f"{where}.first: a collection with annotations must have a first page")
    if isinstance(first, dict):
        problems.extend(page_problems(first, f"{where}.first", top=False))
    elif first is not None and not _is_iri(first):
        problems.append(f"{where}.first: must be a page or its IRI")
    if "last" in collection and not _is_iri(collection["last"]):
        problems.append(f"{where}.last: must be an IRI")
    return problems


# -- the checker catches what it must ---------------------------------------------------

GOOD = {"@context": ANNO, "id": "https://desk.example.org/anno/1", "type": "Annotation",
        "motivation": "assessing", "created": "2024-03-01T10:00:00Z",
        "body": [{"type": "TextualBody", "purpose": "assessing", "value": "verified"},
                 {"type": "SpecificResource", "purpose": "linking",
                  "source": {"id": "https://ons.example.gov/lms", "type": "Text"}}],
        "target": {"source": "https://news.example.com/a",
                   "selector": [{"type": "TextQuoteSelector", "exact": "fell"},
                                {"type": "TextPositionSelector", "start": 3, "end": 7}]}}


@pytest.mark.parametrize("document, rule", [
    ({**GOOD, "@context": "http://example.org/other"}, "@context must include"),
    ({**GOOD, "@context": [ANNO]}, "single @context value must be a string"),
    ({**GOOD, "id": "not an iri"}, "id: must be exactly 1 IRI"),
    ({**GOOD, "type": "Note"}, "type: must include Annotation"),
    ({k: v for k, v in GOOD.items() if k != "target"}, "must have 1 or more targets"),
    ({**GOOD, "created": "2024-03-01T10:00:00+00:00"}, "xsd:dateTime in UTC with 'Z'"),
    ({**GOOD, "motivation": "fact-checking"}, "is not a Motivation"),
    ({**GOOD, "body": [{"id": "https://ons.example.gov/lms", "type": "Text",
                        "purpose": "linking"}]}, "External Web Resource has no purpose"),
    ({**GOOD, "body": [{"type": "SpecificResource", "purpose": "linking"}]},
     "must have exactly 1 source"),
    ({**GOOD, "body": [{"type": "TextualBody", "purpose": "assessing"}]},
     "must have exactly 1 value"),
    ({**GOOD, "target": {"source": "https://news.example.com/a",
                         "selector": {"type": "TextPositionSelector", "start": -1, "end": 2}}},
     "start: must be exactly 1 non-negative integer"),
    ({**GOOD, "target": {"source": "https://news.example.com/a",
                         "selector": {"type": "TextQuoteSelector"}}},
     "must have exactly 1 exact"),
])
def test_the_checker_finds_each_broken_rule(document, rule):
    assert annotation_problems(GOOD) == []
    problems = annotation_problems(document)
    assert any(rule in problem for problem in problems), problems


def test_the_checker_finds_broken_pages_and_collections():
    page = {"@context": ANNO, "id": "https://desk.example.org/anno?page=0",
            "type": "AnnotationPage", "items": [{**GOOD, "@context": ANNO}],
            "partOf": {"id": "https://desk.example.org/anno", "total": 1}}
    assert page_problems(page) == []
    assert any("partOf" in p for p in page_problems({**page, "partOf": {"total": 1}}))
    assert any("next: must be an IRI" in p for p in page_problems({**page, "next": page}))
    assert any("items" in p for p in page_problems({**page, "items": []}))
    collection = {"@context": ANNO, "id": "https://desk.example.org/anno",
                  "type": "AnnotationCollection", "total": 1, "first": page}
    assert collection_problems(collection) == []
    assert any("first" in p for p in collection_problems(
        {k: v for k, v in collection.items() if k != "first"}))


# -- what the service serves ---------------------------------------------------------------

@pytest.fixture
def desk(factories, users):
    """Claims of every kind: published with two sources and a summary, a
    draft, one corrected after publication, one retracted."""
    fc, ed = users["factchecker"], users["editor"]
    article = factories.article(
        "https://news.example.com/budget",
        "Budget cuts announced\n\nThe minister said unemployment fell by 3% last year.\n\n"
        "Critics said the figure was misleading, and the figure was old.\n\n"
        "A spokesperson declined to comment.\n", title="Budget cuts", author="Jane Roe",
        published_date="2024-03-01")
    sources = ({"url": "https://ons.example.gov/lms", "title": "ONS", "stance": "supports"},
               {"url": "https://other.example.org/x", "stance": "context"})
    published = factories.claim(article, "unemployment fell by 3%", "verified", fc, publisher=ed,
                                label="Mostly true", rationale="<p>Per the ONS.</p>",
                                citations=sources, summary="Unemployment fell 3% last year")
    draft = factories.claim(article, "Critics said", "unverified", fc)
    corrected = factories.claim(article, "the figure was old", "denied", fc, publisher=ed,
                                citations=sources[:1])
    store = factories.store
    store.update_claim(corrected["id"], {"verdict": "verified"}, Actor(fc["id"], fc["username"]),
                       None)
    store.transition_claim(corrected["id"], "submit", Actor(fc["id"], fc["username"]))
    store.transition_claim(corrected["id"], "approve", Actor(ed["id"], ed["username"]),
                           correction_note="A newer release")
    retracted = factories.claim(article, "declined to comment", "unverified", fc, publisher=ed)
    store.transition_claim(retracted["id"], "retract", Actor(ed["id"], ed["username"]),
                           note="Wrong article")
    return {"published": published["id"], "draft": draft["id"],
            "corrected": corrected["id"], "retracted": retracted["id"]}


def _json(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.data)


@pytest.mark.parametrize("published", [0, 1])
def test_the_whole_export_meets_the_model(client, auth, desk, published, monkeypatch):
    from annotations.webannotation import exporting
    monkeypatch.setattr(exporting, "PAGE_SIZE", 2)  # several pages
    document = _json(client.get("/api/v1/exports/annotations.jsonld", headers=auth["editor"],
                                query_string={"published": published}))

    assert collection_problems(document) == []
    pages = [document["first"], *document.get("factdesk:pages", [])]
    for n, page in enumerate(pages):
        assert page_problems(page, f"page {n}", top=False) == []
        for item in page["items"]:
            # An item taken out of its page is an annotation on its own.
            assert annotation_problems(item) == []
    assert sum(len(p["items"]) for p in pages) == document["total"] == (3 if published else 4)


def test_the_container_and_its_pages_follow_the_protocol(client, auth, desk, monkeypatch):
    from annotations.webannotation import exporting
    monkeypatch.setattr(exporting, "PAGE_SIZE", 3)
    response = client.get("/api/v1/annotations", headers=auth["editor"])
    container = _json(response)

    # Protocol §4: the media type with the model's profile, the container's
    # LDP type and constraints, an ETag.
    assert response.headers["Content-Type"] == MEDIA_TYPE
    assert '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"' in response.headers["Link"]
    assert 'rel="http://www.w3.org/ns/ldp#constrainedBy"' in response.headers["Link"]
    assert response.headers["ETag"]
    assert "GET" in response.headers["Allow"]
    assert collection_problems(container) == []
    assert set(container["type"]) == {"BasicContainer", "AnnotationCollection"}
    assert container["total"] == 4
    assert container["last"] == "http://localhost/api/v1/annotations?page=1"

    # Follow next from the first page; each page answers at its id.
    seen, page = [], container["first"]
    while True:
        fetched = client.get(page["id"], headers=auth["editor"])
        assert fetched.headers["Content-Type"] == MEDIA_TYPE and fetched.headers["ETag"]
        as_served = _json(fetched)
        assert page_problems(as_served) == []
        assert as_served["items"] == page["items"]
        assert as_served["partOf"]["id"] == container["id"]
        assert as_served["partOf"]["total"] == 4
        seen.extend(item["id"] for item in as_served["items"])
        if "next" not in as_served:
            break
        page = _json(client.get(as_served["next"], headers=auth["editor"]))
        assert page["prev"] == as_served["id"]
    assert as_served["id"] == container["last"]
    assert len(seen) == len(set(seen)) == 4

    # Revalidation: the same ETag answers 304 with no body.
    again = client.get("/api/v1/annotations", headers={
        **auth["editor"], "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    # A minimal container names its first page instead of embedding it.
    prefer = 'return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"'
    minimal = _json(client.get("/api/v1/annotations",
                               headers={**auth["editor"], "Prefer": prefer}))
    assert minimal["first"] == "http://localhost/api/v1/annotations?page=0"
    # Past the last page: a 404 naming the page.
    missing = client.get("/api/v1/annotations?page=2", headers=auth["editor"])
    assert missing.status_code == 404 and missing.get_json()["error"]["field"] == "page"


def test_each_published_annotation_is_dereferenceable_at_its_id(client, auth, desk):
    items = _json(client.get("/api/v1/exports/annotations.jsonld", headers=auth["editor"],
                             query_string={"published": 1}))["first"]["items"]
    for item in items:
        response = client.get(item["id"])  # public: no credentials
        annotation = _json(response)
        assert response.headers["Content-Type"] == MEDIA_TYPE
        assert response.headers["Link"] == '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
        assert response.headers["ETag"]
        assert annotation_problems(annotation) == []
        assert annotation == item
    head = client.head(items[0]["id"])
    assert head.status_code == 200 and head.headers["ETag"]


def test_an_unpublished_claim_is_not_dereferenceable(client, auth, desk):
    response = client.get(f"/api/v1/annotations/{desk['draft']}")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404
    assert client.get("/api/v1/annotations/999999").status_code == 404


def test_citations_are_specific_resources_with_their_source(client, desk):
    annotation = _json(client.get(f"/api/v1/annotations/{desk['published']}"))
    linking = [b for b in annotation["body"] if b.get("purpose") == "linking"]
    assert [(b["type"], b["source"]["id"], b["factdesk:stance"]) for b in linking] == [
        ("SpecificResource", "https://ons.example.gov/lms", "supports"),
        ("SpecificResource", "https://other.example.org/x", "context")]
    assert annotation["factdesk:claimSummary"] == "Unemployment fell 3% last year"
    assert UTC_DATETIME.match(annotation["created"]) and UTC_DATETIME.match(annotation["modified"])
