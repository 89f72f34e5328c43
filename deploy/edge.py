"""nginx in front of gunicorn, from the repository's template (deploy/nginx.conf).

    .venv/bin/python deploy/edge.py [--listen 127.0.0.1:8080] [--upstream 127.0.0.1:8001]
        [--workers 2] [--dir instance/edge]

(``make edge`` runs it after migrating.) Starts gunicorn with gunicorn.conf.py
on the internal address, nginx on the public one, prints the URLs and stops
both on Ctrl-C. ``render``, ``write_config`` and ``Nginx`` are what the tests
(tests/plugins/edge.py) and bench/readers.py use: no Flask import here.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf")
NGINX = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def render(template: str, **values: str) -> str:
    """The template with each ``{{name}}`` replaced; a placeholder without a
    value, or a value for no placeholder, is an error rather than a config
    nginx would read differently."""
    wanted = set(_PLACEHOLDER.findall(template))
    if wanted != set(values):
        raise ValueError(f"template wants {sorted(wanted)}, given {sorted(values)}")
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


def host_port(address: str) -> str:
    """"http://127.0.0.1:8001/" or "127.0.0.1:8001" -> "127.0.0.1:8001"."""
    return re.sub(r"^[a-z]+://", "", address).rstrip("/")


def write_config(directory, listen: str, upstream: str, template: Path = TEMPLATE) -> Path:
    """Render the template for an nginx that keeps everything (pid, logs,
    cache, temporary files) under ``directory``; returns the config's path."""
    directory = Path(directory).resolve()
    for sub in ("run", "log", "cache"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    # Started as root (a CI container), nginx would run its workers as
    # "nobody", who cannot enter a private temporary directory: keep the
    # starting account, as an unprivileged start does anyway.
    user = "user root;" if os.geteuid() == 0 else ""
    config = render(template.read_text(), listen=host_port(listen), upstream=host_port(upstream),
                    run_dir=directory / "run", log_dir=directory / "log",
                    cache_dir=directory / "cache", user=user)
    path = directory / "nginx.conf"
    path.write_text(config)
    return path


def wait_for_port(address: str, process: subprocess.Popen, what: str,
                  timeout: float = 30.0) -> None:
    host, port = host_port(address).rsplit(":", 1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode}")
        try:
            with socket.create_connection((host, int(port)), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {address} within {timeout:.0f} s")


class Nginx:
    """One nginx (master in the foreground, as our child) for a rendered config."""

    def __init__(self, directory, listen: str, upstream: str, template: Path = TEMPLATE):
        self.directory = Path(directory).resolve()
        self.listen = host_port(listen)
        self.upstream = host_port(upstream)
        self.template = template
        self.process = None

    @property
    def url(self) -> str:
        return f"http://{self.listen}"

    @property
    def error_log(self) -> Path:
        return self.directory / "log" / "error.log"

    @property
    def access_log(self) -> Path:
        return self.directory / "log" / "access.log"

    def start(self, timeout: float = 30.0) -> "Nginx":
        if not Path(NGINX).exists():
            raise FileNotFoundError(f"nginx not found at {NGINX} (apt-get install nginx)")
        config = write_config(self.directory, self.listen, self.upstream, self.template)
        # -p: relative paths nginx may still look up (mime types...) stay here.
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.directory), "-c", str(config), "-g", "daemon off;"],
            stdin=subprocess.DEVNULL)
        try:
            wait_for_port(self.listen, self.process, "nginx", timeout)
        except RuntimeError as error:
            self.stop()
            log = self.error_log.read_text() if self.error_log.exists() else ""
            raise RuntimeError(f"{error}\n{log}") from None
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # fast shutdown of the master and its workers
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def __enter__(self) -> "Nginx":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def start_gunicorn(bind: str, workers: int, env: dict) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    return subprocess.Popen(
        [gunicorn, "--config", str(ROOT / "gunicorn.conf.py"), "--workers", str(workers),
         "--bind", bind, "wsgi:app"],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL)


def _interrupt(signum, frame):
    """Ctrl-C or SIGTERM (a supervisor, `kill`) stops both."""
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="127.0.0.1:8080", help="nginx's address")
    parser.add_argument("--upstream", default="127.0.0.1:8001", help="gunicorn's address")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--dir", default=str(ROOT / "instance" / "edge"),
                        help="nginx's config, pid, logs and cache")
    args = parser.parse_args()

    # Set even when started with SIGINT ignored (from a script, with &).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    # One proxy in front: the app believes its X-Forwarded-For/-Proto (the
    # client's address for login throttling, https links behind TLS).
    env = {"FACTCHECK_PROXY_FIX_X_FOR": "1", **os.environ}
    app = start_gunicorn(args.upstream, args.workers, env)
    edge = Nginx(args.dir, args.listen, args.upstream)
    try:
        wait_for_port(args.upstream, app, "gunicorn")
        edge.start()
        print(f"\n  Fact desk, through nginx: {edge.url}/"
              f"\n  Log in at {edge.url}/login with the admin account above."
              f"\n  Readers' lookups are cached: {edge.url}/api/v1/lookup/0000 (X-Cache-Status)"
              f"\n  gunicorn itself (uncached): http://{args.upstream}/"
              f"\n  nginx config and logs: {edge.directory}"
              f"\n  Ctrl-C stops both.\n", flush=True)
        while app.poll() is None and edge.process.poll() is None:
            time.sleep(0.5)
        print("gunicorn or nginx stopped; stopping the other", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        edge.stop()
        if app.poll() is None:
            app.terminate()
            try:
                app.wait(timeout=30)
            except subprocess.TimeoutExpired:
                app.kill()


if __name__ == "__main__":
    sys.exit(main())
