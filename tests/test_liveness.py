"""Liveness: while imports keep the workers busy, an anonymous reader still
gets pages quickly.

A real gunicorn with the repository's gunicorn.conf.py (2 gthread workers).
Two kinds of load:

- the two pathological 5 MB uploads (`a\\n` × 2.6M, `<p>x</p>` × 650k) are
  refused early by the import limits, in well under a second each;
- four factcheckers import large but acceptable articles (4.6 MB of prose,
  3,800 passages, about a second of CPU each) back to back for 8 s, more
  work than the two workers have processes for.

Meanwhile an anonymous client asks for highlights every 100 ms. With
gunicorn's default sync workers each GET waits behind an import (median
about 0.8 s here, and only a handful of answers in 8 s); with gthread
workers a free thread answers at once (median under 10 ms).
"""

import os
import random
import statistics
import threading
import time

import pytest
import requests

from bench.abuse import line_flood, paragraph_flood, upload
from tests.live_server import GUNICORN, LiveServer, seed_database, session_for

READER_PATH = "/api/v1/highlights?url=https://news.example.com/nothing-here"
# The reader's typical answer while the imports run, and the slowest allowed
# (an idle server answers in ~10 ms; sync workers give a median of ~0.8 s).
MEDIAN_WITHIN = 0.25
SLOWEST_WITHIN = 2.0
LOAD_FOR = 8.0
IMPORTERS = 4
WORDS = ("the minister said that unemployment fell by three percent last year "
         "while critics noted").split()

pytestmark = pytest.mark.skipif(not os.path.exists(GUNICORN),
                                reason=f"gunicorn is not installed at {GUNICORN}")


def _long_article(seed: int) -> str:
    """4.6 MB of prose in 3,800 paragraphs: within every import limit."""
    rnd = random.Random(seed)
    return "\n\n".join(" ".join(rnd.choice(WORDS) for _ in range(200)) + "."
                       for _ in range(3800))


def _watch_reader(server, until) -> list[float]:
    """Seconds each anonymous GET took, one every 100 ms until ``until``."""
    took = []
    while time.monotonic() < until:
        started = time.perf_counter()
        response = requests.get(server.base + READER_PATH, timeout=SLOWEST_WITHIN * 5)
        took.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text[:200]
        time.sleep(0.1)
    return took


@pytest.fixture
def server(new_database, tmp_path):
    database = new_database(tmp_path / "liveness.db")
    seed_database(database)
    with LiveServer(database) as live:
        yield live


def test_pathological_uploads_are_refused_fast_while_readers_are_answered(server):
    session = session_for(server.base, "factchecker")
    statuses = []

    def send(filename, content):
        statuses.append(upload(session, server.base, filename, content,
                               url=f"https://news.example.com/{filename}", timeout=60).status_code)

    senders = [threading.Thread(target=send, args=args, daemon=True)
               for args in (("a.txt", line_flood()), ("p.html", paragraph_flood()))]
    for sender in senders:
        sender.start()
    took = _watch_reader(server, time.monotonic() + 2.0)
    for sender in senders:
        sender.join(timeout=30)

    assert statuses == [422, 422]
    assert max(took) < SLOWEST_WITHIN


def test_readers_are_answered_while_imports_keep_every_worker_busy(server):
    articles = [_long_article(n) for n in range(IMPORTERS)]
    sessions = [session_for(server.base, "factchecker") for _ in range(IMPORTERS)]
    until = time.monotonic() + LOAD_FOR
    imported = []

    def keep_importing(n: int) -> None:
        round_ = 0
        while time.monotonic() < until:
            response = upload(sessions[n], server.base, "long.txt", articles[n],
                              url=f"https://news.example.com/long/{n}/{round_}", timeout=60)
            imported.append(response.status_code)
            round_ += 1

    importers = [threading.Thread(target=keep_importing, args=(n,), daemon=True)
                 for n in range(IMPORTERS)]
    for importer in importers:
        importer.start()
    time.sleep(0.5)  # the first bodies have arrived and the work has started
    took = _watch_reader(server, until)
    for importer in importers:
        importer.join(timeout=60)

    # The imports were accepted (a redirect to the new article) and real work.
    assert imported and set(imported) == {302}, imported
    assert len(imported) >= IMPORTERS
    assert statistics.median(took) < MEDIAN_WITHIN, (
        f"median {statistics.median(took):.3f} s over {len(took)} GETs during "
        f"{len(imported)} imports")
    assert max(took) < SLOWEST_WITHIN
