"""How big the audit log grows when one claim is edited many times, and how
long its history takes to answer.

    .venv/bin/python bench/audit_growth.py [--edits 900] [--citations N]

On a fresh database: one claim, then as many citations added as the store
accepts (up to --citations, default --edits), then citation edits up to
--edits writes in all.
Prints the audit bytes written for that claim and the time of
GET /api/v1/claims/<id>/history (first page, and every page when paged).
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import migrations  # noqa: E402
from annotations.importer import parse_article  # noqa: E402
from annotations.models import Actor, DomainError  # noqa: E402
from annotations.store import Store, open_database  # noqa: E402
from factcheck import create_app  # noqa: E402
from factcheck.auth import hash_password, new_api_token  # noqa: E402


def build(path: Path, edits: int, most_citations: int) -> tuple[int, str, int]:
    """The claim's id, a Bearer token, and how many citations were accepted."""
    store = Store(open_database(path))
    migrations.apply(store.db)
    user = store.create_user("bench", hash_password("bench-password"), "factchecker")
    actor = Actor(user["id"], user["username"])
    token, token_hash = new_api_token()
    store.create_token(user["id"], "bench", token_hash)
    article = store.import_article("https://bench.example.org/audit",
                                   parse_article("The dam holds 9 billion litres.", "text"))
    passage = store.passages(article.article_id)[0]
    claim = store.create_claim(passage["id"], 0, 7, "unverified", actor)
    citation = {"url": "https://sources.example.org/a-long-enough-path/for/a/source",
                "title": "A source title of ordinary length", "publisher": "Example Press",
                "excerpt": "An excerpt of a few sentences. " * 10}
    added = 0
    ids = []
    for n in range(edits):
        try:
            if added == most_citations:
                raise DomainError("citations", "as many as asked for")
            ids.append(store.add_citation(claim["id"], {**citation, "title": f"Source {n}"},
                                          actor)["id"])
            added += 1
        except DomainError:
            store.update_citation(ids[n % len(ids)], {"title": f"Edited {n}"}, actor)
    store.db.close()
    return claim["id"], token, added


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=900)
    parser.add_argument("--citations", type=int)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        started = time.perf_counter()
        claim_id, token, added = build(path, args.edits, args.citations or args.edits)
        print(f"{args.edits} writes ({added} citations added) in "
              f"{time.perf_counter() - started:.1f} s")
        db = open_database(path)
        size = db.execute("SELECT sum(length(coalesce(before, '')) + length(coalesce(after, '')))"
                          ", max(length(coalesce(before, '')) + length(coalesce(after, '')))"
                          " FROM audit_log WHERE entity = 'claim' AND entity_id = ?",
                          [claim_id]).fetchone()
        db.close()
        print(f"audit for the claim: {size[0] / 1e6:.2f} MB, largest entry {size[1] / 1e3:.1f} kB")
        app = create_app({"DATABASE": str(path), "SECRET_KEY": "bench", "TESTING": True})
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        url = f"/api/v1/claims/{claim_id}/history"
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        first = time.perf_counter() - started
        print(f"history first answer: {len(response.data) / 1e6:.2f} MB in {first:.3f} s")
        pages, total, cursor = 1, len(response.data), response.get_json().get("next")
        while cursor is not None:
            response = client.get(f"{url}?after={cursor}&limit=500", headers=headers)
            pages += 1
            total += len(response.data)
            cursor = response.get_json().get("next")
        print(f"whole history: {pages} pages, {total / 1e6:.2f} MB in "
              f"{time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()
