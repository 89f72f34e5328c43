"""Shape stored rows for display: passage text cut into highlighted pieces,
and the check that an article is small enough to show at all."""

from .errors import ApiError


def require_showable(store, article_id: int, settings) -> None:
    """An article's page, fragment and API answer list all its passages and
    claims. The import limits keep new articles within MAX_PASSAGES and
    MAX_CLAIMS_PER_ARTICLE, but one stored before the limits existed may hold
    millions: refused (409, naming the limit) instead of tying up a worker;
    an editor can still delete or re-import it."""
    store.article(article_id)  # 404 first for an unknown id
    size = store.article_size(article_id)
    for count, setting, what in ((size["passages"], "MAX_PASSAGES", "passages"),
                                 (size["claims"], "MAX_CLAIMS_PER_ARTICLE", "claims")):
        if count > settings[setting]:
            raise ApiError(409, f"this article has {count} {what}, more than one page may show "
                                f"({setting.lower()}: {settings[setting]}); an editor can "
                                "delete it or re-import it", "article_id", "too_large")

from bisect import bisect_left, bisect_right, insort


def passage_segments(text: str, claims: list[dict]) -> list[dict]:
    """Split a passage's text at claim boundaries.

    Each segment is {"text", "claims"} where "claims" lists the claims that
    cover it, innermost (shortest) first, so overlapping claims still show.

    One sweep over the cut points: each claim is placed by binary search at
    the first segment it covers and the first it no longer covers, and the
    claims covering the current segment are kept ordered by length, so the
    cost is O((segments + claims) log n) plus the size of the answer, not
    segments × claims (10,000 claims on one passage took 15 s that way).
    """
    anchored = [c for c in claims if c["anchor_state"] == "anchored"]
    spans = [(c["start_offset"], c["end_offset"]) for c in anchored]
    cuts = {0, len(text)}
    for span in spans:
        cuts.update(span)
    points = sorted(c for c in cuts if 0 <= c <= len(text))

    # Segment i runs from points[i] to points[i + 1]; a claim covers it when
    # it starts at or before points[i] and ends at or after points[i + 1].
    opens: dict[int, list] = {}
    closes: dict[int, list] = {}
    for index, (start, end) in enumerate(spans):
        first, stop = bisect_left(points, start), bisect_right(points, end) - 1
        if first < stop:
            # (length, index): shortest first, ties in the claims' own order.
            key = (end - start, index)
            opens.setdefault(first, []).append(key)
            closes.setdefault(stop, []).append(key)

    covering: list[tuple[int, int]] = []
    segments = []
    for i in range(len(points) - 1):
        for key in closes.get(i, ()):
            del covering[bisect_left(covering, key)]
        for key in opens.get(i, ()):
            insort(covering, key)
        segments.append({"text": text[points[i]:points[i + 1]],
                         "claims": [anchored[index] for _, index in covering]})
    return segments


def passage_marks(segments: list[dict]) -> list[dict]:
    """Turn ``passage_segments`` into nested marks, one per claim and stretch,
    so that overlapping claims each keep their whole extent on the page.

    Returns a flat list of tokens, in document order: {"text"},
    {"open": claim, "depth", "first"} and {"close": True}. Each segment's
    claims are nested outermost first (earliest start, then longest), so a
    claim inside another becomes a mark inside the other's mark. Where two
    claims cross (A = [0, 20), B = [10, 30)), B's mark is closed with A's at 20
    and reopened after it: B has two marks, the second with first=False, and
    every claim's marks together cover exactly its span. "depth" counts the
    marks around this one (its underline is drawn below theirs).
    """
    tokens: list[dict] = []
    stack: list[dict] = []
    opened: set[int] = set()
    for segment in segments:
        # sorted() is stable: claims with the same span keep the sweep's order
        # (the claims' own order), the same in every segment.
        covering = sorted(segment["claims"],
                          key=lambda c: (c["start_offset"], -c["end_offset"]))
        keep = 0
        while keep < min(len(stack), len(covering)) and stack[keep] is covering[keep]:
            keep += 1
        tokens.extend({"close": True} for _ in range(len(stack) - keep))
        del stack[keep:]
        for claim in covering[keep:]:
            tokens.append({"open": claim, "depth": len(stack), "first": id(claim) not in opened})
            opened.add(id(claim))
            stack.append(claim)
        tokens.append({"text": segment["text"]})
    tokens.extend({"close": True} for _ in stack)
    return tokens
