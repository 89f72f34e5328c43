"""The article page with N published claims on one passage; print its time.

    .venv/bin/python bench/article_page.py [--claims 10000]

One passage of N distinct words, a published claim on each (2N segments).
The baseline in the same run is the presenter as it was before the sweep
(every segment scanned every claim), patched in for the same page.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import migrations  # noqa: E402
from migrations.m0010_editorial_workflow import publish_what_is_published  # noqa: E402
import factcheck.ui  # noqa: E402
from annotations.importer import parse_article  # noqa: E402
from annotations.store import Store, open_database  # noqa: E402
from factcheck import create_app  # noqa: E402
# The presenter before the sweep, kept by its test as the oracle.
from tests.test_presenter import segments_by_scanning  # noqa: E402


def build(path: Path, claims: int) -> int:
    db = open_database(path)
    migrations.apply(db)
    store = Store(db)
    words = [f"word{n}" for n in range(claims)]
    article_id = store.import_article("https://news.example.com/long",
                                      parse_article(" ".join(words) + ".", "text")).article_id
    passage = store.passages(article_id)[0]
    rows, position = [], 0
    for word in words:
        rows.append((article_id, passage["id"], position, position + len(word), word,
                     "unverified", "published", "t", "t", "t"))
        position += len(word) + 1
    with db.conn:
        db.conn.executemany(
            "INSERT INTO claims (article_id, passage_id, start_offset, end_offset, exact,"
            " verdict, status, created_at, updated_at, published_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        publish_what_is_published(db.conn)  # readers see publications (m0010)
    db.close()
    return article_id


def page_time(client, article_id: int) -> float:
    started = time.perf_counter()
    response = client.get(f"/articles/{article_id}")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.db"
        article_id = build(path, args.claims)
        app = create_app({"DATABASE": str(path), "SECRET_KEY": "bench",
                          "TESTING": True})
        client = app.test_client()
        page_time(client, article_id)  # warm up templates and connections
        sweep = min(page_time(client, article_id) for _ in range(3))
        factcheck.ui.passage_segments = segments_by_scanning
        scan = page_time(client, article_id)
        print(f"{args.claims} published claims on one passage, article page (anonymous):")
        print(f"  sweep presenter: {sweep * 1000:.0f} ms")
        print(f"  scanning presenter (before): {scan * 1000:.0f} ms")


if __name__ == "__main__":
    main()
