"""Latency of the claim desk's list, GET /api/v1/claims, and of its
similar-claim suggestions, GET /api/v1/claims/similar, over 1M claims.

    .venv/bin/python bench/claims_search.py [--claims 1000000] [--requests 200]

Builds (once, kept in bench/out/) a database of 100,000 articles on 200
sites with 10 claims each, written with plain SQL (the FTS triggers of
m0016 and m0021 index every claim as it goes in); claims are sentences of a
20,000-word made-up vocabulary with Cyrillic and Chinese words and, for
a third of the words, the function words nearly every claim holds,
spread over two years and every verdict, state and assignee. Then times
each kind of request through the Flask app in-process (no network, so the
figures are the app's and the database's), and prints p50/p95 per kind.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.database import building
from annotations.lookup import key_hash
from annotations.store import Store, open_database
from annotations.store.claim_list import encode_cursor
from factcheck import create_app
from factcheck.auth import new_api_token

OUT = ROOT / "bench" / "out"
VERDICTS = ("verified", "denied", "unverified")
STATUSES = ("draft", "in_review", "changes_requested", "published")
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "zu", "pe", "gra", "str", "on",
             "el", "ar", "is", "um"]
FOREIGN = ["безработица", "бюджет", "выборы", "данные", "东京", "数据", "預算", "選挙", "家賃"]
# News prose is a third function words, which nearly every claim holds.
COMMON = ["the", "of", "and", "to", "in", "a", "said", "that", "for", "is", "on", "was"]


def sentence(rng: random.Random, words: list[str], length: int) -> str:
    return " ".join(rng.choice(COMMON) if rng.random() < 0.3 else rng.choice(words)
                    for _ in range(length))


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words) + FOREIGN


def build(path: Path, claims: int) -> None:
    if path.exists():
        return
    rng = random.Random(15)
    words = vocabulary(rng, 20_000)
    with building(path) as conn:
        start = time.perf_counter()
        users = [(i, f"checker{i}", "x", "factchecker", "2025-01-01T00:00:00Z")
                 for i in range(1, 41)]
        conn.executemany("INSERT INTO users (id, username, password_hash, role, created_at)"
                         " VALUES (?,?,?,?,?)", users)
        per_article, claim_id = 10, 0
        for first in range(1, claims // per_article + 1, 1000):
            rows_a, rows_p, rows_c, rows_pub = [], [], [], []
            for a in range(first, min(first + 1000, claims // per_article + 1)):
                url = f"https://site{a % 200}.example.org/{a}/story"
                key = url.split("://", 1)[1]
                rows_a.append((a, url, key, key_hash(key), f"Story {a}", "2025-01-01T00:00:00Z",
                               "2025-01-01T00:00:00Z"))
                for p in range(per_article):
                    claim_id += 1
                    text = sentence(rng, words, rng.randint(8, 16)) + "."
                    rows_p.append((claim_id, a, p, "paragraph", text, "x"))
                    day = f"{2025 + claim_id % 2}-{1 + claim_id % 12:02d}-{1 + claim_id % 28:02d}"
                    when = f"{day}T{claim_id % 24:02d}:{claim_id % 60:02d}:00Z"
                    exact = text[:text.rfind(" ", 0, 90)] if len(text) > 90 else text
                    claim = (claim_id, a, claim_id, 0, len(exact), exact,
                             rng.choice(VERDICTS), rng.choice(words).title(),
                             f"<p>{sentence(rng, words, 12)}</p>",
                             rng.choice(STATUSES), 1 + claim_id % 40,
                             rng.choice([None, 1 + claim_id % 40]), when, when)
                    rows_c.append(claim)
                    if claim[9] == "published":
                        rows_pub.append((*claim[:9], when, when))
            with conn:
                conn.executemany(
                    "INSERT INTO articles (id, url, url_key, key_hash, title, created_at,"
                    " updated_at) VALUES (?,?,?,?,?,?,?)", rows_a)
                conn.executemany("INSERT INTO passages (id, article_id, ordinal, kind, text,"
                                 " text_hash) VALUES (?,?,?,?,?,?)", rows_p)
                conn.executemany(
                    "INSERT INTO claims (id, article_id, passage_id, start_offset, end_offset,"
                    " exact,"
                    " verdict, label, rationale, status, created_by, assignee_id, created_at,"
                    " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows_c)
                conn.executemany(
                    "INSERT INTO claim_publications (claim_id, passage_id, start_offset,"
                    " end_offset, exact, verdict, label, rationale, anchor_state, version,"
                    " first_published_at, published_at)"
                    " VALUES (?,?,?,?,?,?,?,?,'anchored',1,?,?)",
                    [(c, p, start, end, exact, verdict, label, rationale, first, last)
                     for c, _, p, start, end, exact, verdict, label, rationale, first, last
                     in rows_pub])
    print(f"built {claim_id} claims in {time.perf_counter() - start:.0f} s")


def reworded(rng: random.Random, text: str, words: list[str]) -> str:
    """The same claim in other words: one word dropped, one replaced, two
    swapped, as a second article would put it."""
    parts = text.rstrip(".").split()
    if len(parts) > 4:
        del parts[rng.randrange(len(parts))]
        parts[rng.randrange(len(parts))] = rng.choice(words)
        i = rng.randrange(len(parts) - 1)
        parts[i], parts[i + 1] = parts[i + 1], parts[i]
    return " ".join(parts)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200, help="per kind")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    db_path = OUT / f"claims-{args.claims}.db"
    build(db_path, args.claims)
    rng = random.Random(7)
    words = vocabulary(random.Random(15), 20_000)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["FACTCHECK_INSTANCE_PATH"] = tmp
        app = create_app({"DATABASE": str(db_path), "SECRET_KEY": "bench"})
        token, token_hash = new_api_token()
        with Store(open_database(db_path)) as store:
            store.create_token(1, "bench", token_hash)
            deep = store.db.execute(
                "SELECT updated_at, id FROM claims ORDER BY updated_at DESC, id DESC"
                " LIMIT 1 OFFSET ?", [min(50_000, args.claims // 2)]).fetchone()
            published = list(store.db.execute(
                "SELECT claim_id, exact FROM claim_publications WHERE claim_id % 97 = 0"
                " LIMIT 5000"))
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        kinds = {
            "list, newest first (page 1)": dict,
            "counts per verdict, no filter": lambda: {"counts": "true", "limit": 1},
            "counts per verdict, one site": lambda: {
                "counts": "true", "limit": 1, "site": f"site{rng.randrange(200)}.example.org"},
            "list, page 1,000 (keyset, 50,000 in)": lambda: {"after": encode_cursor(*deep)},
            "filtered: verdict + state + assignee": lambda: {
                "verdict": rng.choice(VERDICTS), "status": rng.choice(STATUSES),
                "assignee": str(rng.randint(1, 40))},
            "filtered: site + date range": lambda: {
                "site": f"site{rng.randrange(200)}.example.org",
                "created_from": "2025-03-01", "created_to": "2025-06-30"},
            "search: one word": lambda: {"q": rng.choice(words[:20_000])},
            "search: two words, relevance": lambda: {
                "q": f"{rng.choice(words[:20_000])} {rng.choice(words[:20_000])}",
                "sort": "relevance"},
            "search: Cyrillic or Chinese, 3+ letters": lambda: {"q": rng.choice(FOREIGN[:4])},
            "search: Chinese, 2 characters": lambda: {"q": rng.choice(FOREIGN[4:])},
            "search + filter (verdict)": lambda: {"q": rng.choice(words[:20_000]),
                                                  "verdict": rng.choice(VERDICTS)},
        }
        endpoints = {name: "/api/v1/claims" for name in kinds}
        kinds["similar: a published claim reworded"] = lambda: {
            "text": reworded(rng, rng.choice(published)[1], words)}
        endpoints["similar: a published claim reworded"] = "/api/v1/claims/similar"
        # The floor under every figure: an authenticated request that reads
        # one row, through the same app, in the same run.
        kinds["baseline: GET /api/v1/session"] = dict
        endpoints["baseline: GET /api/v1/session"] = "/api/v1/session"
        # Round robin, so a busy moment of the machine falls on every kind.
        times = {name: [] for name in kinds}
        for _ in range(args.requests):
            for name, make in kinds.items():
                query = make()
                started = time.perf_counter()
                response = client.get(endpoints[name], query_string=query, headers=headers)
                times[name].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.get_data(as_text=True)
        print(f"{args.claims:,} claims, {args.requests} requests per kind, in-process")
        print(f"{'request':42} {'p50 ms':>8} {'p95 ms':>8}")
        for name, spent in times.items():
            print(f"{name:42} {statistics.median(spent):8.1f} {percentile(spent, 0.95):8.1f}")
        # Whether the suggestions are worth their time: a published claim,
        # reworded, should bring back that claim first.
        first = 0
        for claim_id, exact in rng.sample(published, min(100, len(published))):
            found = client.get("/api/v1/claims/similar", headers=headers,
                               query_string={"text": reworded(rng, exact, words)}).get_json()
            first += bool(found) and found[0]["id"] == claim_id
        print(f"similar: the reworded claim's original ranked first in {first} of"
              f" {min(100, len(published))}")


if __name__ == "__main__":
    main()
