"""Load-test the readers' endpoint on a large database; compare with bare Flask.

    .venv/bin/python bench/highlights_load.py [--articles 100000] [--claims-per-article 10]
        [--duration 10] [--connections 8]

Builds (once, kept in bench/out/) a database of 100,000 articles and
1,000,000 published claims with a citation each, written with plain SQL for
speed, then migrated as usual. Serves it with gunicorn (2 sync workers) and
drives GET /api/v1/highlights with wrk (Debian's package) over 1,000
different article URLs carrying tracking parameters: once plain (200s) and
once with each URL's ETag in If-None-Match (304s). The baseline is a bare
Flask endpoint under the same gunicorn settings, in the same run.
"""

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from migrations.m0010_editorial_workflow import publish_what_is_published  # noqa: E402
from bench.server import gunicorn  # noqa: E402
from bench.database import building  # noqa: E402

OUT = ROOT / "bench" / "out"
SENTENCE = ("Officials said the agreement covers {n} million people, a figure "
            "the ministry confirmed on Monday — données 数据 данные.")


def build(path: Path, articles: int, per_article: int) -> None:
    if path.exists():
        return
    with building(path) as conn:
        now = "2026-11-01T00:00:00+00:00"
        start = time.perf_counter()
        passage_id = claim_id = 0
        for first in range(0, articles, 1000):
            rows_a, rows_p, rows_c, rows_ct = [], [], [], []
            for a in range(first + 1, min(first + 1000, articles) + 1):
                rows_a.append((a, f"https://news.example.org/{a}/story",
                               f"news.example.org/{a}/story", f"Story {a}", "Example News",
                               now, now))
                for p in range(per_article):
                    passage_id += 1
                    text = SENTENCE.format(n=a * 10 + p)
                    rows_p.append((passage_id, a, p, "paragraph", text, "x"))
                    claim_id += 1
                    exact = text[:40]
                    rows_c.append((claim_id, a, passage_id, 0, 40, exact, "", text[40:72],
                                   "verified", "Accurate", "<p>Checked against the record.</p>",
                                   "published", now, now, now))
                    rows_ct.append((claim_id, claim_id, "https://source.example.org/doc",
                                    "Source", now))
            with conn:
                conn.executemany(
                    "INSERT INTO articles (id, url, url_key, title, publisher, created_at,"
                    " updated_at) VALUES (?,?,?,?,?,?,?)", rows_a)
                conn.executemany(
                    "INSERT INTO passages (id, article_id, ordinal, kind, text, text_hash)"
                    " VALUES (?,?,?,?,?,?)", rows_p)
                conn.executemany(
                    "INSERT INTO claims (id, article_id, passage_id, start_offset, end_offset,"
                    " exact,"
                    " prefix, suffix, verdict, label, rationale, status, created_at, updated_at,"
                    " published_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows_c)
                conn.executemany("INSERT INTO citations (id, claim_id, url, title, created_at)"
                                 " VALUES (?,?,?,?,?)", rows_ct)
        with conn:
            publish_what_is_published(conn)  # readers see publications (m0010)
    print(f"built {articles} articles, {claim_id} claims in {time.perf_counter() - start:.0f} s")


def wrk(url: str, script: Path, duration: int, connections: int) -> float:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", str(script), url],
                         capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in out:
        raise RuntimeError("errors under load:\n" + out)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def lua_paths(paths: list[str], etags: list[str] | None) -> str:
    items = ",\n".join(json.dumps(p) for p in paths)
    tags = ",\n".join(json.dumps(t) for t in etags) if etags else ""
    return f"""
local paths = {{ {items} }}
local tags = {{ {tags} }}
local i = 0
request = function()
  i = i % #paths + 1
  local headers = {{}}
  if #tags > 0 then headers["If-None-Match"] = tags[i] end
  return wrk.format("GET", paths[i], headers)
end
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--claims-per-article", type=int, default=10)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-cache", action="store_true",
                        help="turn the per-worker answer cache off (READER_CACHE_BYTES=0)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    OUT.mkdir(exist_ok=True)
    db_path = OUT / f"highlights-{args.articles}x{args.claims_per_article}.db"
    build(db_path, args.articles, args.claims_per_article)
    rng = random.Random(3)
    ids = rng.sample(range(1, args.articles + 1), 1000)
    paths = ["/api/v1/highlights?url=" + urllib.parse.quote(
        f"http://NEWS.example.org/{a}/story/?utm_source=x&fbclid=y#top", safe="") for a in ids]
    with tempfile.TemporaryDirectory() as tmp:
        env = {"FACTCHECK_DATABASE": str(db_path), "FACTCHECK_SECRET_KEY": "bench",
               "FACTCHECK_INSTANCE_PATH": tmp}
        if args.no_cache:
            env["FACTCHECK_READER_CACHE_BYTES"] = "0"
        rounds = {"bare": [], "200": [], "304": []}
        with gunicorn("wsgi:app", env, ready_path="/api/v1/highlights?url=x") as base, \
                gunicorn("bench.bare_app:app", ready_path="/hello") as bare_base:
            etags = []
            for path in paths:
                with urllib.request.urlopen(base + path) as response:
                    body = json.load(response)
                    assert len(body["claims"]) == args.claims_per_article, body
                    etags.append(response.headers["ETag"])
            plain, conditional = Path(tmp) / "plain.lua", Path(tmp) / "conditional.lua"
            hello = Path(tmp) / "hello.lua"
            plain.write_text(lua_paths(paths, None))
            conditional.write_text(lua_paths(paths, etags))
            hello.write_text(lua_paths(["/hello"], None))
            # Interleaved rounds: the machine is shared, and its load drifts.
            for _ in range(args.rounds):
                rounds["bare"].append(wrk(bare_base, hello, args.duration, args.connections))
                rounds["200"].append(wrk(base, plain, args.duration, args.connections))
                rounds["304"].append(wrk(base, conditional, args.duration, args.connections))
    ratio = {k: statistics.median(a / b for a, b in zip(rounds[k], rounds["bare"]))
             for k in ("200", "304")}
    median = {k: statistics.median(v) for k, v in rounds.items()}
    print(f"database: {args.articles} articles, {args.articles * args.claims_per_article} published claims")
    print(f"gunicorn 2 sync workers; wrk -t2 -c{args.connections} -d{args.duration}s over 1,000 URLs; "
          f"{args.rounds} interleaved rounds, medians; answer cache "
          f"{'off' if args.no_cache else 'on (warm after the first pass)'}")
    print(f"bare Flask GET /hello:            {median['bare']:8.0f} req/s")
    print(f"highlights 200 ({args.claims_per_article} claims each): {median['200']:8.0f} req/s, "
          f"ratio {ratio['200']:.2f} (target >= 0.8)")
    print(f"highlights 304 (If-None-Match):   {median['304']:8.0f} req/s, "
          f"ratio {ratio['304']:.2f} (target >= 0.9)")


if __name__ == "__main__":
    main()
