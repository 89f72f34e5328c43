"""What each abusive input costs the service, and whether readers still get answers.

    .venv/bin/python bench/abuse.py [--only NAME ...] [--timeout 120]

For each input: a fresh migrated database (any big set-up written through
the Store, not timed), a real gunicorn with gunicorn.conf.py (2 workers),
then the abusive request(s) while an anonymous reader loads the article list
(GET /) every 100 ms. Printed as a Markdown table: the answer's status(es),
the time of the abusive request(s), the peak resident memory of the busiest
worker while they ran (sampled from /proc every 20 ms; idle figure beside
it), and the slowest and median anonymous GET meanwhile. The first row is the
baseline: the anonymous GET alone, on the same machine in the same run.
"""

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from annotations.importer import ImportLimits, parse_article  # noqa: E402
from annotations.models import DomainError  # noqa: E402
from annotations.store import SYSTEM, Store, open_database  # noqa: E402
from factcheck.auth import hash_password  # noqa: E402
from tests.live_server import LiveServer, seed_database, session_for  # noqa: E402
from tests.plugins.database import copy_database, migrate_template  # noqa: E402

ARTICLE_URL = "https://news.example.com/abuse"


# -- the inputs (tests/test_liveness.py sends two of them too) ----------------------

def line_flood() -> str:
    """5 MB of one-letter lines: 2.6 million passages if nothing stops it."""
    return "a\n" * 2_600_000


def div_flood() -> str:
    """1 MB of unclosed <div>s: 200,000 levels of nesting."""
    return "<div>" * 200_000


def paragraph_flood() -> str:
    """5 MB of tiny paragraphs: 650,000 passages."""
    return "<p>x</p>" * 650_000


def upload(session: requests.Session, base: str, filename: str, content: str,
           url: str = ARTICLE_URL, timeout: float = 120) -> requests.Response:
    """The import form's file upload, as a browser sends it."""
    return session.post(f"{base}/import", data={"url": url, "format": "auto"},
                        files={"file": (filename, content.encode())},
                        allow_redirects=False, timeout=timeout)


# -- set-ups through the Store (not timed) -------------------------------------------

# Set-ups stand for articles stored before the import limits existed: the
# quote and page bounds must hold for them too.
_NO_LIMITS = ImportLimits(max_passages=10**7, max_passage_chars=10**7)


def _import(store: Store, text: str, url: str = ARTICLE_URL, kind: str = "text") -> int:
    parsed = parse_article(text, kind, limits=_NO_LIMITS)
    return store.import_article(url, parsed, SYSTEM, title="abuse").article_id


def _published_claims(store: Store, passage: dict, count: int, rationale: str = "") -> None:
    # As if the claims were made before the claims-per-article cap existed.
    store.max_claims_per_article = count + 1
    with store.transaction():
        for n in range(count):
            start = n % (len(passage["text"]) - 5)
            claim = store.create_claim(passage["id"], start, start + 5, "unverified", SYSTEM,
                                       rationale=rationale)
            store.transition_claim(claim["id"], "submit", SYSTEM)
            store.transition_claim(claim["id"], "approve", SYSTEM)


@dataclass
class Case:
    name: str
    setup: callable  # (store, users) -> context for send
    send: callable  # (server, headers, context, timeout) -> list of statuses


def _post(server, headers, path, timeout, **kwargs) -> list:
    return [requests.post(server.base + path, headers=headers, timeout=timeout,
                          **kwargs).status_code]


def _upload_case(filename, content):
    def send(server, headers, context, timeout):
        session = session_for(server.base, "factchecker")
        return [upload(session, server.base, filename, content(), timeout=timeout).status_code]
    return send


def _api_import(html):
    def send(server, headers, context, timeout):
        return _post(server, headers, "/api/v1/articles", timeout,
                     json={"url": ARTICLE_URL, "html": html()})
    return send


def _quote_repeats(store, users):
    article_id = _import(store, "a" * 300_000 + "b\n")
    return {"passage_id": store.passages(article_id)[0]["id"],
            "selector": {"exact": "a" * 1000, "prefix": "x", "suffix": ""}}


def _quote_on_long_article(store, users):
    text = "".join(f"Teh budget line {n} was cut, then budget line {n} was cut again.\n"
                   for n in range(20_000))
    passage = store.passages(_import(store, text))[10_000]
    # Twice in the passage; the prefix matches neither exactly: a fuzzy search.
    exact = passage["text"].split(",")[0].removeprefix("Teh ")
    return {"passage_id": passage["id"],
            "selector": {"exact": exact, "prefix": "The ", "suffix": ""}}


def _claim_by_quote(server, headers, context, timeout):
    return _post(server, headers, "/api/v1/claims", timeout,
                 json={**context, "verdict": "unverified"})


def _big_highlights(store, users):
    article_id = _import(store, "The minister said unemployment fell by three percent.\n")
    _published_claims(store, store.passages(article_id)[0], 450, rationale="r" * 2000)


def _highlights_with_tracking(server, headers, context, timeout):
    with requests.Session() as session:
        return [session.get(f"{server.base}/api/v1/highlights",
                            params={"url": f"{ARTICLE_URL}?utm_source=n{n}"},
                            timeout=timeout).status_code for n in range(300)]


def _cjk_corpus(store, users):
    rng = random.Random(0)
    alphabet = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年新闻政府经济"
    with store.transaction():
        for n in range(60):  # 60 articles of ~1 MB (3 bytes a character)
            lines = ("".join(rng.choices(alphabet, k=100)) + "。" for _ in range(3300))
            _import(store, "\n".join(lines), url=f"{ARTICLE_URL}/{n}")


def _anonymous_search(server, headers, context, timeout):
    return [requests.get(f"{server.base}/", params={"q": "新闻政府"}, timeout=timeout).status_code]


def _many_published_claims(store, users):
    article_id = _import(store, "The minister said unemployment fell by three percent.\n")
    _published_claims(store, store.passages(article_id)[0], 10_000)
    return article_id


def _article_page(server, headers, article_id, timeout):
    return [requests.get(f"{server.base}/articles/{article_id}", timeout=timeout).status_code]


def _many_citation_edits(store, users):
    """900 citations added to one claim, the oldest removed past the cap:
    900 adds (and as many removals) in its history."""
    article_id = _import(store, "The minister said unemployment fell by three percent.\n")
    claim = store.create_claim(store.passages(article_id)[0]["id"], 4, 12, "unverified", SYSTEM)
    with store.transaction():
        for n in range(900):
            citations = store.citations(claim["id"])
            if len(citations) >= 50:
                store.delete_citation(citations[0]["id"], SYSTEM)
            store.add_citation(claim["id"], {"url": f"https://source.example.org/{n}",
                                             "title": f"Source {n}"}, SYSTEM)
    return claim["id"]


def _history(server, headers, claim_id, timeout):
    return [requests.get(f"{server.base}/api/v1/claims/{claim_id}/history", headers=headers,
                         timeout=timeout).status_code]


def _login_target(store, users):
    # A real (slow) password hash, as production stores it.
    store.create_user("target", hash_password("the right one"), "reader")


def _wrong_logins(server, headers, context, timeout):
    def attempt(n):
        return requests.post(f"{server.base}/api/v1/session", timeout=timeout,
                             json={"username": "target", "password": f"wrong {n}"}).status_code
    with ThreadPoolExecutor(40) as pool:
        return list(pool.map(attempt, range(40)))


def _nested_brackets(server, headers, context, timeout):
    return _post(server, {**headers, "Content-Type": "application/json"}, "/api/v1/claims",
                 timeout, data="[" * 100_000)


def _many_citations(server, headers, context, timeout):
    body = ('{"passage_id": 1, "start": 0, "end": 1, "verdict": "unverified", "citations": ['
            + ",".join(["{}"] * 200_000) + "]}")
    return _post(server, {**headers, "Content-Type": "application/json"}, "/api/v1/claims",
                 timeout, data=body)


def _nothing(store, users):
    return None


CASES = [
    Case("5 MB upload of `a\\n` × 2.6M (passages)", _nothing, _upload_case("a.txt", line_flood)),
    Case("HTML import `<div>` × 200k (1 MB, API)", _nothing, _api_import(div_flood)),
    Case("HTML upload `<p>x</p>` × 650k (5 MB)", _nothing,
         _upload_case("p.html", paragraph_flood)),
    Case("claim by quote, quote occurs ~300k times", _quote_repeats, _claim_by_quote),
    Case("claim by quote (fuzzy) on a 20k-passage article", _quote_on_long_article,
         _claim_by_quote),
    Case("300 highlights GETs, 1 MB answer, new tracking parameter each", _big_highlights,
         _highlights_with_tracking),
    Case("anonymous CJK search over ~60 MB of text", _cjk_corpus, _anonymous_search),
    Case("article page with 10,000 published claims on one passage", _many_published_claims,
         _article_page),
    Case("history of a claim after 900 citations added", _many_citation_edits, _history),
    Case("`[` × 100k as a JSON body", _nothing, _nested_brackets),
    Case("citations list of 200k items", _nothing, _many_citations),
    Case("40 concurrent wrong logins for one account", _login_target, _wrong_logins),
]


# -- measuring -----------------------------------------------------------------------

class Sampler(threading.Thread):
    """Polls in the background until stopped: ``probe()`` every ``interval`` s."""

    def __init__(self, probe, interval: float):
        super().__init__(daemon=True)
        self.probe, self.interval = probe, interval
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            self.probe()
            self.stopping.wait(self.interval)

    def stop(self):
        self.stopping.set()
        self.join()


@dataclass
class Row:
    name: str
    statuses: str
    seconds: float
    peak_mb: float
    idle_mb: float
    get_max_ms: float
    get_median_ms: float
    gets: int

    def markdown(self) -> str:
        return (f"| {self.name} | {self.statuses} | {self.seconds:.2f} s | "
                f"{self.peak_mb:.0f} MB (idle {self.idle_mb:.0f}) | "
                f"{self.get_max_ms:.0f} ms (median {self.get_median_ms:.0f}, {self.gets} GETs) |")


def _summary(statuses: list) -> str:
    counts = Counter(statuses)
    return ", ".join(f"{s}" if n == 1 else f"{s} ×{n}" for s, n in sorted(counts.items(), key=str))


def measure(name: str, server: LiveServer, action) -> Row:
    """Run ``action()`` (returns statuses) beside an anonymous GET / poller."""
    idle_kb = server.rss_kb()
    peak = [0]
    times = []

    def sample_rss():
        peak[0] = max(peak[0], server.rss_kb())

    def anonymous_get():
        started = time.perf_counter()
        try:
            requests.get(server.base + "/", timeout=120)
        except requests.RequestException:
            pass
        times.append((time.perf_counter() - started) * 1000)

    samplers = [Sampler(sample_rss, 0.02), Sampler(anonymous_get, 0.1)]
    for sampler in samplers:
        sampler.start()
    started = time.perf_counter()
    try:
        statuses = action()
    except requests.Timeout:
        statuses = ["timeout"]
    except requests.RequestException as error:
        statuses = [f"error: {type(error).__name__}"]
    seconds = time.perf_counter() - started
    for sampler in samplers:
        sampler.stop()
    return Row(name, _summary(statuses), seconds, peak[0] / 1024, idle_kb / 1024,
               max(times, default=0), statistics.median(times) if times else 0, len(times))


def run_case(number: int, case: Case, template: Path, workdir: Path, timeout: float) -> Row:
    database = copy_database(template, workdir / f"case-{number}.db")
    seeded = seed_database(database)
    with Store(open_database(database)) as store:
        try:
            context = case.setup(store, seeded["users"])
        except DomainError as error:
            return Row(case.name, f"set-up refused: {error.message}", 0, 0, 0, 0, 0, 0)
    with LiveServer(database) as server:
        return measure(case.name, server,
                       lambda: case.send(server, seeded["headers"], context, timeout))


def baseline(template: Path, workdir: Path) -> Row:
    database = copy_database(template, workdir / "baseline.db")
    seed_database(database)
    with LiveServer(database) as server:
        return measure("baseline: anonymous GET / alone (3 s)", server,
                       lambda: time.sleep(3) or ["-"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=(),
                        help="run the cases whose name contains one of these words")
    parser.add_argument("--timeout", type=float, default=120,
                        help="seconds before an abusive request counts as timed out")
    args = parser.parse_args()
    cases = [c for c in CASES if not args.only or any(w in c.name for w in args.only)]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        template = migrate_template(workdir / "template.db")
        print("| input | status | request time | worker peak RSS |"
              " concurrent anonymous GET / (max) |")
        print("| --- | --- | --- | --- | --- |")
        print(baseline(template, workdir).markdown(), flush=True)
        for number, case in enumerate(cases):
            print(run_case(number, case, template, workdir, args.timeout).markdown(), flush=True)


if __name__ == "__main__":
    main()
