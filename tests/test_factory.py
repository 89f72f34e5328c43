"""create_app(): where configuration comes from, and the instance secret key."""

import os
import stat

import pytest

from factcheck import create_app


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """An empty instance folder that create_app() uses, with no FACTCHECK_*
    variables from the environment running the tests."""
    for name in list(os.environ):
        if name.startswith("FACTCHECK_"):
            monkeypatch.delenv(name)
    path = tmp_path / "instance"
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(path))
    return path


def test_without_test_config_uses_the_instance_folder(instance):
    app = create_app()

    assert app.instance_path == str(instance)
    assert instance.is_dir()
    assert app.config["DATABASE"] == str(instance / "factcheck.db")
    assert app.testing is False
    assert app.config["PAGE_SIZE"] == 50


def test_secret_key_is_generated_once_and_kept_private(instance):
    first = create_app()
    key_file = instance / "secret_key"

    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().strip() == first.secret_key
    assert len(first.secret_key) >= 32

    second = create_app()
    assert second.secret_key == first.secret_key
    # Nothing else is left in the instance folder (no temporary files).
    assert sorted(p.name for p in instance.iterdir()) == ["secret_key"]


def test_a_session_survives_a_restart(instance):
    """The point of keeping the key: a login cookie from before a restart
    is still valid after it."""
    before = create_app()
    with before.test_client() as client:
        with client.session_transaction() as session:
            session["user_id"] = 42
        cookie = client.get_cookie("session")
    assert cookie is not None

    after = create_app()
    with after.test_client() as client:
        client.set_cookie("session", cookie.value)
        with client.session_transaction() as session:
            assert session.get("user_id") == 42


def test_an_unknown_key_does_not_open_a_session(instance, tmp_path, monkeypatch):
    """Control for the test above: a different instance has a different key."""
    before = create_app()
    with before.test_client() as client:
        with client.session_transaction() as session:
            session["user_id"] = 42
        cookie = client.get_cookie("session")

    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "other-instance"))
    other = create_app()
    assert other.secret_key != before.secret_key
    with other.test_client() as client:
        client.set_cookie("session", cookie.value)
        with client.session_transaction() as session:
            assert "user_id" not in session


def test_test_config_overrides_defaults(instance):
    app = create_app({"TESTING": True, "PAGE_SIZE": 3, "SECRET_KEY": "given",
                      "DATABASE": "/somewhere/else.db"})

    assert app.testing is True
    assert app.config["PAGE_SIZE"] == 3
    assert app.secret_key == "given"
    assert app.config["DATABASE"] == "/somewhere/else.db"
    # A given key is used as is: nothing is generated.
    assert not (instance / "secret_key").exists()


def test_prefixed_env_vars_override_defaults_and_are_parsed(instance, monkeypatch):
    monkeypatch.setenv("FACTCHECK_PAGE_SIZE", "7")
    monkeypatch.setenv("FACTCHECK_ORGANISATION_NAME", "Desk of Env")
    monkeypatch.setenv("FACTCHECK_DATABASE", "/data/env.db")

    app = create_app()

    assert app.config["PAGE_SIZE"] == 7
    assert isinstance(app.config["PAGE_SIZE"], int)
    assert app.config["ORGANISATION_NAME"] == "Desk of Env"
    assert app.config["DATABASE"] == "/data/env.db"


def test_secret_key_from_env_is_used_and_none_is_generated(instance, monkeypatch):
    monkeypatch.setenv("FACTCHECK_SECRET_KEY", "from-the-environment")

    app = create_app()

    assert app.secret_key == "from-the-environment"
    assert not (instance / "secret_key").exists()


def test_instance_config_file_is_read(instance):
    instance.mkdir()
    (instance / "config.py").write_text(
        'PAGE_SIZE = 11\nORGANISATION_NAME = "Instance Desk"\n')

    app = create_app()

    assert app.config["PAGE_SIZE"] == 11
    assert app.config["ORGANISATION_NAME"] == "Instance Desk"


def test_precedence_is_defaults_then_file_then_env_then_test_config(instance, monkeypatch):
    instance.mkdir()
    (instance / "config.py").write_text(
        'PAGE_SIZE = 11\nORGANISATION_NAME = "Instance Desk"\nORGANISATION_URL = "https://file.example"\n')
    monkeypatch.setenv("FACTCHECK_PAGE_SIZE", "7")
    monkeypatch.setenv("FACTCHECK_ORGANISATION_NAME", "Env Desk")

    app = create_app()
    assert app.config["ORGANISATION_URL"] == "https://file.example"  # file over default
    assert app.config["PAGE_SIZE"] == 7                               # env over file
    assert app.config["ORGANISATION_NAME"] == "Env Desk"

    app = create_app({"PAGE_SIZE": 2})
    assert app.config["PAGE_SIZE"] == 2                               # test config over env
    assert app.config["ORGANISATION_NAME"] == "Env Desk"


@pytest.mark.parametrize("test_config, testing", [(None, False), ({"TESTING": True}, True)])
def test_testing_flag(instance, test_config, testing):
    assert create_app(test_config).testing is testing


def test_session_cookie_is_httponly_and_samesite_lax(instance):
    app = create_app()

    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"

    with app.test_client() as client:
        with client.session_transaction() as session:
            session["user_id"] = 1
        # The cookie the app itself sets on a response carries both flags.
        cookie = client.get_cookie("session")
    assert cookie.http_only is True
    assert cookie.same_site == "Lax"


def test_an_empty_secret_key_file_is_replaced_by_a_kept_key(instance):
    """An empty file (a crash between creating and writing it) must not mean
    a new random key on every start, silently logging everyone out."""
    instance.mkdir()
    (instance / "secret_key").write_text("")

    first = create_app()
    second = create_app()

    assert first.secret_key == second.secret_key
    assert (instance / "secret_key").read_text().strip() == first.secret_key
    assert stat.S_IMODE((instance / "secret_key").stat().st_mode) == 0o600
