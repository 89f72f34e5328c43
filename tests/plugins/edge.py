"""The ``edge`` fixture: the repository's nginx (deploy/nginx.conf, rendered by
deploy/edge.py as ``make edge`` renders it) in front of any live server.

    def test_through_nginx(edge, live_server):          # or any upstream URL
        proxy = edge(live_server.url)                   # "http://127.0.0.1:PORT"
        response = requests.get(proxy.url + "/api/v1/lookup/ab12")
        response.headers["X-Cache-Status"]              # "MISS", then "HIT"

``edge(upstream_url)`` renders the config into the test's tmp_path, starts
nginx on a free loopback port and returns a ``deploy.edge.Nginx``: ``.url``
(the edge's base URL), ``.access_log``, ``.error_log``, ``.stop()``. Every
nginx started is stopped when the test ends. The upstream may be gunicorn
(tests/live_server.py) or the in-process server of tests/browser/conftest.py.

Without nginx (NGINX, else the PATH, else /usr/sbin/nginx) the test is
skipped on a developer machine and fails under CI=true, where .ci/run
installs it.
"""

import os
from pathlib import Path

import pytest

from bench.server import free_port
from deploy.edge import NGINX, Nginx


def require_nginx() -> None:
    if Path(NGINX).exists():
        return
    message = f"nginx not found at {NGINX} (apt-get install nginx)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + ": required under CI=true", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def edge(tmp_path):
    require_nginx()
    started = []

    def start(upstream: str) -> Nginx:
        proxy = Nginx(tmp_path / f"edge-{len(started)}", f"127.0.0.1:{free_port()}", upstream)
        started.append(proxy)
        return proxy.start()

    yield start
    for proxy in started:
        proxy.stop()
