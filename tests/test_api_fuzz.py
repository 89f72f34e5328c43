"""Property-based fuzzing of the whole JSON API from its own OpenAPI document.

Schemathesis generates requests for every operation of
/api/v1/openapi.json, valid and invalid ones alike, and checks each answer:
never a 5xx, only documented status codes and content types, and bodies
that match the documented schemas. It runs against one app and database
for the whole module (requests build on each other's writes), as an admin
with a Bearer token. Derandomized, so CI sees the same examples each run;
``FUZZ_EXAMPLES`` raises the count for a longer run by hand.
"""

import os
import tempfile
from unittest import mock

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance,
                                               response_schema_conformance,
                                               status_code_conformance)

from annotations.fetching import FetchRefused
from factcheck import create_app
from tests.helpers import (ARTICLE_TEXT, FAST_HASH, ROLES, bearer, create_claim,
                           import_article, make_token, open_store, passage_with)

# About 50 examples per operation keeps the module near a minute on a
# 2-core machine.
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 50))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def api_document() -> dict:
    """The OpenAPI document as the service serves it. It does not depend on
    the database, so a throwaway app (its instance folder in a temporary
    directory, like every test app) answers it at collection time."""
    with tempfile.TemporaryDirectory() as tmp, \
            mock.patch.dict(os.environ, {"FACTCHECK_INSTANCE_PATH": tmp}):
        app = create_app({"TESTING": True, "SECRET_KEY": "fuzz",
                          "DATABASE": os.path.join(tmp, "unused.db")})
        return app.test_client().get("/api/v1/openapi.json").get_json()


schema = schemathesis.openapi.from_dict(api_document())


@pytest.fixture(autouse=True, scope="module")
def no_network():
    """A generated URL-only import would fetch whatever host it names; the
    fetcher has tests of its own (tests/test_fetching.py), so here every
    fetch is refused as an unreachable host would be."""
    def unreachable(url, *args, **kwargs):
        raise FetchRefused(f"could not connect to {url} (no network in this test)",
                           "unreachable")
    with mock.patch("annotations.url_import.fetch_page", unreachable):
        yield


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory, migrated_template):
    """(app, admin Bearer headers) on a database with an account per role,
    an article and a claim, so ids 1 and 2 often hit real records."""
    tmp = tmp_path_factory.mktemp("fuzz")
    database = tmp / "fuzz.db"
    database.write_bytes(migrated_template.read_bytes())
    with mock.patch.dict(os.environ, {"FACTCHECK_INSTANCE_PATH": str(tmp / "instance")}):
        app = create_app({"TESTING": True, "DATABASE": str(database), "SECRET_KEY": "fuzz"})
    with open_store(app) as store:
        users = {role: store.create_user(role, FAST_HASH, role) for role in ROLES}
    # Tokens with low ids belong to someone else: fuzzed revocations of ids
    # 1, 2... leave the admin's own token alive.
    for n in range(5):
        make_token(app, users["reader"]["id"], f"spare {n}")
    token, _ = make_token(app, users["admin"]["id"], "fuzz")
    headers = bearer(token)
    client = app.test_client()
    article = import_article(client, headers, text=ARTICLE_TEXT)
    create_claim(client, headers, passage_with(article, "minister"), "unemployment")
    return app, headers


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented(case, fuzz_target):
    app, headers = fuzz_target
    case.call_and_validate(app=app, headers=headers, checks=CHECKS)
