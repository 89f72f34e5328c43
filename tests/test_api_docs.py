"""The OpenAPI 3 document at /api/v1/openapi.json and the page at /api/docs."""

import json
import re

import pytest

from annotations.models import VERDICTS
from tests.helpers import create_claim, import_article, passage_with
from factcheck import schemas

METHODS = {"get", "post", "put", "patch", "delete"}
UNSAFE = {"post", "put", "patch", "delete"}
BODY_ERRORS = {"400", "413", "415", "422"}


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def _api_routes(app) -> dict:
    """{"/api/v1/claims/{claim_id}": {"get", "patch", "delete"}, ...} from url_map."""
    routes = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        routes.setdefault(_openapi_path(rule.rule), set()).update(
            m.lower() for m in rule.methods if m.lower() in METHODS)
    return routes


def _operations(app, spec):
    """(path, method, operation, view function) for every documented operation."""
    views = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            for method in rule.methods:
                views[_openapi_path(rule.rule), method.lower()] = app.view_functions[rule.endpoint]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                yield path, method, operation, views[path, method]


def _parameters(spec, path, operation, where):
    return [p for p in operation.get("parameters", []) + spec["paths"][path].get("parameters", [])
            if p["in"] == where]


def test_document_is_openapi_3(spec):
    assert re.fullmatch(r"3\.\d+\.\d+", spec["openapi"])
    assert spec["info"]["title"] and spec["info"]["version"]
    assert spec["paths"]


def test_every_api_route_and_method_is_documented(app, spec):
    routes = _api_routes(app)
    assert "/api/v1/claims/{claim_id}" in routes  # the rule conversion works
    documented = {path: {m for m in ops if m in METHODS} for path, ops in spec["paths"].items()}
    assert documented == routes


def test_path_parameters_are_declared(spec):
    for path, operations in spec["paths"].items():
        names = set(re.findall(r"{([^}]+)}", path))
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            declared = {p["name"] for p in operation.get("parameters", []) + operations.get(
                "parameters", []) if p["in"] == "path"}
            assert declared == names, (method, path)
            for p in operation.get("parameters", []):
                if p["in"] == "path":
                    assert p["required"] is True


def test_every_operation_has_a_summary_and_described_responses(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            assert operation.get("summary"), (method, path)
            assert operation["responses"], (method, path)
            for status, response in operation["responses"].items():
                assert re.fullmatch(r"[1-5]\d\d", str(status))
                # Required by OpenAPI 3 for every response object.
                assert isinstance(response.get("description"), str) and \
                    response["description"], (method, path, status)


@pytest.mark.parametrize("path, method, schema", [
    ("/api/v1/articles", "post", "ArticleImportIn"),
    ("/api/v1/claims", "post", "ClaimIn"),
    ("/api/v1/claims/{claim_id}", "patch", "ClaimPatch"),
    ("/api/v1/claims/{claim_id}/citations", "post", "CitationIn"),
    ("/api/v1/citations/{citation_id}", "patch", "CitationPatch"),
    ("/api/v1/session", "post", "LoginIn"),
    ("/api/v1/tokens", "post", "TokenIn"),
    ("/api/v1/users", "post", "UserIn"),
    ("/api/v1/users/{user_id}", "patch", "UserPatch"),
])
def test_request_bodies_reference_their_schemas(spec, path, method, schema):
    body = spec["paths"][path][method]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"] == f"#/components/schemas/{schema}"


@pytest.mark.parametrize("path, method, status, schema", [
    ("/api/v1/claims/{claim_id}", "get", "200", "ClaimOut"),
    ("/api/v1/claims", "post", "201", "ClaimOut"),
    ("/api/v1/claims/{claim_id}", "patch", "412", "ErrorOut"),
    ("/api/v1/claims/{claim_id}", "patch", "428", "ErrorOut"),
    ("/api/v1/articles", "get", "200", "ArticlePageOut"),
    ("/api/v1/articles/{article_id}", "get", "200", "ArticleOut"),
    ("/api/v1/claims/{claim_id}/history", "get", "200", "HistoryOut"),
    ("/api/v1/session", "post", "429", "ErrorOut"),
])
def test_responses_reference_their_schemas(spec, path, method, status, schema):
    response = spec["paths"][path][method]["responses"][status]
    assert response["content"]["application/json"]["schema"]["$ref"] == \
        f"#/components/schemas/{schema}"


def test_article_list_documents_its_query_parameters(spec):
    params = {p["name"]: p for p in spec["paths"]["/api/v1/articles"]["get"]["parameters"]
              if p["in"] == "query"}
    assert set(params) >= {"limit", "offset", "verdict", "status", "q"}
    assert params["verdict"]["schema"]["enum"] == list(VERDICTS)


@pytest.mark.parametrize("name", ["ClaimIn", "ClaimOut", "ClaimPatch", "CitationIn",
                                  "CitationOut", "QuoteSelectorIn", "ArticleImportIn",
                                  "ArticleOut", "ErrorOut", "UserIn", "TokenOut", "HistoryOut"])
def test_component_schemas_come_from_the_marshmallow_schemas(spec, name):
    component = spec["components"]["schemas"][name]
    marshmallow_schema = getattr(schemas, name)()
    expected = {field.data_key or key for key, field in marshmallow_schema.fields.items()}
    assert set(component["properties"]) == expected
    required = {field.data_key or key for key, field in marshmallow_schema.fields.items()
                if field.required}
    assert set(component.get("required", [])) == required


def test_claim_in_schema_details(spec):
    claim_in = spec["components"]["schemas"]["ClaimIn"]
    assert set(claim_in["required"]) == {"passage_id", "verdict"}
    assert claim_in["properties"]["verdict"]["enum"] == list(VERDICTS)
    assert claim_in["properties"]["start"]["type"] == "integer"
    assert claim_in["properties"]["selector"]["$ref"] == "#/components/schemas/QuoteSelectorIn"
    # Unknown fields are refused, and the document says so.
    assert claim_in.get("additionalProperties") is False
    assert set(spec["components"]["schemas"]["QuoteSelectorIn"]["properties"]) >= {
        "exact", "prefix", "suffix"}


def test_error_schema_is_the_one_error_shape(spec):
    error_out = spec["components"]["schemas"]["ErrorOut"]
    assert error_out["properties"]["error"]["$ref"] == "#/components/schemas/ErrorDetail"
    detail = spec["components"]["schemas"]["ErrorDetail"]
    assert set(detail["properties"]) == {"status", "code", "message", "field", "fields"}
    assert "current" in error_out["properties"]


def test_all_references_resolve(spec):
    refs = set(re.findall(r'"\$ref": "([^"]+)"', json.dumps(spec)))
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in spec["components"]["schemas"], ref


def test_documented_shapes_match_real_responses(client, auth, spec):
    fc = auth["factchecker"]
    article = import_article(client, fc)
    claim = create_claim(client, fc, passage_with(article, "minister"), "minister",
                         citations=[{"url": "https://ministry.example.org"}])
    components = spec["components"]["schemas"]

    real_claim = client.get(f"/api/v1/claims/{claim['id']}", headers=fc).get_json()
    assert set(real_claim) == set(components["ClaimOut"]["properties"])
    assert set(real_claim["citations"][0]) == set(components["CitationOut"]["properties"])
    real_article = client.get(f"/api/v1/articles/{article['id']}").get_json()
    assert set(real_article) == set(components["ArticleOut"]["properties"])
    real_error = client.get("/api/v1/articles/4242").get_json()
    assert set(real_error) <= set(components["ErrorOut"]["properties"])
    assert set(real_error["error"]) == set(components["ErrorDetail"]["properties"])


def test_the_document_is_public(client, auth):
    for who in ("anonymous", "reader"):
        assert client.get("/api/v1/openapi.json", headers=auth[who]).status_code == 200


# -- what the code implies is documented ---------------------------------------------

def test_every_operation_documents_the_statuses_its_code_implies(app, spec):
    for path, method, operation, view in _operations(app, spec):
        documented = set(operation["responses"])
        where = (method, path)
        if not getattr(view, "public", False):
            # The API's before_request: a bad token is a 401 anywhere, a
            # session write without its CSRF token a 403.
            assert "401" in documented, where
            if method in UNSAFE:
                assert "403" in documented, where
        if getattr(view, "required_role", None):
            assert {"401", "403"} <= documented, where
        if "requestBody" in operation:
            assert BODY_ERRORS <= documented, where
        if _parameters(spec, path, operation, "query"):
            assert "422" in documented, where
        path_parameters = _parameters(spec, path, operation, "path")
        if any(p["schema"]["type"] == "integer" for p in path_parameters):
            assert "404" in documented, where
        for header in _parameters(spec, path, operation, "header"):
            if header["name"] == "If-Match":
                assert "412" in documented, where
                assert ("428" in documented) == header.get("required", False), where
        successes = [s for s in documented if s < "400"]
        assert successes, where


def test_error_responses_are_the_one_error_shape(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            assert "default" not in operation["responses"], (method, path)
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert response["content"] == {"application/json": {
                        "schema": {"$ref": "#/components/schemas/ErrorOut"}}}, (method, path)


@pytest.mark.parametrize("path, method, status, content_types", [
    ("/api/v1/exports/claims.{fmt}", "get", "200",
     {"text/csv", "application/json",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    ("/api/v1/claims/{claim_id}/claimreview", "get", "200", {"application/ld+json", "text/plain"}),
    ("/api/v1/claimreview", "get", "200", {"application/ld+json"}),
    ("/api/v1/annotations", "get", "200", {"application/ld+json"}),
    ("/api/v1/highlights", "get", "200", {"application/json"}),
])
def test_non_json_answers_document_their_content_types(spec, path, method, status, content_types):
    assert set(spec["paths"][path][method]["responses"][status]["content"]) == content_types


def test_list_answers_are_documented_as_lists(spec):
    for path in ("/api/v1/tokens", "/api/v1/users", "/api/v1/articles/{article_id}/aliases"):
        schema = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        assert schema["schema"]["type"] == "array", path
    imported = spec["paths"]["/api/v1/annotations/import"]["post"]["responses"]["201"]
    assert imported["content"]["application/json"]["schema"]["$ref"] == \
        "#/components/schemas/ImportAnnotationsOut"


@pytest.mark.parametrize("path, names", [
    ("/api/v1/annotations", {"article_id", "published", "page"}),
    ("/api/v1/exports/annotations.jsonld", {"article_id", "published"}),
    ("/api/v1/claimreview", {"page"}),
    ("/api/v1/claims/{claim_id}/claimreview", {"format"}),
    ("/api/v1/exports/claims.{fmt}", {"article_id", "verdict", "status", "since", "until",
                                      "annotator", "claim", "bom"}),
    ("/api/v1/highlights", {"url"}),
])
def test_query_arguments_are_documented(spec, path, names):
    operation = spec["paths"][path]["get"]
    assert {p["name"] for p in _parameters(spec, path, operation, "query")} == names


def _url(path: str) -> str:
    return path.replace("{fmt}", "csv").replace("{", "").replace("}", "").replace(
        "claim_id", "999999").replace("article_id", "999999").replace(
        "citation_id", "999999").replace("user_id", "999999").replace(
        "token_id", "999999").replace("alias_id", "999999")


def test_real_answers_are_documented(app, client, auth, spec):
    """Each operation called for real, in situations fuzzing found
    undocumented: the status it answers must be one it documents."""
    admin = auth["admin"]
    bad_token = {"Authorization": "Bearer not-a-token"}
    for path, method, operation, view in _operations(app, spec):
        documented = set(operation["responses"])
        url = _url(path)

        def answer(**kwargs):
            response = client.open(url, method=method.upper(), **kwargs)
            assert str(response.status_code) in documented, \
                (method, path, kwargs, response.status_code, response.get_data(as_text=True))
            return response

        answer()  # anonymous, no body
        answer(headers=bad_token)
        if "requestBody" in operation:
            assert answer(headers=admin, data="{}", content_type="text/plain").status_code == 415
            assert answer(headers=admin, data="{nope",
                          content_type="application/json").status_code == 400
            answer(headers=admin, json=["not", "an", "object"])
            answer(headers=admin, json={"no_such_field": 1})
        else:
            answer(headers=admin)
        if _parameters(spec, path, operation, "query"):
            response = answer(headers=admin, query_string={"colour": "red"})
            if "requestBody" not in operation:
                assert response.status_code == 422, (method, path)
                assert "colour" in response.get_json()["error"]["fields"]


# -- the readable page ------------------------------------------------------------------

@pytest.fixture
def page(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_docs_page_mentions_every_path_and_method(app, page):
    for path, methods in _api_routes(app).items():
        assert path in page, path
        for method in methods:
            assert f"{method.upper()} {path}" in page, (method, path)


def test_docs_page_shows_summaries_and_schemas(spec, page):
    for name in ("ClaimIn", "ClaimOut", "ErrorOut", "CitationIn"):
        assert f'id="schema-{name}"' in page
    summary = spec["paths"]["/api/v1/claims"]["post"]["summary"]
    assert summary in page
    assert "/api/v1/openapi.json" in page


def test_docs_page_escapes_the_description(page):
    # The description mentions "Bearer <token>": shown as text, not as a tag.
    assert "Bearer &lt;token&gt;" in page
    assert "<token>" not in page
