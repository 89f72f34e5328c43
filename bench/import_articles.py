"""Import N generated articles of 20 passages each; print articles per second.

    .venv/bin/python bench/import_articles.py [--articles 10000]

Each article goes through the same path as a user's import: parse the text
(split, classify, normalise), then Store.import_article in its own
transaction, on a real SQLite file in WAL mode. The baseline in the same run
is a raw sqlite3 insert of the same rows, which bounds what SQLite itself
costs on this machine.
"""

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import migrations  # noqa: E402
from annotations.importer import parse_article  # noqa: E402
from annotations.store import Store, open_database  # noqa: E402

WORDS = ("minister said report officials week government claims according "
         "sanctions ceasefire talks Brussels Beijing Kyiv Moscow “no limits” — "
         "données 数据 данные 🕊️ percent million agreement").split()


def make_article(rng: random.Random, n: int) -> str:
    lines = [f"I. Section heading number {n}"]
    for p in range(19):
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 45)))
        lines.append(sentence.capitalize() + ".")
        if p % 5 == 4:
            lines.append("")
    return "\n".join(lines)


def import_all(path: Path, texts: list[str], batch: int) -> tuple[float, int]:
    db = open_database(path)
    migrations.apply(db)
    store = Store(db)
    passages = 0
    start = time.perf_counter()
    for first in range(0, len(texts), batch):
        with store.transaction():
            for i in range(first, min(first + batch, len(texts))):
                result = store.import_article(f"https://bench.example.org/a/{i}",
                                              parse_article(texts[i], "text"), title=f"Article {i}")
                passages += result.passage_count
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed, passages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=200,
                        help="articles per transaction in the batched run (as the CLI does)")
    args = parser.parse_args()
    rng = random.Random(42)
    texts = [make_article(rng, i) for i in range(args.articles)]

    with tempfile.TemporaryDirectory() as tmp:
        # One transaction per article: an import through the API or the UI.
        elapsed, passages = import_all(Path(tmp) / "single.db", texts, batch=1)
        # Batches in one transaction each: the CLI importing a folder.
        batched_elapsed, _ = import_all(Path(tmp) / "batched.db", texts, batch=args.batch)

        # Baseline: the same rows with bare sqlite3, one transaction per article.
        conn = sqlite3.connect(Path(tmp) / "baseline.db")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, url TEXT UNIQUE)")
        conn.execute("CREATE TABLE p (article_id INTEGER, ordinal INTEGER, text TEXT)")
        base_start = time.perf_counter()
        for i, text in enumerate(texts):
            with conn:
                article_id = conn.execute("INSERT INTO a (url) VALUES (?)", [str(i)]).lastrowid
                conn.executemany("INSERT INTO p VALUES (?, ?, ?)",
                                 [(article_id, n, line) for n, line in enumerate(text.split("\n"))])
        base_elapsed = time.perf_counter() - base_start
        conn.close()

    rate = args.articles / elapsed
    print(f"imported {args.articles} articles ({passages} passages), full-text indexed")
    print(f"one transaction per article (API/UI import): {elapsed:.2f} s, "
          f"{rate:,.0f} articles/s (target >= 1,000)")
    print(f"{args.batch} articles per transaction (CLI folder import): {batched_elapsed:.2f} s, "
          f"{args.articles / batched_elapsed:,.0f} articles/s")
    print(f"baseline raw sqlite3 insert of the same rows: {args.articles / base_elapsed:,.0f} articles/s")
    print(f"ratio to baseline: {elapsed / base_elapsed:.1f}x the time")


if __name__ == "__main__":
    main()
