"""The OpenAPI 3 document at /api/v1/openapi.json and the page at /api/docs."""

import json
import re

import pytest

from annotations.models import VERDICTS
from api_fixtures import *  # noqa: F401,F403
from api_fixtures import create_claim, import_article, passage_with
from factcheck import schemas

UNDOCUMENTED_ENDPOINTS = {"api.openapi_document", "api.unknown_endpoint"}
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def _api_routes(app) -> dict:
    """{"/api/v1/claims/{claim_id}": {"get", "patch", "delete"}, ...} from url_map."""
    routes = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint in UNDOCUMENTED_ENDPOINTS:
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        routes.setdefault(path, set()).update(
            m.lower() for m in rule.methods if m.lower() in METHODS)
    return routes


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
