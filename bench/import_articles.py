"""Import N generated articles of 20 passages each; print articles per second.
Then import generated full news pages (50-200 KB each, with navigation, ad
slots, related boxes, comments, scripts) through the main-text extractor.

    .venv/bin/python bench/import_articles.py [--articles 10000] [--pages 300]

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


def _paragraph(rng: random.Random, low: int = 25, high: int = 45) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def make_page(rng: random.Random, n: int, target_bytes: int) -> str:
    """A news page of about ``target_bytes``: the story (12-40 paragraphs)
    inside the boilerplate real pages carry, most of the bytes being
    scripts, navigation, related links and reader comments."""
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(60))
    story = []
    for p in range(rng.randint(12, 40)):
        story.append(f"<p>{_paragraph(rng)}</p>")
        if p % 6 == 5:
            story.append('<div class="ad-slot"><span>Advertisement</span></div>'
                         f"<h2>{_paragraph(rng, 3, 6)[:-1]}</h2>")
        if p == 8:
            story.append('<aside class="related"><h3>Read more</h3><ul>' + "".join(
                f'<li><a href="/a/{i}">{_paragraph(rng, 5, 9)}</a></li>' for i in range(5))
                + "</ul></aside>")
    head = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>Story {n} about talks | Bench Gazette</title>"
            f"<meta property='og:title' content='Story {n} about talks'>"
            f"<meta property='og:site_name' content='Bench Gazette'>"
            f"<meta name='author' content='Writer {n % 50}'>"
            f"<meta property='article:published_time' content='2026-01-{n % 28 + 1:02d}T08:00:00Z'>"
            f"<link rel='canonical' href='https://gazette.example/story/{n}'>")
    page = [head, "</head><body><header><nav><ul>", nav, "</ul></nav></header>",
            "<main><article><h1>", f"Story {n} about talks", "</h1>",
            "<div class='share-bar'><a href='#'>Share</a><a href='#'>Tweet</a></div>",
            *story, "</article><section id='comments' class='comments'><ol>"]
    size = sum(map(len, page))
    comment = 0
    # Comments and scripts make up the rest, as on real pages.
    while size < target_bytes - 4000:
        if comment % 3 == 2:
            chunk = "<script>var config" + str(comment) + " = " + "[1,2,3]," * 200 + "0;</script>"
        else:
            chunk = f"<li class='comment'><p>{_paragraph(rng, 15, 40)}</p></li>"
        page.append(chunk)
        size += len(chunk)
        comment += 1
    page.append("</ol></section></main><footer><p>© Bench Gazette</p><ul>" + nav
                + "</ul></footer></body></html>")
    return "".join(page)


def import_all(path: Path, texts: list[str], batch: int, content_format: str = "text"
               ) -> tuple[float, int]:
    db = open_database(path)
    migrations.apply(db)
    store = Store(db)
    passages = 0

    def one(i: int) -> int:
        url = f"https://bench.example.org/a/{i}"
        parsed = parse_article(texts[i], content_format, page_url=url)
        return store.import_article(url, parsed, title=f"Article {i}").passage_count

    start = time.perf_counter()
    if batch == 1:
        # As the API and the UI import: one transaction per article, the
        # store's own.
        for i in range(len(texts)):
            passages += one(i)
    else:
        for first in range(0, len(texts), batch):
            with store.transaction():
                for i in range(first, min(first + batch, len(texts))):
                    passages += one(i)
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed, passages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=200,
                        help="articles per transaction in the batched run (as the CLI does)")
    parser.add_argument("--pages", type=int, default=300,
                        help="full HTML pages (50-200 KB) imported through the extractor")
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
    if args.pages:
        bench_pages(rng, args.pages)


def bench_pages(rng: random.Random, count: int) -> None:
    pages = [make_page(rng, i, rng.randint(50_000, 200_000)) for i in range(count)]
    megabytes = sum(len(p.encode()) for p in pages) / 1e6
    start = time.perf_counter()
    kept = [parse_article(p, "html") for p in pages[:20]]
    extract_only = (time.perf_counter() - start) / 20
    with tempfile.TemporaryDirectory() as tmp:
        elapsed, passages = import_all(Path(tmp) / "pages.db", pages, batch=1,
                                       content_format="html")
    print(f"full HTML pages through the extractor: {count} pages of 50-200 KB "
          f"({megabytes:.1f} MB, {passages} passages kept), one transaction each: "
          f"{elapsed:.2f} s, {count / elapsed:,.1f} pages/s, {megabytes / elapsed:.2f} MB/s")
    print(f"  extraction and splitting alone: {extract_only * 1000:.1f} ms per page; "
          f"e.g. page 0 kept {len(kept[0].passages)} passages, title {kept[0].title!r}")


if __name__ == "__main__":
    main()
