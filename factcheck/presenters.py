"""Shape stored rows for display: passage text cut into highlighted pieces."""


def passage_segments(text: str, claims: list[dict]) -> list[dict]:
    """Split a passage's text at claim boundaries.

    Each segment is {"text", "claims"} where "claims" lists the claims that
    cover it, innermost (shortest) first, so overlapping claims still show.
    """
    anchored = [c for c in claims if c["anchor_state"] == "anchored"]
    cuts = {0, len(text)}
    for claim in anchored:
        cuts.update((claim["start_offset"], claim["end_offset"]))
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    segments = []
    for start, end in zip(points, points[1:]):
        covering = [c for c in anchored if c["start_offset"] <= start and end <= c["end_offset"]]
        covering.sort(key=lambda c: c["end_offset"] - c["start_offset"])
        segments.append({"text": text[start:end], "claims": covering})
    return segments
