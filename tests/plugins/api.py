"""Accounts and bearer tokens for the /api/v1 tests."""

import pytest

from tests.helpers import FAST_HASH, ROLES, bearer, make_token, open_store


@pytest.fixture
def users(app):
    """One account per role, named after the role, with password PASSWORD."""
    with open_store(app) as store:
        return {role: store.create_user(role, FAST_HASH, role) for role in ROLES}


@pytest.fixture
def auth(app, users):
    """Bearer headers per role: auth["editor"], ...; auth["anonymous"] is {}."""
    headers = {"anonymous": {}}
    for role, user in users.items():
        token, _ = make_token(app, user["id"], f"{role} script")
        headers[role] = bearer(token)
    return headers
