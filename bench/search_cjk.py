"""Searching Chinese terms in a large database; print the time per query.

    .venv/bin/python bench/search_cjk.py [--megabytes 60]

Builds (once, into bench/out/) a database of generated articles of about
20 KB each, half English and half Chinese (characters drawn with a Zipf-like
frequency), MEGABYTES of passage text in all, imported through the store.
Each query is what an anonymous GET /api/v1/articles?q=… runs: the first
page and the total. The baseline in the same run is the search as it was
before the trigram index: LIKE '%term%' over every passage.
"""

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import migrations  # noqa: E402
from annotations.importer import parse_article  # noqa: E402
from annotations.store import Store, open_database  # noqa: E402
from annotations.text import normalize_text  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
ARTICLE_BYTES = 20_000
HANZI = [chr(0x4E00 + n) for n in range(3000)]
HANZI_WEIGHTS = [1 / (rank + 1) for rank in range(len(HANZI))]
ENGLISH = ("minister said report officials week government claims according sanctions "
           "ceasefire talks percent million agreement harbour bridge council budget").split()


def chinese_article(rng: random.Random) -> str:
    passages, size = [], 0
    while size < ARTICLE_BYTES:
        sentence = "".join(rng.choices(HANZI, HANZI_WEIGHTS, k=rng.randint(80, 200))) + "。"
        passages.append(sentence)
        size += len(sentence.encode())
    return "\n\n".join(passages)


def english_article(rng: random.Random) -> str:
    passages, size = [], 0
    while size < ARTICLE_BYTES:
        sentence = " ".join(rng.choices(ENGLISH, k=rng.randint(40, 80))).capitalize() + "."
        passages.append(sentence)
        size += len(sentence.encode())
    return "\n\n".join(passages)


def build(path: Path, megabytes: int) -> tuple[str, list[str]]:
    """The database, and a few Chinese texts to take search terms from."""
    rng = random.Random(7)
    samples = [chinese_article(random.Random(n)) for n in range(3)]
    if path.exists():
        return samples
    started = time.perf_counter()
    db = open_database(path)
    migrations.apply(db)
    store = Store(db)
    articles = megabytes * 1_000_000 // ARTICLE_BYTES
    for n in range(articles):
        text = (samples[n] if n < len(samples) else chinese_article(rng)) if n % 2 == 0 \
            else english_article(rng)
        store.import_article(f"https://news.example.org/{n}", parse_article(text, "text"),
                             title=f"Story {n}")
    db.close()
    print(f"built {articles} articles in {time.perf_counter() - started:.0f} s")
    return samples


def like_filters(store: Store, q: str) -> tuple[str, list]:
    """The search before the trigram index (the old _article_filters, text only)."""
    q = normalize_text(q)
    fts_query = store.db.quote_fts(q)
    params = [fts_query, fts_query]
    text_match = ("(articles.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
                  " OR articles.id IN"
                  " (SELECT rowid FROM article_text_fts WHERE article_text_fts MATCH ?))")
    substring = []
    for term in q.replace('"', " ").split():
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
        substring.append(
            "(articles.title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM passages p"
            " WHERE p.article_id = articles.id AND p.text LIKE ? ESCAPE '\\'))")
        params.extend([pattern, pattern])
    return f" WHERE ({text_match} OR ({' AND '.join(substring)}))", params


def timed(run) -> tuple[float, int]:
    best, total = float("inf"), 0
    for _ in range(3):
        started = time.perf_counter()
        total = run()
        best = min(best, time.perf_counter() - started)
    return best, total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=60)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"search-cjk-{args.megabytes}mb.db"
    samples = build(path, args.megabytes)
    store = Store(open_database(path))
    text_bytes = store.db.execute(
        "SELECT sum(length(CAST(text AS BLOB))) FROM passages").fetchone()[0]
    print(f"{text_bytes / 1e6:.0f} MB of passage text")
    sample = samples[0].replace("\n", "")
    terms = {"1 character (frequent)": HANZI[0], "1 character (rare)": HANZI[-1],
             "2 characters": sample[100:102], "3 characters": sample[200:203],
             "5 characters": sample[300:305], "absent (5)": "上海市长江"}
    print(f"{'term':26} {'trigram index':>14} {'LIKE (before)':>14}  articles")
    for label, term in terms.items():
        def new():
            store.list_articles(limit=50, q=term, published_only=True)
            return store.count_articles(q=term, published_only=True)

        def old():
            where, params = like_filters(store, term)
            store.db.execute(f"SELECT id FROM articles {where} ORDER BY created_at DESC"
                             " LIMIT 50", params).fetchall()
            return store.db.execute(f"SELECT count(*) FROM articles {where}",
                                    params).fetchone()[0]
        new_time, new_total = timed(new)
        old_time, old_total = timed(old)
        assert new_total == old_total, (label, new_total, old_total)
        print(f"{label:26} {new_time * 1000:11.1f} ms {old_time * 1000:11.1f} ms  {new_total}")


if __name__ == "__main__":
    main()
