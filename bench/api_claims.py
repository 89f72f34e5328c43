"""Create claims through the HTTP API under gunicorn; print claims per second.

    .venv/bin/python bench/api_claims.py [--claims 10000] [--concurrency 4]

The service runs under gunicorn with 2 sync workers on a fresh database in a
temporary folder, authenticated with a Bearer token. In the same run, the
same client posts the same bodies to a bare Flask endpoint under the same
gunicorn settings: the ratio is what our validation, auth, SQLite writes and
audit entries cost. The client is plain http.client in threads.
"""

import argparse
import http.client
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import migrations  # noqa: E402
from annotations.importer import parse_article  # noqa: E402
from annotations.store import Store, open_database  # noqa: E402
from bench.server import gunicorn  # noqa: E402
from factcheck.auth import hash_password, new_api_token  # noqa: E402

ARTICLE = "\n".join(
    f"Paragraph {n}: the minister said the agreement covers {n} million people — "
    f"données, 数据, данные 🕊️ and more." for n in range(20))


def prepare(tmp: Path) -> tuple[str, list[int]]:
    db = open_database(tmp / "bench.db")
    migrations.apply(db)
    store = Store(db)
    user = store.create_user("bench", hash_password("bench-password"), "factchecker")
    token, token_hash = new_api_token()
    store.create_token(user["id"], "bench", token_hash)
    result = store.import_article("https://bench.example.org/article",
                                  parse_article(ARTICLE, "text"), title="Bench")
    passage_ids = [p["id"] for p in store.passages(result.article_id)]
    db.close()
    return token, passage_ids


def run_load(base: str, path: str, bodies: list[bytes], headers: dict,
             concurrency: int) -> tuple[float, dict]:
    parts = urlsplit(base)
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    next_index = iter(range(len(bodies)))

    def worker():
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                return
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            conn.request("POST", path, body=bodies[i], headers=headers)
            status = conn.getresponse()
            status.read()
            conn.close()
            with lock:
                statuses[status.status] = statuses.get(status.status, 0) + 1

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, statuses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        token, passage_ids = prepare(tmp)
        bodies = []
        for i in range(args.claims):
            passage = passage_ids[i % len(passage_ids)]
            bodies.append(json.dumps({
                "passage_id": passage, "start": 0, "end": 12, "verdict": "unverified",
                "label": "Bench", "rationale": "<p>Checked against <em>the record</em>.</p>",
                "citations": [{"url": "https://source.example.org/doc", "title": "Source"}],
            }).encode())
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        env = {"FACTCHECK_DATABASE": str(tmp / "bench.db"), "FACTCHECK_SECRET_KEY": "bench",
               "FACTCHECK_INSTANCE_PATH": str(tmp)}
        with gunicorn("wsgi:app", env, ready_path="/api/v1/session") as base:
            elapsed, statuses = run_load(base, "/api/v1/claims", bodies, headers, args.concurrency)
        with gunicorn("bench.bare_app:app", ready_path="/hello") as base:
            bare_elapsed, bare_statuses = run_load(base, "/echo", bodies, headers,
                                                   args.concurrency)
        db = open_database(tmp / "bench.db")
        stored = db.execute("SELECT count(*) FROM claims").fetchone()[0]
        db.close()
    rate, bare_rate = args.claims / elapsed, args.claims / bare_elapsed
    print(f"gunicorn 2 sync workers, client concurrency {args.concurrency}")
    print(f"API: {args.claims} POST /api/v1/claims in {elapsed:.2f} s, statuses {statuses}, "
          f"{stored} claims stored")
    print(f"API rate: {rate:,.0f} claims/s (target >= 300)")
    print(f"bare Flask POST /echo: {bare_rate:,.0f} requests/s, statuses {bare_statuses}")
    print(f"ratio API / bare: {rate / bare_rate:.2f}")


if __name__ == "__main__":
    main()
