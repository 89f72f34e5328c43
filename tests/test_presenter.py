"""passage_segments: the passage cut at claim boundaries, each piece with the
claims covering it, innermost first; in one sweep, not segments × claims.
passage_marks: those segments as nested marks, one claim per mark, so that
overlapping claims each keep their whole extent."""

import random

import pytest

from factcheck.presenters import passage_marks, passage_segments


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


# -- passage_marks ----------------------------------------------------------

def html(text, claims):
    """The marks as the template draws them, with ids only."""
    out = []
    for token in passage_marks(passage_segments(text, claims)):
        if "open" in token:
            out.append(f"<{token['open']['id']}{'' if token['first'] else '+'}>")
        elif "close" in token:
            out.append("</>")
        else:
            out.append(token["text"])
    return "".join(out)


def coverage(text, claims):
    """For each claim id, the offsets inside its marks; for each offset, the
    claim ids of the marks around it (outermost first); and each mark's depth
    checked against the marks actually around it."""
    by_claim, at, stack, position = {}, {}, [], 0
    for token in passage_marks(passage_segments(text, claims)):
        if "open" in token:
            assert token["depth"] == len(stack)
            stack.append(token["open"]["id"])
        elif "close" in token:
            stack.pop()
        else:
            for offset in range(position, position + len(token["text"])):
                at[offset] = list(stack)
                for claim_id in stack:
                    by_claim.setdefault(claim_id, set()).add(offset)
            position += len(token["text"])
    assert stack == [] and position == len(text)
    return by_claim, at


def test_crossing_claims_each_keep_their_whole_span():
    text = "0123456789abcdefghijABCDEFGHIJ tail"
    a, b = claim("A", 0, 20), claim("B", 10, 30)
    # A wraps 0..20; B opens inside it at 10, closes with it at 20 and goes on.
    assert html(text, [a, b]) == "<A>0123456789<B>abcdefghij</></><B+>ABCDEFGHIJ</> tail"
    by_claim, at = coverage(text, [a, b])
    assert by_claim == {"A": set(range(0, 20)), "B": set(range(10, 30))}
    assert {tuple(at[i]) for i in range(0, 10)} == {("A",)}
    assert {tuple(at[i]) for i in range(10, 20)} == {("A", "B")}
    assert {tuple(at[i]) for i in range(20, 30)} == {("B",)}
    # The order given does not matter.
    assert html(text, [b, a]) == html(text, [a, b])


def test_a_claim_inside_another_is_a_mark_inside_its_mark():
    text = "The mayor said it creates 4,000 jobs."
    outer, inner = claim(1, 0, 37), claim(2, 4, 14)
    assert html(text, [inner, outer]) == "<1>The <2>mayor said</> it creates 4,000 jobs.</>"


def test_three_way_overlap_and_equal_spans():
    text = "one two three four five six"
    claims = [claim(1, 0, 13), claim(2, 4, 18), claim(3, 8, 27), claim(4, 8, 27)]
    assert html(text, claims) == (
        "<1>one <2>two <3><4>three</></></></><2+><3+><4+> four</></></><3+><4+> five six</></>")
    by_claim, at = coverage(text, claims)
    for c in claims:
        assert by_claim[c["id"]] == set(range(c["start_offset"], c["end_offset"]))
    assert at[text.index("three")] == [1, 2, 3, 4]
    assert at[text.index("four")] == [2, 3, 4]


@pytest.mark.parametrize("seed", range(200))
def test_every_claim_is_marked_exactly_on_its_span(seed):
    rng = random.Random(seed)
    length = rng.randint(0, 40)
    text = "".join(rng.choice("ab 東😀") for _ in range(length))
    claims = random_claims(rng, length, rng.randint(0, 12))
    for n, c in enumerate(claims):
        c["id"] = n

    by_claim, at = coverage(text, claims)

    for segment_claims, offsets in _segments_by_offset(text, claims):
        for offset in offsets:
            assert sorted(at[offset]) == sorted(segment_claims)
    for c in claims:
        span = set(range(max(c["start_offset"], 0), min(c["end_offset"], length)))
        covers = c["anchor_state"] == "anchored" and c["start_offset"] < c["end_offset"]
        assert by_claim.get(c["id"], set()) == (span if covers and span else set())
    # One first mark per marked claim: its one tab stop.
    firsts = [t["open"]["id"] for t in passage_marks(passage_segments(text, claims))
              if "open" in t and t["first"]]
    assert sorted(firsts) == sorted(by_claim)


def _segments_by_offset(text, claims):
    position = 0
    for segment in segments_by_scanning(text, claims):
        yield [c["id"] for c in segment["claims"]], range(position, position + len(segment["text"]))
        position += len(segment["text"])
