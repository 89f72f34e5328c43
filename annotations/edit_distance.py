"""Edit distance between two strings, for anchoring (annotations.quote_finding;
extension/anchoring.js has its twin, with the same results)."""


def edit_distance(a: str, b: str, limit: int | None = None, transpositions: bool = False) -> int:
    """Levenshtein distance (optimal string alignment with ``transpositions``),
    exiting early above ``limit`` (returns limit + 1)."""
    if limit is None:
        limit = max(len(a), len(b))
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before = [0] * (len(b) + 1)
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        row_min = i
        ai = a[i - 1]
        for j in range(1, len(b) + 1):
            value = min(previous[j - 1] + (ai != b[j - 1]), previous[j] + 1, current[j - 1] + 1)
            if transpositions and i > 1 and j > 1 and ai == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before[j - 2] + 1)
            current[j] = value
            if value < row_min:
                row_min = value
        if row_min > limit:
            return limit + 1
        before, previous = previous, current
    return previous[len(b)]


def similarity(expected: str, actual: str) -> float:
    distance = edit_distance(expected, actual, len(expected))
    return max(0.0, 1 - distance / len(expected))
