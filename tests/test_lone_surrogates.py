"""A lone UTF-16 surrogate ("\\ud800" in JSON) is no character and UTF-8
cannot hold it: every write route refuses it in any string of its body with
a 422 naming the field (dotted for nested ones), writing nothing, instead of
failing in the database with a 500. The UI's form schemas refuse it too."""

import pytest
from marshmallow import ValidationError

from factcheck import forms
from tests.helpers import PASSWORD, api_error, row_counts
from tests.test_api_auth import MATRIX, _call, _prepare

LONE = "\ud800"


def _string_paths(value, path=""):
    """The dotted path of every string in a JSON body."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _string_paths(child, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _string_paths(child, f"{path}.{i}" if path else str(i))


def _with_lone_surrogate(body, path):
    """A copy of ``body`` whose string at ``path`` ends in a lone surrogate."""
    if not path:
        return body + LONE
    head, _, rest = path.partition(".")
    if isinstance(body, list):
        index = int(head)
        return [_with_lone_surrogate(v, rest) if i == index else v for i, v in enumerate(body)]
    return {k: _with_lone_surrogate(v, rest) if k == head else v for k, v in body.items()}


WITH_BODIES = [endpoint for endpoint in MATRIX if not endpoint.startswith("DELETE")]


@pytest.mark.parametrize("endpoint", WITH_BODIES)
def test_a_lone_surrogate_in_any_string_of_a_body_is_a_422_naming_it(app, auth, factories,
                                                                     endpoint):
    """Each string of the body the auth matrix sends, at any depth, in turn;
    and a key (an unknown key holding one is refused by its printable name)."""
    client = app.test_client()
    method, path, body, extra = _prepare(endpoint, factories, client, app, "admin")
    headers = {**auth["admin"], **extra}
    before = row_counts(app)
    for field in _string_paths(body):
        response = _call(client, method, path, _with_lone_surrogate(body, field), headers)
        error = api_error(response, 422, field, "invalid")
        assert "unpaired UTF-16 surrogate" in error["message"]
    response = _call(client, method, path, {**body, f"key{LONE}": 1}, headers)
    assert api_error(response, 422)["field"] == "key\\ud800"
    assert row_counts(app) == before


@pytest.mark.parametrize("route, body, field", [
    ("/api/v1/session", {"username": LONE, "password": PASSWORD}, "username"),
    ("/api/v1/session", {"username": "editor", "password": f"pw{LONE}"}, "password"),
    ("/api/v1/session/token", {"username": LONE, "password": PASSWORD, "name": "x"}, "username"),
    ("/api/v1/session/token", {"username": "editor", "password": PASSWORD, "name": LONE}, "name"),
    ("/api/v1/claims", {"passage_id": 1, "start": 0, "end": 3, "verdict": "unverified",
                        "citations": [{"url": "https://s.example/", "title": LONE}]},
     "citations.0.title"),
])
def test_sign_ins_and_nested_fields_refuse_it_too(app, users, auth, route, body, field):
    before = row_counts(app)
    response = app.test_client().post(route, json=body, headers=auth["editor"]
                                      if route == "/api/v1/claims" else {})
    api_error(response, 422, field, "invalid")
    assert row_counts(app) == before


@pytest.mark.parametrize("form, data, field", [
    (forms.NewUserForm, {"username": f"a{LONE}", "role": "reader"}, "username"),
    (forms.TokenForm, {"name": LONE}, "name"),
    (forms.ImportForm, {"url": "https://n.example/", "text": f"x{LONE}"}, "text"),
    (forms.ArticleEditForm, {"title": LONE}, "title"),
])
def test_the_ui_forms_refuse_it_as_the_forms_error(form, data, field):
    with pytest.raises(ValidationError) as refused:
        form().load(data)
    assert field in refused.value.messages
