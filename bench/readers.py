"""Readers' lookups at scale: gunicorn alone, and nginx's cache in front.

    .venv/bin/python bench/readers.py [--claims 1000000] [--duration 10]
        [--connections 32] [--rounds 1] [--no-expired]

Builds (once, kept in bench/out/) a database of published claims: articles
of 5 to 10 claims each, one in ten with an alias URL, written with plain
SQL, each key hashed as the store hashes it (annotations.lookup.key_hash of
annotations.urls.url_key). Then drives GET /api/v1/lookup/{prefix} with wrk
in the mix the extension makes:

- 90 % pages the service has never seen: a new URL's SHA-256 is uniformly
  random, so its bucket is a random 4-hex-digit prefix (drawn in Lua);
- 10 % known articles under a fresh tracking parameter: the URL key drops
  the parameter, so it is the article's own prefix (checked below).

Measured, with the same gunicorn settings (gunicorn.conf.py) for all: a bare
Flask hello-world (bench/bare_app.py); the mix straight to gunicorn while no
bucket is rendered yet, and again once every bucket is; the mix through
nginx (deploy/nginx.conf, as `make edge` renders it) right after every
bucket has passed through it (a fresh cache: the steady state once readers
ask for each bucket at least once per max-age, about 1,100 req/s), and once
every copy has expired (each bucket's first request is then served stale
while nginx revalidates it). Prints req/s, ratios to bare Flask, the cache
statuses of the fresh run and the buckets' sizes.
"""

import argparse
import hashlib
import http.client
import json
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotations.lookup import PREFIX_HEX_DIGITS, bucket_prefix, key_hash
from annotations.urls import url_key
from bench.server import free_port, gunicorn
from bench.database import building
from deploy.edge import Nginx
from migrations.m0010_editorial_workflow import publish_what_is_published

OUT = ROOT / "bench" / "out"
BUCKETS = 16 ** PREFIX_HEX_DIGITS
WRK_THREADS = 2
HOSTS = ["news.example.org", "www.daily-example.com", "example.co.uk", "regional.example.net"]
SECTIONS = ["politics", "economy", "health", "climate", "world", "science"]
SENTENCE = ("Officials said the programme reached {n} households last year, a figure "
            "the ministry repeated on Monday — données 数据 данные.")
RATIONALE = ("<p>The ministry's annual report gives a lower number; the figure quoted "
             "counts households reached twice. See the table on page {n}.</p>")
NOW = "2026-11-01T00:00:00+00:00"


def article_url(a: int) -> str:
    slug = hashlib.md5(str(a).encode()).hexdigest()[:8]
    return f"https://{HOSTS[a % len(HOSTS)]}/{SECTIONS[a % len(SECTIONS)]}/2026/story-{a}-{slug}"


def alias_url(a: int) -> str:
    return article_url(a).replace("https://", "https://amp.", 1)


def build(path: Path, claims: int, seed: int = 13) -> None:
    """``claims`` published claims over articles of 5-10, one alias in ten."""
    if path.exists():
        return
    with building(path) as conn:
        rng = random.Random(seed)
        start = time.perf_counter()
        article = claim_id = alias_id = 0
        while claim_id < claims:
            rows_a, rows_l, rows_p, rows_c, rows_ct = [], [], [], [], []
            for _ in range(1000):
                if claim_id >= claims:
                    break
                article += 1
                url = article_url(article)
                key = url_key(url)
                rows_a.append((article, url, key, key_hash(key), f"Story {article}", "Example News",
                               NOW, NOW))
                if article % 10 == 0:
                    alias_id += 1
                    alias = alias_url(article)
                    alias_key = url_key(alias)
                    rows_l.append((alias_id, article, alias, alias_key, key_hash(alias_key), NOW))
                for p in range(min(rng.randint(5, 10), claims - claim_id)):
                    claim_id += 1  # one passage per claim: ids shared
                    text = SENTENCE.format(n=article * 10 + p)
                    rows_p.append((claim_id, article, p, "paragraph", text, "x"))
                    rows_c.append((claim_id, article, claim_id, 0, 40, text[:40], "", text[40:72],
                                   "denied", "Misleading", RATIONALE.format(n=p + 3), "published",
                                   NOW, NOW, NOW))
                    rows_ct.append((claim_id, claim_id, "https://stats.example.org/report-2025",
                                    "Annual report 2025", NOW))
            with conn:
                conn.executemany(
                    "INSERT INTO articles (id, url, url_key, key_hash, title, publisher,"
                    " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)", rows_a)
                conn.executemany(
                    "INSERT INTO article_aliases (id, article_id, url, url_key, key_hash,"
                    " created_at) VALUES (?,?,?,?,?,?)", rows_l)
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
    print(f"built {article} articles, {alias_id} aliases, {claim_id} published claims"
          f" in {time.perf_counter() - start:.0f} s")


def known_prefixes(path: Path, sample: int, seed: int = 5) -> list[str]:
    """Buckets of known articles asked for under a fresh tracking parameter:
    each such URL must hash into its article's bucket."""
    conn = sqlite3.connect(path)
    try:
        count = conn.execute("SELECT max(id) FROM articles").fetchone()[0]
        ids = random.Random(seed).sample(range(1, count + 1), min(sample, count))
        prefixes = []
        for a in ids:
            stored = conn.execute("SELECT key_hash FROM articles WHERE id = ?", [a]).fetchone()[0]
            visited = article_url(a) + f"?utm_source=newsletter&utm_campaign=c{a}"
            assert key_hash(url_key(visited)) == stored, visited
            prefixes.append(bucket_prefix(stored))
        return prefixes
    finally:
        conn.close()


MIX_LUA = """
local known = {{ {known} }}
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
function init(args)
  math.randomseed({seed} + id)
end
local headers = {{ {headers} }}
request = function()
  local prefix
  if math.random() < {unseen} then
    prefix = string.format("%0{digits}x", math.random(0, {buckets} - 1))
  else
    prefix = known[math.random(#known)]
  end
  return wrk.format("GET", "/api/v1/lookup/" .. prefix, headers)
end
"""


def mix_script(known: list[str], unseen: float, seed: int, gzip_ok: bool) -> str:
    # What the extension's fetch sends: browsers always offer gzip.
    headers = '["Accept-Encoding"] = "gzip, deflate, br"' if gzip_ok else ""
    return MIX_LUA.format(known=", ".join(json.dumps(p) for p in known), unseen=unseen,
                          seed=seed, digits=PREFIX_HEX_DIGITS, buckets=BUCKETS, headers=headers)


def wrk(url: str, script: Path, duration: int, connections: int) -> float:
    out = subprocess.run(["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{duration}s", "-s",
                          str(script), url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in out:
        raise RuntimeError("errors under load:\n" + out)
    errors = re.search(r"Socket errors: .*", out)
    if errors:  # reported, not fatal: a request over wrk's 2 s, a closed keep-alive
        print(f"  {url}: {errors.group(0)}", flush=True)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def ask_every_bucket(base: str, gzip_ok: bool, threads: int = 16) -> float:
    """Ask for all buckets once (rendering each into the database, or
    filling nginx's cache); returns the seconds it took. Python, as wrk
    cannot stop after a number of requests; kept-alive connections."""
    host, port = base.removeprefix("http://").rsplit(":", 1)

    def ask(first: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            for n in range(first, BUCKETS, threads):
                # As the mix asks: a cache keeps one copy per Accept-Encoding.
                connection.request("GET", f"/api/v1/lookup/{n:0{PREFIX_HEX_DIGITS}x}",
                                   headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    raise RuntimeError(f"bucket {n:x}: {response.status}")
        finally:
            connection.close()

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(ask, range(threads)))
    return time.perf_counter() - start


def bucket_sizes(path: Path) -> dict:
    """Sizes of the rendered non-empty buckets (all of them, after warming)."""
    conn = sqlite3.connect(path)
    try:
        rows = [(bytes(b), len(g)) for b, g in conn.execute(
            "SELECT body, gzipped FROM reader_buckets")]
    finally:
        conn.close()
    bodies = [b for b, _ in rows]
    full = sorted((r for r in rows if b'"entries":[]' not in r[0]), key=lambda r: len(r[0]))
    packed = {b: g for b, g in full}
    full = [b for b, _ in full]
    entries = [b.count(b'"hash":"') for b in full]
    return {"rendered": len(bodies), "non_empty": len(full),
            "median": statistics.median(len(b) for b in full), "max": len(full[-1]),
            "median_gzip": packed[full[len(full) // 2]], "max_gzip": packed[full[-1]],
            "entries_median": statistics.median(entries), "entries_max": max(entries),
            "keys": sum(entries)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--unseen", type=float, default=0.9,
                        help="share of requests for pages the service has never seen")
    parser.add_argument("--identity", action="store_true",
                        help="ask without Accept-Encoding: gzip (browsers always offer it)")
    parser.add_argument("--no-expired", action="store_true",
                        help="skip the run on an expired cache (it waits out max-age)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    OUT.mkdir(exist_ok=True)
    built = OUT / f"readers-{args.claims}.db"
    build(built, args.claims)
    known = known_prefixes(built, 10_000)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # A copy per run: the run renders buckets into it.
        db_path = tmp / "readers.db"
        shutil.copyfile(built, db_path)
        env = {"FACTCHECK_DATABASE": str(db_path), "FACTCHECK_SECRET_KEY": "bench",
               "FACTCHECK_INSTANCE_PATH": str(tmp / "instance"), "FACTCHECK_PROXY_FIX_X_FOR": "1"}
        mix, hello = tmp / "mix.lua", tmp / "hello.lua"
        mix.write_text(mix_script(known, args.unseen, seed=int(time.time()),
                                  gzip_ok=not args.identity))
        hello.write_text('request = function() return wrk.format("GET", "/hello") end\n')
        runs = {"bare": [], "cold": [], "direct": [], "edge": [], "expired": []}

        def measure(name: str, url: str, script: Path) -> None:
            runs[name].append(wrk(url, script, args.duration, args.connections))

        with gunicorn("wsgi:app", env, ready_path="/api/v1/lookup/0000") as base, \
                gunicorn("bench.bare_app:app", ready_path="/hello") as bare_base, \
                Nginx(tmp / "edge", f"127.0.0.1:{free_port()}", base) as edge:
            measure("bare", bare_base, hello)
            measure("cold", base, mix)
            rendered = ask_every_bucket(base, not args.identity)
            for _ in range(args.rounds):  # interleaved: the machine is shared
                if runs["direct"]:
                    measure("bare", bare_base, hello)
                measure("direct", base, mix)
                # Filled just before, so no copy expires during the run.
                filled = ask_every_bucket(edge.url, not args.identity)
                time.sleep(1.5)  # the access log is flushed every second
                log_from = edge.access_log.stat().st_size
                measure("edge", edge.url, mix)
                time.sleep(1.5)
                log_to = edge.access_log.stat().st_size
            if not args.no_expired:
                time.sleep(max_age(base) + 1)
                measure("expired", edge.url, mix)
        with open(edge.access_log, "rb") as log:
            log.seek(log_from)
            cache_log = log.read(log_to - log_from).decode()
        sizes = bucket_sizes(db_path)
    median = {k: statistics.median(v) for k, v in runs.items() if v}
    ratio = {k: v / median["bare"] for k, v in median.items()}
    statuses = {s: cache_log.count(f"cache={s} ") for s in ("HIT", "MISS", "UPDATING", "STALE",
                                                            "EXPIRED", "REVALIDATED")}
    print(f"database: {args.claims} published claims (articles of 5-10, one alias in ten)")
    print(f"mix: {args.unseen:.0%} unseen pages (random bucket), {1 - args.unseen:.0%} known"
          f" articles with a tracking parameter; wrk -t{WRK_THREADS} -c{args.connections}"
          f" -d{args.duration}s; {'identity' if args.identity else 'Accept-Encoding: gzip'};"
          f" {args.rounds} round(s), medians; 2 gunicorn workers"
          f" (gunicorn.conf.py); nginx worker_processes auto; all on one machine")
    print(f"bare Flask GET /hello:                  {median['bare']:8.0f} req/s")
    print(f"lookups to gunicorn, none rendered yet: {median['cold']:8.0f} req/s,"
          f" ratio {ratio['cold']:.2f}")
    print(f"  (then all {BUCKETS} buckets rendered in {rendered:.0f} s)")
    print(f"lookups to gunicorn, all rendered:      {median['direct']:8.0f} req/s,"
          f" ratio {ratio['direct']:.2f} (target >= 1)")
    print(f"  (nginx's cache filled with every bucket in {filled:.0f} s)")
    print(f"lookups through nginx, cache fresh:     {median['edge']:8.0f} req/s,"
          f" ratio {ratio['edge']:.2f} (target >= 10); "
          + ", ".join(f"{k} {v}" for k, v in statuses.items() if v))
    if "expired" in median:
        print(f"lookups through nginx, all expired:     {median['expired']:8.0f} req/s,"
              f" ratio {ratio['expired']:.2f} (each bucket's first request is served stale"
              f" and revalidated in the background)")
    print(f"buckets: {sizes['non_empty']} of {sizes['rendered']} non-empty; size median"
          f" {sizes['median']:.0f} B (gzip {sizes['median_gzip']} B), max {sizes['max']} B"
          f" (gzip {sizes['max_gzip']} B); entries median {sizes['entries_median']:.0f},"
          f" max {sizes['entries_max']}; {sizes['keys']} URL keys in all")


def max_age(base: str) -> int:
    with urllib.request.urlopen(base + "/api/v1/lookup/0000") as response:
        return int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"]).group(1))


if __name__ == "__main__":
    main()
