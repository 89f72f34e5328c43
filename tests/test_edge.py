"""nginx in front of gunicorn (deploy/nginx.conf, ``make edge``): readers'
lookups and highlights come from nginx's cache, honouring the app's
Cache-Control and ETag; sessions, writes and anything carrying credentials or
setting a cookie are passed through, never stored."""

import http.client
import threading
import time

import pytest
import requests
from werkzeug.serving import make_server

from annotations.lookup import bucket_prefix, key_hash
from annotations.urls import url_key
from deploy.edge import render
from tests.helpers import PASSWORD
from tests.live_server import LiveServer, seed_database

ARTICLE_URL = "https://news.example.com/2026/bridge-reopens"
SOURCE = [{"url": "https://records.example.org/bridge"}]


@pytest.fixture
def origin(db_path, monkeypatch):
    """The real app under gunicorn, believing one proxy's X-Forwarded-For."""
    monkeypatch.setenv("FACTCHECK_PROXY_FIX_X_FOR", "1")
    seeded = seed_database(db_path)
    with LiveServer(db_path) as server:
        server.seeded = seeded
        yield server


def bucket_path(url: str) -> str:
    return "/api/v1/lookup/" + bucket_prefix(key_hash(url_key(url)))


def entry_for(response, url: str) -> dict:
    hashed = key_hash(url_key(url))
    return next(e for e in response.json()["entries"] if e["hash"] == hashed)


def published_article(factories, url: str = ARTICLE_URL) -> dict:
    article = factories.article(url=url)
    factories.claim(article, "bridge", verdict="verified", citations=SOURCE, published=True)
    return article


def test_a_bucket_is_fetched_once_then_served_by_nginx(edge, origin, factories):
    published_article(factories)
    proxy = edge(origin.base)
    path = bucket_path(ARTICLE_URL)

    first = requests.get(proxy.url + path, timeout=10)
    second = requests.get(proxy.url + path, timeout=10)

    assert first.status_code == second.status_code == 200
    assert first.headers["X-Cache-Status"] == "MISS"
    assert second.headers["X-Cache-Status"] == "HIT"
    assert second.content == first.content
    assert [c["selector"]["exact"] for c in entry_for(second, ARTICLE_URL)["claims"]] == ["bridge"]
    # What the app said about caching and CORS reaches the reader unchanged.
    assert second.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert "max-age=60" in second.headers["Cache-Control"]
    assert second.headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in second.headers


def test_the_etag_passes_through_and_nginx_answers_304(edge, origin, factories):
    published_article(factories)
    proxy = edge(origin.base)
    path = bucket_path(ARTICLE_URL)
    direct = requests.get(origin.base + path, timeout=10)
    through = requests.get(proxy.url + path, timeout=10)
    assert through.headers["ETag"] == direct.headers["ETag"]

    conditional = requests.get(proxy.url + path, timeout=10,
                               headers={"If-None-Match": through.headers["ETag"]})
    other = requests.get(proxy.url + path, timeout=10, headers={"If-None-Match": '"other"'})

    assert conditional.status_code == 304
    assert conditional.content == b""
    assert conditional.headers["X-Cache-Status"] == "HIT"  # nginx's own 304
    assert conditional.headers["ETag"] == direct.headers["ETag"]
    assert other.status_code == 200 and other.content == direct.content


def test_highlights_are_cached_too(edge, origin, factories):
    published_article(factories)
    proxy = edge(origin.base)
    path = "/api/v1/highlights"
    params = {"url": ARTICLE_URL + "?utm_source=feed"}

    first = requests.get(proxy.url + path, params=params, timeout=10)
    second = requests.get(proxy.url + path, params=params, timeout=10)

    assert (first.headers["X-Cache-Status"], second.headers["X-Cache-Status"]) == ("MISS", "HIT")
    assert [c["selector"]["exact"] for c in second.json()["claims"]] == ["bridge"]


def test_a_publication_is_at_the_origin_at_once_and_at_the_edge_within_max_age(
        edge, db_path, factories, monkeypatch):
    # The lag nginx may add is the app's max-age (60 s in production): 2 s here.
    max_age = 2
    monkeypatch.setenv("FACTCHECK_LOOKUP_MAX_AGE", str(max_age))
    article = published_article(factories)
    with LiveServer(db_path) as server:
        proxy = edge(server.base)
        path = bucket_path(ARTICLE_URL)
        before = requests.get(proxy.url + path, timeout=10)
        assert before.headers["X-Cache-Status"] == "MISS"

        factories.claim(article, "figure", verdict="denied", citations=SOURCE, published=True)
        published = time.monotonic()
        at_origin = requests.get(server.base + path, timeout=10)
        at_edge = requests.get(proxy.url + path, timeout=10)

        assert at_origin.headers["ETag"] != before.headers["ETag"]
        assert {c["selector"]["exact"] for c in entry_for(at_origin, ARTICLE_URL)["claims"]} == {
            "bridge", "figure"}
        # The edge still has its copy: readers see the claim within max-age.
        assert at_edge.headers["ETag"] == before.headers["ETag"]
        while True:
            latest = requests.get(proxy.url + path, timeout=10)
            if latest.headers["ETag"] == at_origin.headers["ETag"]:
                break
            assert time.monotonic() - published < max_age + 3, "the edge kept its old copy"
            time.sleep(0.1)
        assert latest.content == at_origin.content


def test_with_the_app_down_readers_get_the_cached_bucket_and_others_a_json_error(
        edge, db_path, factories, monkeypatch):
    monkeypatch.setenv("FACTCHECK_LOOKUP_MAX_AGE", "1")
    published_article(factories)
    path = bucket_path(ARTICLE_URL)
    with LiveServer(db_path) as server:
        proxy = edge(server.base)
        cached = requests.get(proxy.url + path, timeout=10)
    time.sleep(1.5)  # past max-age: only a stale copy is left

    bucket = requests.get(proxy.url + path, timeout=10)
    articles = requests.get(proxy.url + "/api/v1/articles", timeout=10)

    assert bucket.status_code == 200 and bucket.content == cached.content
    assert bucket.headers["X-Cache-Status"] in ("STALE", "UPDATING")
    assert articles.status_code == 503
    assert articles.json()["error"]["code"] == "unavailable"
    assert articles.headers["Access-Control-Allow-Origin"] == "*"


def test_a_bad_prefix_gets_the_apps_error_and_is_not_stored(edge, origin):
    proxy = edge(origin.base)
    answers = [requests.get(proxy.url + "/api/v1/lookup/ABCD", timeout=10) for _ in range(2)]
    for answer in answers:
        assert answer.status_code == 422
        assert answer.json()["error"]["field"] == "prefix"
    assert [a.headers["X-Cache-Status"] for a in answers] == ["MISS", "MISS"]


def test_requests_with_credentials_neither_read_nor_fill_the_cache(edge, origin, factories):
    published_article(factories)
    proxy = edge(origin.base)
    path = bucket_path(ARTICLE_URL)
    token = origin.seeded["headers"]

    with_token = [requests.get(proxy.url + path, headers=token, timeout=10) for _ in range(2)]
    anonymous = requests.get(proxy.url + path, timeout=10)

    assert [r.headers["X-Cache-Status"] for r in with_token] == ["BYPASS", "BYPASS"]
    assert anonymous.headers["X-Cache-Status"] == "MISS"


def test_sessions_and_writes_go_to_the_app_every_time(edge, origin):
    proxy = edge(origin.base)
    forms = [requests.get(proxy.url + "/login", timeout=10) for _ in range(2)]
    assert [f.status_code for f in forms] == [200, 200]
    # Each visitor gets a session cookie of their own, never a stored one.
    assert forms[0].cookies.get("session") != forms[1].cookies.get("session")

    editor = requests.Session()
    login = editor.post(proxy.url + "/api/v1/session", timeout=10,
                        json={"username": "editor", "password": PASSWORD})
    assert login.status_code == 200 and "session" in login.cookies
    assert editor.get(proxy.url + "/api/v1/session", timeout=10).json()["user"]["username"] == \
        "editor"
    assert requests.get(proxy.url + "/api/v1/session", timeout=10).json()["user"] is None

    token = origin.seeded["headers"]
    listed = requests.get(proxy.url + "/api/v1/articles", headers=token, timeout=10).json()
    created = requests.post(proxy.url + "/api/v1/articles", headers=token, timeout=10,
                            json={"url": ARTICLE_URL, "text": "The bridge is open again.\n"})
    assert created.status_code == 201
    relisted = requests.get(proxy.url + "/api/v1/articles", headers=token, timeout=10).json()
    assert relisted["total"] == listed["total"] + 1
    for response in (*forms, login, created):
        assert "X-Cache-Status" not in response.headers


def test_an_answer_setting_a_cookie_is_never_stored(edge, tmp_path):
    """Even one the origin calls public: a cookie is someone's own."""
    served = []

    def cookie_origin(environ, start_response):
        served.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "application/json"),
                                  ("Cache-Control", "public, max-age=60"),
                                  ("Set-Cookie", f"visitor={len(served)}; HttpOnly")])
        return [b'{"prefix":"ab12","entries":[]}']

    server = make_server("127.0.0.1", 0, cookie_origin, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        proxy = edge(f"http://127.0.0.1:{server.server_port}")
        answers = [requests.get(proxy.url + "/api/v1/lookup/ab12", timeout=10) for _ in range(2)]
    finally:
        server.shutdown()
        thread.join(timeout=10)
    assert len(served) == 2
    assert [a.cookies["visitor"] for a in answers] == ["1", "2"]
    assert [a.headers["X-Cache-Status"] for a in answers] == ["MISS", "MISS"]


def test_the_app_sees_each_clients_own_address(edge, origin):
    """Login throttling counts failures per client: behind nginx each client
    is still itself (X-Forwarded-For, PROXY_FIX_X_FOR=1), and a forged
    X-Forwarded-For does not make one client another."""
    proxy = edge(origin.base)
    host, port = proxy.listen.rsplit(":", 1)

    def log_in(source: str, password: str, forged: str | None = None) -> int:
        # Loopback has every 127.x address: two "clients" on one machine.
        connection = http.client.HTTPConnection(host, int(port), timeout=10,
                                                source_address=(source, 0))
        headers = {"Content-Type": "application/json"}
        if forged:
            headers["X-Forwarded-For"] = forged
        body = '{"username": "editor", "password": "%s"}' % password
        try:
            connection.request("POST", "/api/v1/session", body, headers)
            return connection.getresponse().status
        finally:
            connection.close()

    failures = [log_in("127.0.0.2", "wrong", forged="127.0.0.3") for _ in range(6)]
    assert failures[:5] == [401] * 5 and failures[5] == 429
    assert log_in("127.0.0.2", PASSWORD) == 429
    assert log_in("127.0.0.3", PASSWORD) == 200


def test_the_template_is_filled_in_whole():
    with pytest.raises(ValueError, match="upstream"):
        render("listen {{listen}}; server {{upstream}};", listen="127.0.0.1:8080")
    assert render("listen {{listen}};", listen="127.0.0.1:8080") == "listen 127.0.0.1:8080;"


def test_lookups_are_logged_without_the_readers_address(edge, origin, factories):
    published_article(factories)
    proxy = edge(origin.base)
    requests.get(proxy.url + bucket_path(ARTICLE_URL), timeout=10)
    requests.get(proxy.url + "/login", timeout=10)
    time.sleep(1.5)  # the access log is flushed every second
    lines = proxy.access_log.read_text().splitlines()
    lookup = [line for line in lines if "/api/v1/lookup/" in line]
    page = [line for line in lines if "/login" in line]
    assert len(lookup) == 1 and len(page) == 1
    assert page[0].startswith("127.0.0.1 ")
    assert "127.0.0.1" not in lookup[0] and "cache=MISS" in lookup[0]


def test_gzipped_and_plain_buckets_are_cached_apart(edge, origin, factories):
    published_article(factories)
    proxy = edge(origin.base)
    url = proxy.url + bucket_path(ARTICLE_URL)
    # requests offers gzip and decodes it; "identity" asks for the plain JSON.
    packed = [requests.get(url, timeout=10, headers={"Accept-Encoding": "gzip"})
              for _ in range(2)]
    plain = requests.get(url, timeout=10, headers={"Accept-Encoding": "identity"})
    assert [r.headers.get("Content-Encoding") for r in packed] == ["gzip", "gzip"]
    assert packed[1].headers["X-Cache-Status"] == "HIT"
    assert "Content-Encoding" not in plain.headers
    assert plain.headers["ETag"] != packed[1].headers["ETag"]
    assert plain.json() == packed[1].json()


def test_every_browsers_accept_encoding_shares_one_cached_copy(edge, origin, factories):
    published_article(factories)
    proxy = edge(origin.base)
    url = proxy.url + bucket_path(ARTICLE_URL)
    offers = ["gzip, deflate, br", "gzip, deflate, br, zstd", "deflate, gzip", "gzip"]
    answers = [requests.get(url, timeout=10, headers={"Accept-Encoding": offer})
               for offer in offers]
    assert [a.headers["X-Cache-Status"] for a in answers] == ["MISS", "HIT", "HIT", "HIT"]
    assert {a.headers["Content-Encoding"] for a in answers} == {"gzip"}
    refused = requests.get(url, timeout=10, headers={"Accept-Encoding": "gzip;q=0, br"})
    assert "Content-Encoding" not in refused.headers
    assert refused.headers["X-Cache-Status"] == "MISS"
    assert refused.json() == answers[0].json()
