"""A real gunicorn, with the repository's gunicorn.conf.py, on a database file:
for what only processes show (crashes, liveness under load, memory). Used by
tests/test_crash.py, tests/test_liveness.py and bench/abuse.py.

``seed_database(path)`` puts an account per role and a factchecker's Bearer
token in a migrated database; ``LiveServer(path).start()`` serves it on a
free loopback port; ``worker_pids()``, ``peak_rss_kb()`` and ``kill()`` look
at and crash its processes through /proc and signals.
"""

import os
import signal
import subprocess
import time
from pathlib import Path

import requests

from bench.server import GUNICORN, ROOT, free_port
from tests.helpers import FAST_HASH, PASSWORD, ROLES, bearer, make_token, open_store

CONFIG = ROOT / "gunicorn.conf.py"
READY_PATH = "/api/v1/articles?limit=1"

__all__ = ["GUNICORN", "PASSWORD", "LiveServer", "seed_database", "session_for"]


def seed_database(path) -> dict:
    """One account per role (password PASSWORD) and a factchecker token in the
    migrated database at ``path``: {"users": {...}, "headers": Bearer headers}."""
    with open_store(path) as store:
        users = {role: store.create_user(role, FAST_HASH, role) for role in ROLES}
    token, _ = make_token(path, users["factchecker"]["id"], "live server")
    return {"users": users, "headers": bearer(token)}


def session_for(base: str, username: str) -> requests.Session:
    """A browser-like session logged in as ``username``, its CSRF token in
    X-CSRFToken, for the UI's forms (uploads over the API's 1 MB cap)."""
    session = requests.Session()
    response = session.post(f"{base}/api/v1/session",
                            json={"username": username, "password": PASSWORD}, timeout=30)
    response.raise_for_status()
    session.headers["X-CSRFToken"] = response.json()["csrf_token"]
    return session


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                # The command name may hold spaces: the fields after the last ')'.
                fields = f.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return found


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


class LiveServer:
    def __init__(self, database, workers: int = 2, extra_args: tuple = ()):
        self.database = Path(database)
        self.workers = workers
        self.extra_args = tuple(extra_args)  # e.g. ("--worker-class", "sync") to compare
        self.port = None
        self.process = None
        self.log = self.database.parent / f"{self.database.stem}-gunicorn.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> "LiveServer":
        """Start gunicorn and wait until every worker is up and it answers."""
        self.port = free_port()
        env = {**os.environ,
               "FACTCHECK_DATABASE": str(self.database),
               "FACTCHECK_INSTANCE_PATH": str(self.database.parent / "instance"),
               "FACTCHECK_SECRET_KEY": "live-server"}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [GUNICORN, "--config", str(CONFIG), "--workers", str(self.workers),
                 "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
                 *self.extra_args, "wsgi:app"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                answered = requests.get(self.base + READY_PATH, timeout=2).status_code == 200
            except requests.RequestException:
                answered = False
            if answered and len(self.worker_pids()) >= self.workers:
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not serve {self.database}:\n{self.log.read_text()}")

    def worker_pids(self) -> list[int]:
        return _children(self.process.pid)

    def peak_rss_kb(self) -> int:
        """The largest resident-set high-water mark among the live workers."""
        return max((_status_kb(pid, "VmHWM") for pid in self.worker_pids()), default=0)

    def rss_kb(self) -> int:
        """The largest current resident set among the live workers."""
        return max((_status_kb(pid, "VmRSS") for pid in self.worker_pids()), default=0)

    def kill(self) -> None:
        """kill -9 of the master and its workers: a crash, nothing flushed."""
        workers = self.worker_pids()
        self.process.send_signal(signal.SIGKILL)
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
