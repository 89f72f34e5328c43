"""Crash safety: writes under load, kill -9 of a worker, then of the master
and its workers, restart on the same database. Every write the service
acknowledged (201) must be there, with its audit entry, in a database that
passes PRAGMA integrity_check.

A real gunicorn (gunicorn.conf.py, 2 workers) on a fresh migrated database;
four threads create claims through the API with a Bearer token.
"""

import os
import signal
import sqlite3
import threading
import time

import pytest
import requests

from tests.live_server import GUNICORN, LiveServer, seed_database

WRITERS = 4
pytestmark = pytest.mark.skipif(not os.path.exists(GUNICORN),
                                reason=f"gunicorn is not installed at {GUNICORN}")


class ClaimWriters:
    """Threads creating claims as fast as the service takes them, each
    acknowledged id kept; refused connections (a crash) are retried."""

    def __init__(self, server: LiveServer, headers: dict, passage: dict):
        self.server, self.headers, self.passage = server, headers, passage
        self.acknowledged: list[int] = []
        self.refused: list[int] = []  # statuses other than 201: none expected
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._write, daemon=True) for _ in range(WRITERS)]

    def _write(self) -> None:
        session = requests.Session()
        length = len(self.passage["text"])
        n = 0
        while not self.stopping.is_set():
            n += 1
            start = n % (length - 1)
            try:
                response = session.post(f"{self.server.base}/api/v1/claims", headers=self.headers,
                                        json={"passage_id": self.passage["id"], "start": start,
                                              "end": start + 1, "verdict": "unverified"},
                                        timeout=10)
            except requests.RequestException:
                session = requests.Session()  # the connection died with its worker
                time.sleep(0.02)
                continue
            if response.status_code == 201:
                self.acknowledged.append(response.json()["id"])
            else:
                self.refused.append(response.status_code)

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def wait_for(self, count: int, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < count:
            assert time.monotonic() < deadline, \
                f"only {len(self.acknowledged)} of {count} writes acknowledged"
            time.sleep(0.02)

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=15)


def test_acknowledged_writes_survive_kill_9_of_workers_and_master(new_database, tmp_path):
    database = new_database(tmp_path / "crash.db")
    headers = seed_database(database)["headers"]
    with LiveServer(database) as server:
        response = requests.post(f"{server.base}/api/v1/articles", headers=headers, timeout=30,
                                 json={"url": "https://news.example.com/crash",
                                       "text": "The minister said unemployment fell by 3%.\n"})
        assert response.status_code == 201, response.text
        passage = response.json()["article"]["passages"][0]
        writers = ClaimWriters(server, headers, passage)
        writers.start()
        try:
            writers.wait_for(50)
            # A worker dies mid-load: the master replaces it, writes go on.
            os.kill(server.worker_pids()[0], signal.SIGKILL)
            writers.wait_for(len(writers.acknowledged) + 100)
            # The whole service dies mid-load, nothing shut down cleanly.
            server.kill()
        finally:
            writers.stop()

    acknowledged = set(writers.acknowledged)
    assert len(acknowledged) == len(writers.acknowledged) >= 150
    assert writers.refused == []

    with LiveServer(database) as restarted:
        # It serves the claims and takes new writes (no lock left behind).
        for claim_id in sorted(acknowledged)[::25]:
            got = requests.get(f"{restarted.base}/api/v1/claims/{claim_id}", headers=headers,
                               timeout=10)
            assert got.status_code == 200, (claim_id, got.text)
        created = requests.post(f"{restarted.base}/api/v1/claims", headers=headers, timeout=10,
                                json={"passage_id": passage["id"], "start": 0, "end": 3,
                                      "verdict": "denied"})
        assert created.status_code == 201, created.text

    check = sqlite3.connect(database)
    try:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {row[0] for row in check.execute("SELECT id FROM claims")}
        audited = {row[0] for row in check.execute(
            "SELECT entity_id FROM audit_log WHERE entity = 'claim' AND action = 'create'")}
    finally:
        check.close()
    assert acknowledged - stored == set(), "acknowledged claims lost in the crash"
    assert acknowledged - audited == set(), "acknowledged claims without their audit entry"
