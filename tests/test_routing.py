"""Ids in URLs: every route with an int parameter answers an id beyond
SQLite's range as it answers any unknown id, 404, whatever the method."""

import re

from factcheck import SQLiteIntConverter

from tests.helpers import api_error

BEYOND_SQLITE = str(2**63)  # 9223372036854775808
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def int_routes(app) -> dict[str, set[str]]:
    """Each URL pattern with an int parameter, with the methods some rule on it allows."""
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if any(isinstance(c, SQLiteIntConverter) for c in rule._converters.values()):
            routes.setdefault(rule.rule, set()).update(rule.methods)
    return routes


def urls_with_one_id_beyond_range(pattern: str) -> list[str]:
    """The pattern with each int parameter in turn beyond range, the others 1."""
    names = re.findall(r"<int:(\w+)>", pattern)
    urls = []
    for huge in names:
        url = pattern
        for name in names:
            url = url.replace(f"<int:{name}>", BEYOND_SQLITE if name == huge else "1")
        urls.append(url)
    return urls


def test_every_id_route_is_covered(app):
    routes = int_routes(app)
    # The routes the bug was reported on, and a UI one, are among them.
    assert {"/api/v1/articles/<int:article_id>", "/api/v1/claims/<int:claim_id>",
            "/api/v1/articles/<int:article_id>/aliases/<int:alias_id>",
            "/articles/<int:article_id>"} <= set(routes)


def test_an_id_beyond_sqlite_is_404_for_every_route_and_method(app, client):
    wrong = []
    for pattern, allowed in int_routes(app).items():
        for url in urls_with_one_id_beyond_range(pattern):
            for method in METHODS:
                response = client.open(url, method=method, json={} if method in (
                    "POST", "PUT", "PATCH") else None)
                # A method no rule on this path serves is 405 for any id, as
                # for an id in range; every other answer is the unknown id's 404.
                expected = 404 if method in allowed else 405
                if response.status_code != expected:
                    wrong.append((method, url, response.status_code))
                elif url.startswith("/api/") and method != "HEAD":
                    api_error(response, expected,
                              code="not_found" if expected == 404 else "method_not_allowed")
    assert wrong == []


def test_the_reported_delete_is_a_404_in_the_error_shape(client, auth):
    for headers in ({}, auth["editor"]):
        response = client.delete(f"/api/v1/articles/{BEYOND_SQLITE}", headers=headers)
        error = api_error(response, 404, code="not_found")
        assert error["field"] is None


def test_the_largest_sqlite_id_is_an_ordinary_unknown_id(client, auth):
    largest = str(2**63 - 1)
    api_error(client.get(f"/api/v1/articles/{largest}"), 404, code="not_found")
    api_error(client.delete(f"/api/v1/articles/{largest}", headers=auth["editor"]), 404,
              code="not_found")
