"""Errors: one JSON shape for /api/*, an HTML page everywhere else."""

import json

import pytest

from factcheck.errors import json_error

ERROR_KEYS = {"status", "code", "message", "field", "fields"}


def api_error(response, status: int, code: str | None = None) -> dict:
    """Check the response is the API's error shape and return the error."""
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == ERROR_KEYS
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    assert error["field"] is None or error["field"] in error["fields"]
    if code is not None:
        assert error["code"] == code
    return error


def html_error(response, status: int) -> str:
    assert response.status_code == status
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    with pytest.raises(ValueError):
        json.loads(text)
    assert f"Error {status}" in text
    return text


# -- the helper ------------------------------------------------------------

def test_json_error_helper_builds_the_shape(app):
    with app.test_request_context("/api/v1/anything"):
        response = json_error(409, "that URL is taken", field="url")
    error = api_error(response, 409, "conflict")
    assert error == {"status": 409, "code": "conflict", "message": "that URL is taken",
                     "field": "url", "fields": {"url": ["that URL is taken"]}}


def test_json_error_helper_without_field(app):
    with app.test_request_context("/api/v1/anything"):
        response = json_error(400, "bad")
    assert api_error(response, 400) == {"status": 400, "code": "bad_request", "message": "bad",
                                        "field": None, "fields": {}}


def test_json_error_helper_names_the_first_of_several_fields(app):
    with app.test_request_context("/api/v1/anything"):
        response = json_error(422, "two problems", fields={"start": ["too big"], "end": ["too small"]})
    error = api_error(response, 422, "invalid")
    assert error["field"] == "start"
    assert error["fields"] == {"start": ["too big"], "end": ["too small"]}


def test_json_error_helper_unknown_status_gets_a_generic_code(app):
    with app.test_request_context("/api/v1/anything"):
        response = json_error(418, "teapot", code=None)
    assert api_error(response, 418)["code"] == "error"


# -- API errors ------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/no-such-endpoint", "/api/v1/articles/1/nope",
                                  "/api/no-such-version"])
def test_unknown_api_path_is_json_404(client, path):
    error = api_error(client.get(path), 404, "not_found")
    assert error["field"] is None


def test_unknown_api_path_with_post_is_404_not_a_csrf_error(client):
    api_error(client.post("/api/v1/no-such-endpoint", json={}), 404, "not_found")


@pytest.mark.parametrize("method, path", [
    ("PUT", "/api/v1/articles"),
    ("DELETE", "/api/v1/articles"),
    ("PUT", "/api/v1/articles/1"),
])
def test_wrong_method_on_an_api_path_is_json_405(client, method, path):
    response = client.open(path, method=method)
    error = api_error(response, 405, "method_not_allowed")
    assert error["field"] is None
    # A 405 must say what is allowed.
    assert "GET" in response.headers["Allow"]
    assert method not in response.headers["Allow"]


def test_unknown_query_field_is_422_naming_it(client):
    error = api_error(client.get("/api/v1/articles?colour=red"), 422, "invalid")
    assert error["field"] == "colour"
    assert "colour" in error["message"]


@pytest.mark.parametrize("query, field", [("limit=many", "limit"), ("offset=1.5", "offset")])
def test_wrong_type_is_422_naming_the_field(client, query, field):
    error = api_error(client.get(f"/api/v1/articles?{query}"), 422, "invalid")
    assert error["field"] == field
    assert error["fields"][field]


def test_missing_article_is_json_404(client):
    error = api_error(client.get("/api/v1/articles/999"), 404, "not_found")
    assert error["field"] == "article_id"
    assert "999" in error["message"]


# -- HTML errors -----------------------------------------------------------

def test_unknown_page_is_an_html_404(client):
    html_error(client.get("/no-such-page"), 404)


def test_missing_article_page_is_an_html_404(client):
    text = html_error(client.get("/articles/999"), 404)
    assert "article 999 not found" in text


def test_wrong_method_on_a_page_is_an_html_405_with_allow(client):
    response = client.get("/logout")
    html_error(response, 405)
    assert "POST" in response.headers["Allow"]


# -- unexpected exceptions -------------------------------------------------

SECRET = "password=hunter2 at /srv/factcheck/db.py line 12"


@pytest.fixture
def exploding_app(app):
    def explode():
        raise RuntimeError(SECRET)

    app.add_url_rule("/api/v1/_explode", "explode_api", explode)
    app.add_url_rule("/_explode", "explode_page", explode)
    return app


def test_unexpected_exception_in_api_is_json_500_without_details(exploding_app):
    response = exploding_app.test_client().get("/api/v1/_explode")

    error = api_error(response, 500)
    assert error["field"] is None
    text = response.get_data(as_text=True)
    for leak in ("hunter2", "Traceback", "RuntimeError", "db.py"):
        assert leak not in text


def test_unexpected_exception_in_page_is_html_500_without_details(exploding_app):
    response = exploding_app.test_client().get("/_explode")

    text = html_error(response, 500)
    for leak in ("hunter2", "Traceback", "RuntimeError", "db.py"):
        assert leak not in text


def test_unexpected_exception_is_logged_for_the_operator(exploding_app, caplog):
    exploding_app.test_client().get("/api/v1/_explode")
    assert any("hunter2" in (record.exc_text or "") or
               (record.exc_info and "hunter2" in str(record.exc_info[1]))
               for record in caplog.records)


def test_error_responses_carry_the_security_headers(client):
    for response in (client.get("/api/v1/articles/999"), client.get("/no-such-page")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize("path", ["/api/v1/articles/99999999999999999999",
                                  "/api/v1/articles/9223372036854775808"])
def test_an_id_too_large_for_the_database_is_json_404(client, path):
    api_error(client.get(path), 404, "not_found")


def test_an_id_too_large_for_the_database_is_an_html_404(client):
    html_error(client.get("/articles/99999999999999999999"), 404)


def test_an_offset_too_large_for_the_database_is_422(client):
    error = api_error(client.get("/api/v1/articles?offset=99999999999999999999"), 422, "invalid")
    assert error["field"] == "offset"
