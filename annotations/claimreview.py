"""schema.org ClaimReview for published claims.

Rating scale (documented in the README and in each item): worstRating 1,
bestRating 3; denied = 1 ("False"), unverified = 2 ("Unverified"),
verified = 3 ("Verified"). The newsroom's own label, when set, is the
alternateName shown by search engines.

A ClaimReview is made from a claim's publication (what readers see, see
store.publications), never from the desk's working copy: datePublished is
the day it was first published, dateModified the day of its last approved
revision (or a later correction). claimReviewed is the desk's claim
summary, the quote when there is none. Only a claim readers see on its page has one (``has_claim_review``):
a retracted claim's review is withdrawn, and one a re-import orphaned is
left out until it is re-attached and the re-attachment approved.
"""

import json

RATINGS = {"denied": (1, "False"), "unverified": (2, "Unverified"), "verified": (3, "Verified")}
WORST_RATING, BEST_RATING = 1, 3
CLAIM_REVIEWED_MAX = 75


def review_path(claim_id: int) -> str:
    """A published claim's public review page (the UI's claim_review_page),
    relative to the service's base URL: ClaimReview's url is the base, "/"
    and this; the readers' answer gives it as is, for the extension to
    resolve against the service address it knows."""
    return f"claims/{claim_id}"


def has_claim_review(claim: dict) -> bool:
    """A public claim (store.public_claim) search engines may be told about:
    published, not retracted, still on its article's page, and checked here
    (a claim linked to an earlier fact-check is one more appearance in that
    one's review, annotations.links)."""
    return (claim["status"] == "published" and claim["anchor_state"] == "anchored"
            and not claim.get("linked_to"))


def shorten(text: str, limit: int = CLAIM_REVIEWED_MAX) -> str:
    """At most ``limit`` characters, cut at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:—–-") + "…"


def claim_reviewed(claim: dict) -> str:
    """What the review says was claimed: the desk's summary when it wrote
    one, else the quoted span, shortened."""
    return claim.get("summary") or shorten(claim["exact"])


def date_modified(claim: dict) -> str:
    """The day readers last saw the review change: its last approved
    revision, or a correction recorded after it."""
    return max(claim["published_at"], claim.get("corrected_at") or "")[:10]


def _creative_work(article: dict) -> dict:
    work = {"@type": "CreativeWork", "url": article["url"]}
    if article.get("title"):
        work["headline"] = article["title"]
    return work


def _item_reviewed(article: dict, appearances=()) -> dict:
    """The claim as it appeared: in the article (its first appearance), and
    in every article whose published claim is linked to it (its other
    ``appearances``), said by the article's author (else its publisher), on
    the article's date, when the article's metadata give them."""
    work = _creative_work(article)
    item = {"@type": "Claim", "appearance": [work, *map(_creative_work, appearances)],
            "firstAppearance": work}
    if article.get("author"):
        item["author"] = {"@type": "Person", "name": article["author"]}
    elif article.get("publisher"):
        item["author"] = {"@type": "Organization", "name": article["publisher"]}
    if article.get("published_date"):
        item["datePublished"] = article["published_date"]
    return item


def claim_review(claim: dict, article: dict, review_url: str, organisation: dict,
                 appearances=()) -> dict:
    """One ClaimReview item of a published claim as readers see it (a row of
    store.publications.PUBLIC_CLAIMS). ``review_url`` is the claim's own
    review page, absolute (see review_path); ``appearances`` the articles
    of the claims linked to it (store.links.linked_appearances)."""
    value, default_name = RATINGS[claim["verdict"]]
    name = claim["label"] or default_name
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review_url,
        "claimReviewed": claim_reviewed(claim),
        "itemReviewed": _item_reviewed(article, appearances),
        "author": {"@type": "Organization", **organisation},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "name": name,
            "alternateName": name,
        },
        "datePublished": (claim.get("first_published_at") or claim["published_at"])[:10],
        "dateModified": date_modified(claim),
    }


def script_snippet(item: dict) -> str:
    """An embeddable <script type="application/ld+json"> element.

    Every "<" is written as the JSON escape \\u003c, so a quote containing
    "</script>" cannot end the element early, nor "<!--<script>" keep it
    open past its end tag; JSON parsers read "\\u003c" as "<".
    """
    data = json.dumps(item, ensure_ascii=False, indent=2).replace("<", "\\u003c")
    return f'<script type="application/ld+json">\n{data}\n</script>'
