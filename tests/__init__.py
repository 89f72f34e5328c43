"""The test suite, a package so that shared code is imported by name:
``from tests.helpers import api_error``, ``from tests.factories import Factories``.

Fixtures are shared through the plugins in ``tests/plugins``, registered once
in ``tests/conftest.py``; test modules never import fixtures.
"""
