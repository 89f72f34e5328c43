"""Exporting the claim desk's selection: the claim exports' repeated
``claim`` filter (only those claims), its bound, and its refusals."""

import json

import pytest

from annotations.exports import MAX_SELECTED_CLAIMS
from tests.helpers import api_error
from tests.test_exports import claim_texts, data, export  # noqa: F401  (data: a fixture)


def _ids(*ids) -> str:
    return "?" + "&".join(f"claim={i}" for i in ids)


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_the_selection_exports_exactly_those_claims(client, auth, data, fmt):
    response = export(client, auth["editor"], fmt, _ids(data["c3"], data["c1"]))
    # In claim order, whatever the order asked.
    assert claim_texts(response, fmt) == [data["texts"]["c1"], data["texts"]["c3"]]


def test_the_selection_combines_with_the_other_filters(client, auth, data):
    query = _ids(data["c1"], data["c2"], data["c4"]) + "&verdict=denied"
    assert claim_texts(export(client, auth["editor"], "csv", query), "csv") == \
        [data["texts"]["c2"], data["texts"]["c4"]]
    count = client.get("/api/v1/exports/claims/count" + query, headers=auth["editor"])
    assert count.get_json() == {"rows": 2}


def test_a_claim_named_twice_is_exported_once(client, auth, data):
    response = export(client, auth["editor"], "json", _ids(data["c2"], data["c2"]))
    assert [row["id"] for row in json.loads(response.data)] == [data["c2"]]


def test_the_selection_is_bounded(client, auth, data):
    error = api_error(export(client, auth["editor"], "csv",
                             _ids(*range(1, MAX_SELECTED_CLAIMS + 2))), 422, "claim")
    assert str(MAX_SELECTED_CLAIMS) in error["message"]


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
@pytest.mark.parametrize("query, message", [
    ("?claim=abc", "Not a valid integer"),
    ("?claim=0", "greater than or equal to 1"),
    ("?claim=1.5", "Not a valid integer"),
    (f"?claim={2**63}", "less than or equal to"),
])
def test_bad_ids_are_refused_naming_the_field(client, auth, data, fmt, query, message):
    error = api_error(export(client, auth["editor"], fmt, query), 422, "claim.0")
    assert message in json.dumps(error["fields"])


def test_an_unknown_id_is_refused_naming_it(client, auth, data):
    error = api_error(export(client, auth["editor"], "csv", _ids(data["c1"], 987654)),
                      422, "claim")
    assert error["message"] == "no claim has the id 987654"


@pytest.mark.parametrize("role", ["reader", "factchecker"])
def test_only_the_roles_that_export_may_export_a_selection(client, auth, data, role):
    api_error(export(client, auth[role], "csv", _ids(data["c1"])), 403)
