"""Latency of the claim desk's list, GET /api/v1/claims, over 1M claims.

    .venv/bin/python bench/claims_search.py [--claims 1000000] [--requests 200]

Builds (once, kept in bench/out/) a database of 100,000 articles on 200
sites with 10 claims each, written with plain SQL (the FTS triggers of
m0016 index every claim as it goes in); claims are sentences of a
20,000-word made-up vocabulary with Cyrillic and Chinese words mixed in,
spread over two years and every verdict, state and assignee. Then times
each kind of request through the Flask app in-process (no network, so the
figures are the app's and the database's), and prints p50/p95 per kind.
"""

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import migrations
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


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words) + FOREIGN


def build(path: Path, claims: int) -> None:
    if path.exists():
        return
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    db = open_database(tmp)
    migrations.apply(db)
    db.close()
    rng = random.Random(15)
    words = vocabulary(rng, 20_000)
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA synchronous = OFF")
    start = time.perf_counter()
    users = [(i, f"checker{i}", "x", "factchecker", "2025-01-01T00:00:00Z") for i in range(1, 41)]
    conn.executemany("INSERT INTO users (id, username, password_hash, role, created_at)"
                     " VALUES (?,?,?,?,?)", users)
    per_article, claim_id = 10, 0
    for first in range(1, claims // per_article + 1, 1000):
        rows_a, rows_p, rows_c = [], [], []
        for a in range(first, min(first + 1000, claims // per_article + 1)):
            url = f"https://site{a % 200}.example.org/{a}/story"
            key = url.split("://", 1)[1]
            rows_a.append((a, url, key, key_hash(key), f"Story {a}", "2025-01-01T00:00:00Z",
                           "2025-01-01T00:00:00Z"))
            for p in range(per_article):
                claim_id += 1
                text = " ".join(rng.choice(words) for _ in range(rng.randint(8, 16))) + "."
                rows_p.append((claim_id, a, p, "paragraph", text, "x"))
                day = f"{2025 + claim_id % 2}-{1 + claim_id % 12:02d}-{1 + claim_id % 28:02d}"
                when = f"{day}T{claim_id % 24:02d}:{claim_id % 60:02d}:00Z"
                rows_c.append((claim_id, a, claim_id, 0, min(len(text), 60), text[:60],
                               rng.choice(VERDICTS), rng.choice(words).title(),
                               f"<p>{' '.join(rng.choice(words) for _ in range(12))}</p>",
                               rng.choice(STATUSES), 1 + claim_id % 40,
                               rng.choice([None, 1 + claim_id % 40]), when, when))
        with conn:
            conn.executemany("INSERT INTO articles (id, url, url_key, key_hash, title, created_at,"
                             " updated_at) VALUES (?,?,?,?,?,?,?)", rows_a)
            conn.executemany("INSERT INTO passages (id, article_id, ordinal, kind, text,"
                             " text_hash) VALUES (?,?,?,?,?,?)", rows_p)
            conn.executemany(
                "INSERT INTO claims (id, article_id, passage_id, start_offset, end_offset, exact,"
                " verdict, label, rationale, status, created_by, assignee_id, created_at,"
                " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows_c)
    conn.execute("ANALYZE")
    conn.close()
    tmp.rename(path)
    print(f"built {claim_id} claims in {time.perf_counter() - start:.0f} s")


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
            "search: Chinese, 2 characters (a scan)": lambda: {"q": rng.choice(FOREIGN[4:])},
            "search + filter (verdict)": lambda: {"q": rng.choice(words[:20_000]),
                                                  "verdict": rng.choice(VERDICTS)},
        }
        print(f"{args.claims:,} claims, {args.requests} requests per kind, in-process")
        print(f"{'request':42} {'p50 ms':>8} {'p95 ms':>8}")
        for name, make in kinds.items():
            times = []
            for _ in range(args.requests):
                query = make()
                started = time.perf_counter()
                response = client.get("/api/v1/claims", query_string=query, headers=headers)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.get_data(as_text=True)
            print(f"{name:42} {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f}")


if __name__ == "__main__":
    main()
