"""Links in ClaimReview and Web Annotation documents never come from a Host
header the client made up: PUBLIC_BASE_URL when set, else a trusted host
(TRUSTED_HOSTS, by default the loopback names); the snippet's Content-Type."""

import pytest

from factcheck import create_app
from tests.helpers import api_error

EVIL = "evil.example"


@pytest.fixture
def claim(factories):
    article = factories.article("https://news.example.com/bridge",
                                "The minister said the bridge is open.")
    return factories.claim(article, "bridge is open", published=True)


def _documents(client, claim, auth, host):
    """Every answer whose links are built from the base URL."""
    headers = {"Host": host}
    return {
        "claimreview": client.get(f"/api/v1/claims/{claim['id']}/claimreview", headers=headers),
        "snippet": client.get(f"/api/v1/claims/{claim['id']}/claimreview",
                              query_string={"format": "snippet"}, headers=headers),
        "feed": client.get("/api/v1/claimreview", headers=headers),
        "annotations": client.get("/api/v1/annotations", headers={**headers, **auth["editor"]}),
    }


def test_a_forged_host_never_reaches_the_links(client, claim, auth):
    for name, response in _documents(client, claim, auth, EVIL).items():
        error = api_error(response, 400, "Host")
        assert "PUBLIC_BASE_URL" in error["message"], name


def test_loopback_hosts_are_trusted_by_default(client, claim, auth):
    for name, response in _documents(client, claim, auth, "127.0.0.1:8000").items():
        assert response.status_code == 200, (name, response.get_data(as_text=True))
        assert "http://127.0.0.1:8000/" in response.get_data(as_text=True), name


def test_public_base_url_is_used_whatever_the_host(app, client, claim, auth):
    app.config["PUBLIC_BASE_URL"] = "https://check.example.org/"
    for name, response in _documents(client, claim, auth, EVIL).items():
        body = response.get_data(as_text=True)
        assert response.status_code == 200, name
        assert "https://check.example.org/" in body and EVIL not in body, name


def test_trusted_hosts_refuse_every_other_host(app, client, claim, auth):
    app.config["TRUSTED_HOSTS"] = ["fact.example.org"]
    good = client.get(f"/api/v1/claims/{claim['id']}/claimreview",
                      headers={"Host": "fact.example.org"})
    assert good.status_code == 200
    assert f"http://fact.example.org/claims/{claim['id']}" in good.get_data(as_text=True)

    for name, response in _documents(client, claim, auth, EVIL).items():
        error = api_error(response, 400, "Host")
        assert "not trusted" in error["message"], name
    page = client.get("/login", headers={"Host": EVIL})
    assert page.status_code == 400
    assert "not trusted" in page.get_data(as_text=True)


@pytest.mark.parametrize("value, expected", [
    ("fact.example.org", ["fact.example.org"]),
    ("fact.example.org, .example.net", ["fact.example.org", ".example.net"]),
    ('["fact.example.org"]', ["fact.example.org"]),
])
def test_trusted_hosts_from_the_environment(monkeypatch, tmp_path, value, expected):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FACTCHECK_TRUSTED_HOSTS", value)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "x.db")})
    assert app.config["TRUSTED_HOSTS"] == expected


def test_snippet_names_its_charset_once(client, claim):
    response = client.get(f"/api/v1/claims/{claim['id']}/claimreview",
                          query_string={"format": "snippet"})
    assert response.status_code == 200
    assert response.headers.getlist("Content-Type") == ["text/plain; charset=utf-8"]
