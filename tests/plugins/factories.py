"""The ``factories`` fixture: see tests/factories.py."""

import pytest

from tests.factories import Factories


@pytest.fixture
def factories(store) -> Factories:
    """Article, claim and user factories on the test's own database
    (the ``store`` fixture's connection, so also the app's database)."""
    return Factories(store)
