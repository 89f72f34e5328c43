"""A local web server for the fetcher's tests: pages, redirects and
misbehaving answers served from 127.0.0.1, reachable by the fetcher only
with FETCH_ALLOW_PRIVATE_HOSTS on.

    server.route("/story", body=b"<html>...", headers={"ETag": '"v1"'})
    server.url("/story")   # http://127.0.0.1:PORT/story
    server.requests        # what each request asked for (path, headers)
"""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

PAGES = Path(__file__).parent / "fixtures" / "pages"


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    # Answer 304 when the request's If-None-Match is this.
    etag: str | None = None
    # Send this many bytes, then stop answering (a slow page).
    stall_after: int | None = None


class PageServer:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict]] = []
        self.stall = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                self.send_response(route.status)
                headers = {"Content-Type": "text/html; charset=utf-8",
                           "Content-Length": str(len(route.body)), **route.headers}
                if route.etag:
                    headers["ETag"] = route.etag
                for name, value in headers.items():
                    if value is not None:
                        self.send_header(name, value)
                self.end_headers()
                if route.stall_after is not None:
                    self.wfile.write(route.body[:route.stall_after])
                    self.wfile.flush()
                    server.stall.wait(10)
                    return
                self.wfile.write(route.body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        # A short poll: shutdown() waits for it at each test's end.
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def route(self, path: str, **kwargs) -> str:
        self.routes[path] = Route(**kwargs)
        return self.url(path)

    def page(self, path: str, fixture: str, **kwargs) -> str:
        """Serve one of tests/fixtures/pages/ at ``path``."""
        return self.route(path, body=(PAGES / fixture).read_bytes(), **kwargs)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.route(path, status=status, headers={"Location": location})

    def close(self):
        self.stall.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def page_server():
    server = PageServer()
    yield server
    server.close()


def self_signed_certificate(directory: Path, hostname: str) -> tuple[Path, Path]:
    """(certificate, key) for ``hostname``, made with the openssl command."""
    import subprocess
    cert, key = directory / f"{hostname}.pem", directory / f"{hostname}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={hostname}", "-addext", f"subjectAltName=DNS:{hostname}",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


@pytest.fixture(scope="session")
def secure_test_certificate(tmp_path_factory) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path_factory.mktemp("tls"), "secure.test")


@pytest.fixture
def tls_page_server(secure_test_certificate):
    """A PageServer speaking TLS with a certificate for secure.test (and
    ``cert``, the file to trust for it)."""
    import ssl
    cert, key = secure_test_certificate
    server = PageServer()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    server.cert = cert
    yield server
    server.close()
