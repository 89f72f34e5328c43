"""passage_segments: the passage cut at claim boundaries, each piece with the
claims covering it, innermost first; in one sweep, not segments × claims."""

import random

import pytest

from factcheck.presenters import passage_segments


def segments_by_scanning(text: str, claims: list[dict]) -> list[dict]:
    """The implementation before the sweep, kept as the oracle: every segment
    scans every claim."""
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


def claim(claim_id, start, end, state="anchored"):
    return {"id": claim_id, "start_offset": start, "end_offset": end, "anchor_state": state}


def random_claims(rng: random.Random, length: int, count: int) -> list[dict]:
    claims = []
    for claim_id in range(count):
        start = rng.randint(-2, length + 2)
        end = start + rng.choice([0, 1, 2, rng.randint(0, length + 3)])
        if rng.random() < 0.05:
            end = start - rng.randint(1, 3)  # a reversed span never covers anything
        if rng.random() < 0.2 and claims:  # same span as another claim: ties by length
            other = rng.choice(claims)
            start, end = other["start_offset"], other["end_offset"]
        claims.append(claim(claim_id, start, end,
                            rng.choice(["anchored"] * 5 + ["orphaned"])))
    return claims


def ids(segments):
    return [(s["text"], [c["id"] for c in s["claims"]]) for s in segments]


@pytest.mark.parametrize("seed", range(300))
def test_same_segments_and_claims_as_the_scan(seed):
    rng = random.Random(seed)
    length = rng.randint(0, 40)
    text = "".join(rng.choice("ab 東😀") for _ in range(length))
    claims = random_claims(rng, length, rng.randint(0, 25))

    assert ids(passage_segments(text, claims)) == ids(segments_by_scanning(text, claims))


def test_nested_and_overlapping_claims_innermost_first():
    text = "The mayor said it creates 4,000 jobs."
    outer, inner, overlap = claim(1, 0, 37), claim(2, 4, 14), claim(3, 10, 20)
    segments = passage_segments(text, [outer, inner, overlap])
    assert ids(segments) == [
        ("The ", [1]), ("mayor ", [2, 1]), ("said", [2, 3, 1]), (" it cr", [3, 1]),
        ("eates 4,000 jobs.", [1])]


class CountingClaim(dict):
    """A claim that counts how often its fields are read."""
    reads = 0

    def __getitem__(self, key):
        CountingClaim.reads += 1
        return super().__getitem__(key)


def test_work_grows_with_claims_not_claims_times_segments():
    # 1,000 claims on distinct words of one passage: 2,000 segments. The
    # scan read each claim's offsets for every segment (millions of reads);
    # the sweep reads each claim a fixed number of times.
    words = [f"w{n}" for n in range(1000)]
    text = " ".join(words)
    claims, position = [], 0
    for n, word in enumerate(words):
        claims.append(CountingClaim(claim(n, position, position + len(word))))
        position += len(word) + 1
    CountingClaim.reads = 0

    segments = passage_segments(text, claims)

    assert len(segments) == 1999
    assert CountingClaim.reads <= 5 * len(claims)
