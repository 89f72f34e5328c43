"""pytest plugins holding the suite's shared fixtures (see tests/conftest.py)."""
