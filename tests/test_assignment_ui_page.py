"""The article page's assignment data (factcheck/ui.py, templates/article.html):
the desk is told who can be assigned and who is assigned, by name; readers
are told nothing; names stay text (static/js/annotator/assign.js reads them)."""

import json
from html.parser import HTMLParser

import pytest

from tests.helpers import log_in_with_form, as_actor

MARKUP_NAME = """<b onmouseover='alert(1)'>"x"</b> & co"""


class Elements(HTMLParser):
    """Each element's attributes, by id."""

    def __init__(self):
        super().__init__()
        self.by_id = {}
        self.texts = {}
        self._open = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.by_id[attrs["id"]] = attrs
            self._open = attrs["id"]
            self.texts[self._open] = ""

    def handle_endtag(self, tag):
        self._open = None

    def handle_data(self, data):
        if self._open:
            self.texts[self._open] += data


def page_of(client, path) -> Elements:
    response = client.get(path)
    assert response.status_code == 200
    parsed = Elements()
    parsed.feed(response.get_data(as_text=True))
    return parsed


login = log_in_with_form


@pytest.fixture
def desk(factories, users):
    article = factories.article(title="Harbour plan")
    claim = factories.claim(article, "the bridge is open", actor=users["factchecker"])
    return {"article": article, "claim": claim}


def people(page: Elements) -> list[dict]:
    return json.loads(page.by_id["annotator"]["data-people"])


def test_the_desk_gets_everyone_assignable_by_name_and_readers_are_left_out(
        client, users, desk):
    login(client, "factchecker")
    page = page_of(client, f"/articles/{desk['article']['id']}")
    assert {(p["username"], p["role"]) for p in people(page)} == {
        ("factchecker", "factchecker"), ("editor", "editor"), ("admin", "admin")}
    assert page.texts["article-assignee-name"] == "nobody"
    assert page.by_id["article-assignment"]["data-assignee-id"] == ""
    assert "claim-assignment" in page.by_id


def test_the_article_assignee_is_named_even_once_no_longer_assignable(
        client, store, factories, users, desk):
    former = factories.user("former", "factchecker")
    store.assign_article(desk["article"]["id"], former["id"], as_actor(users["editor"]))
    store.assign_claim(desk["claim"]["id"], former["id"], as_actor(users["editor"]))
    store.update_user(former["id"], as_actor(users["admin"]), role="reader")
    other_reader = factories.user("other-reader", "reader")

    login(client, "editor")
    page = page_of(client, f"/articles/{desk['article']['id']}")
    listed = {p["username"]: p for p in people(page)}
    # Named (the panel says who has the claim), though no longer offered (role).
    assert listed["former"] == {"id": former["id"], "username": "former", "role": "reader"}
    assert other_reader["username"] not in listed
    assert page.texts["article-assignee-name"] == "former"
    assert page.by_id["article-assignment"]["data-assignee-id"] == str(former["id"])


def test_usernames_with_markup_stay_text_in_the_page(client, store, factories, users, desk):
    odd = factories.user(MARKUP_NAME, "factchecker")
    store.assign_article(desk["article"]["id"], odd["id"], as_actor(users["editor"]))
    login(client, "factchecker")
    response = client.get(f"/articles/{desk['article']['id']}")
    html = response.get_data(as_text=True)
    assert "<b onmouseover" not in html
    page = page_of(client, f"/articles/{desk['article']['id']}")
    # The attribute survives whole (no quote in the name ends it early) and
    # holds the name as it is.
    assert {"username": MARKUP_NAME, "id": odd["id"], "role": "factchecker"} in people(page)
    assert page.texts["article-assignee-name"] == MARKUP_NAME
    assert set(page.by_id["annotator"]) >= {"data-people", "data-article-id"}
    assert not any(name.startswith("on") for attrs in page.by_id.values() for name in attrs)


@pytest.mark.parametrize("role", ["reader", None])
def test_readers_are_told_nothing_about_assignment(client, users, desk, store, role):
    store.assign_article(desk["article"]["id"], users["factchecker"]["id"],
                         as_actor(users["editor"]))
    if role:
        login(client, role)
    page = page_of(client, f"/articles/{desk['article']['id']}")
    assert people(page) == []
    assert "article-assignment" not in page.by_id
    assert "claim-assignment" not in page.by_id
