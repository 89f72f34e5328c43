"""The editorial workflow over the API: who may take each action, 409 with
the claim's state for an illegal move, corrections, revisions readers do
not see, re-attaching, one Save one version."""

import pytest

from tests.helpers import (api_error, create_claim, etag_of, import_article, passage_with,
                           publish_over_api, row_counts, take_action)

TEXT = ("Minister says the port reopened on Monday\n\n"
        "The minister said the port reopened on Monday after repairs.\n\n"
        "Officials in Одеса said 🚢 traffic was back; 港口已重新开放。\n")
SOURCE = {"url": "https://port.example.org/notice", "title": "Port notice"}


@pytest.fixture
def article(client, auth):
    return import_article(client, auth["factchecker"], url="https://news.example.com/port",
                          text=TEXT)


@pytest.fixture
def claim(client, auth, article):
    return create_claim(client, auth["factchecker"], passage_with(article, "repairs"),
                        "the port reopened on Monday", "verified", citations=[SOURCE],
                        label="Accurate", rationale="<p>The notice says so.</p>")


def _get(client, headers, claim_id):
    return client.get(f"/api/v1/claims/{claim_id}", headers=headers).get_json()


# -- roles -------------------------------------------------------------------------------

@pytest.mark.parametrize("action, allowed", [
    ("submit", {"factchecker", "editor", "admin"}),
    ("withdraw", {"factchecker", "editor", "admin"}),
    ("request_changes", {"editor", "admin"}),
    ("approve", {"editor", "admin"}),
    ("retract", {"editor", "admin"}),
])
@pytest.mark.parametrize("role", ["anonymous", "reader", "factchecker", "editor", "admin"])
def test_each_action_has_its_role(client, app, auth, claim, action, allowed, role):
    # Put the claim where the action may start, as other people.
    if action in ("withdraw", "request_changes", "approve"):
        take_action(client, auth["factchecker"], claim["id"], "submit")
    if action == "retract":
        publish_over_api(client, auth["editor"], claim["id"], submitter=auth["factchecker"])
    before = row_counts(app)

    response = take_action(client, auth[role], claim["id"], action, note="Because.")

    if role == "anonymous":
        api_error(response, 401)
    elif role not in allowed:
        api_error(response, 403)
    else:
        assert response.status_code == 200, response.get_json()
        return
    assert row_counts(app) == before


# -- illegal moves -------------------------------------------------------------------------

@pytest.mark.parametrize("action", ["approve", "withdraw", "request_changes", "retract"])
def test_an_illegal_move_is_409_with_the_current_state_and_changes_nothing(client, app, auth,
                                                                           claim, action):
    before = row_counts(app)
    response = take_action(client, auth["editor"], claim["id"], action, note="x")
    error = api_error(response, 409, "status")
    assert error["code"] == "conflict"
    body = response.get_json()
    assert body["current"]["status"] == "draft"
    assert body["current"]["version"] == claim["version"]
    assert response.headers["ETag"] == f'"claim-{claim["id"]}-v{claim["version"]}"'
    assert row_counts(app) == before


def test_a_retracted_claim_cannot_be_edited(client, app, auth, claim):
    publish_over_api(client, auth["editor"], claim["id"], submitter=auth["factchecker"])
    take_action(client, auth["editor"], claim["id"], "retract", note="Wrong page.")
    fc = auth["factchecker"]
    before = row_counts(app)
    response = client.patch(f"/api/v1/claims/{claim['id']}", json={"label": "x"},
                            headers={**fc, "If-Match": etag_of(client, fc, claim["id"])})
    api_error(response, 409)
    assert response.get_json()["current"]["status"] == "retracted"
    assert row_counts(app) == before


@pytest.mark.parametrize("body, field", [
    ({"action": "publish"}, "action"),
    ({"action": "approve", "extra": 1}, "extra"),
    ({"action": "request_changes"}, "note"),
    ({"action": "approve", "minor_edit": "yes please"}, "minor_edit"),
    ({"action": "approve", "correction_note": "x" * 5001}, "correction_note"),
])
def test_bad_transition_bodies_are_422_naming_the_field(client, app, auth, claim, body, field):
    take_action(client, auth["factchecker"], claim["id"], "submit")
    before = row_counts(app)
    response = client.post(f"/api/v1/claims/{claim['id']}/transitions", json=body,
                           headers=auth["editor"])
    api_error(response, 422, field)
    assert row_counts(app) == before


def test_two_person_rule_is_403_and_can_be_turned_off(client, app, auth, article):
    ed = auth["editor"]
    claim = create_claim(client, ed, passage_with(article, "repairs"), "after repairs",
                         "unverified")
    take_action(client, ed, claim["id"], "submit")
    before = row_counts(app)
    api_error(take_action(client, ed, claim["id"], "approve"), 403, "action")
    assert row_counts(app) == before

    app.config["TWO_PERSON_RULE"] = False
    assert take_action(client, ed, claim["id"], "approve").status_code == 200


# -- revisions and corrections ---------------------------------------------------------------

def test_readers_keep_the_published_version_until_the_revision_is_approved(client, auth, claim):
    fc, ed = auth["factchecker"], auth["editor"]
    publish_over_api(client, ed, claim["id"], submitter=fc)

    revised = client.patch(f"/api/v1/claims/{claim['id']}", json={
        "verdict": "denied", "label": "False", "rationale": "<p>It is still closed.</p>"},
        headers={**fc, "If-Match": etag_of(client, fc, claim["id"])})

    assert revised.status_code == 200
    body = revised.get_json()
    assert body["status"] == "draft" and body["verdict"] == "denied"
    assert body["publication"]["verdict"] == "verified"
    assert "submit" in body["actions"] and "retract" in body["actions"]
    for who in ("anonymous", "reader"):
        public = _get(client, auth[who], claim["id"])
        assert (public["verdict"], public["label"], public["status"]) == (
            "verified", "Accurate", "published")
    highlights = client.get("/api/v1/highlights?url=https://news.example.com/port").get_json()
    assert [c["verdict"] for c in highlights["claims"]] == ["verified"]
    assert "still closed" not in str(highlights)

    take_action(client, fc, claim["id"], "submit")
    api_error(take_action(client, ed, claim["id"], "approve"), 422, "correction_note")
    approved = take_action(client, ed, claim["id"], "approve",
                           correction_note="The port authority withdrew its notice.")
    assert approved.status_code == 200
    public = _get(client, {}, claim["id"])
    assert public["verdict"] == "denied"
    [entry] = client.get("/api/v1/highlights?url=https://news.example.com/port").get_json()[
        "claims"]
    assert entry["verdict"] == "denied" and entry["corrected_at"]
    assert entry["corrections"][0]["previous_verdict"] == "verified"
    assert entry["corrections"][0]["note"] == "The port authority withdrew its notice."


def test_deleting_a_published_claim_is_409_retract_instead(client, app, auth, claim):
    ed = auth["editor"]
    publish_over_api(client, ed, claim["id"], submitter=auth["factchecker"])
    before = row_counts(app)
    response = client.delete(f"/api/v1/claims/{claim['id']}",
                             headers={**ed, "If-Match": etag_of(client, ed, claim["id"])})
    assert "retract" in api_error(response, 409)["message"]
    assert row_counts(app) == before


def test_a_retracted_claim_shows_its_reason_to_readers(client, auth, claim):
    ed = auth["editor"]
    publish_over_api(client, ed, claim["id"], submitter=auth["factchecker"])
    take_action(client, ed, claim["id"], "retract", note="The quote was misattributed.")
    public = _get(client, {}, claim["id"])
    assert public["status"] == "retracted"
    working = _get(client, auth["factchecker"], claim["id"])
    assert working["publication"]["retraction_reason"] == "The quote was misattributed."
    assert working["actions"] == []


# -- one Save, one version -------------------------------------------------------------------

def test_one_patch_saves_fields_and_sources_as_one_version(client, auth, claim):
    fc = auth["factchecker"]
    citation_id = claim["citations"][0]["id"]
    response = client.patch(f"/api/v1/claims/{claim['id']}", json={
        "label": "Mostly accurate",
        "citations": [{"id": citation_id, "title": "Port notice (archived)"},
                      {"url": "https://news.example.org/port", "stance": "context",
                       "accessed_date": "2026-11-01"}]},
        headers={**fc, "If-Match": etag_of(client, fc, claim["id"])})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["version"] == claim["version"] + 1
    assert [(c["title"], c["stance"]) for c in body["citations"]] == [
        ("Port notice (archived)", "supports"), ("", "context")]
    assert body["citations"][1]["accessed_date"] == "2026-11-01"
    history = client.get(f"/api/v1/claims/{claim['id']}/history", headers=fc).get_json()
    assert [e["action"] for e in history["entries"]] == ["create", "update"]


def test_a_patch_naming_another_claims_citation_is_422(client, app, auth, article, claim):
    fc = auth["factchecker"]
    other = create_claim(client, fc, passage_with(article, "Officials"), "traffic was back",
                         "unverified", citations=[{"url": "https://other.example.org/"}])
    before = row_counts(app)
    response = client.patch(f"/api/v1/claims/{claim['id']}", json={
        "citations": [{"id": other["citations"][0]["id"]}]},
        headers={**fc, "If-Match": etag_of(client, fc, claim["id"])})
    api_error(response, 422, "citations.0.id")
    assert row_counts(app) == before


# -- re-attaching ------------------------------------------------------------------------------

def test_reattach_places_the_claim_on_a_new_span_as_a_revision(client, auth, article, claim):
    fc, ed = auth["factchecker"], auth["editor"]
    publish_over_api(client, ed, claim["id"], submitter=fc)
    passage = passage_with(article, "Officials")
    start = passage["text"].index("港口已重新开放")
    response = client.put(f"/api/v1/claims/{claim['id']}/anchor", json={
        "passage_id": passage["id"], "start": start, "end": start + 7, "exact": "港口已重新开放"},
        headers={**fc, "If-Match": etag_of(client, fc, claim["id"])})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["exact"] == "港口已重新开放" and body["status"] == "draft"
    assert body["publication"]["exact"] == "the port reopened on Monday"


@pytest.mark.parametrize("body, status, field", [
    ({"passage_id": 1, "start": 0}, 422, "end"),
    ({"passage_id": 1, "start": 5, "end": 2}, 422, "end"),
    ({"passage_id": 1, "start": 0, "end": 4, "exact": "nope"}, 422, "exact"),
    ({"passage_id": 99999, "start": 0, "end": 4}, 404, "passage_id"),
])
def test_bad_reattach_bodies_write_nothing(client, app, auth, claim, body, status, field):
    fc = auth["factchecker"]
    before = row_counts(app)
    response = client.put(f"/api/v1/claims/{claim['id']}/anchor", json=body,
                          headers={**fc, "If-Match": etag_of(client, fc, claim["id"])})
    api_error(response, status, field)
    assert row_counts(app) == before


def test_reattach_needs_if_match(client, auth, claim):
    api_error(client.put(f"/api/v1/claims/{claim['id']}/anchor", json={
        "passage_id": claim["passage_id"], "start": 0, "end": 3},
        headers=auth["factchecker"]), 428)


def test_a_claim_sent_back_carries_the_editors_request(client, auth, claim):
    fc, ed = auth["factchecker"], auth["editor"]
    take_action(client, fc, claim["id"], "submit")
    take_action(client, ed, claim["id"], "request_changes", note="Link the <b>notice</b> itself.")
    sent_back = _get(client, fc, claim["id"])
    assert sent_back["change_request"]["by"] == "editor"
    assert sent_back["change_request"]["note"] == "Link the <b>notice</b> itself."
    take_action(client, fc, claim["id"], "submit")
    assert _get(client, fc, claim["id"])["change_request"] is None


@pytest.mark.parametrize("setting, shown", [("show", True), ("hide", False)])
def test_readers_article_api_follows_the_retracted_claims_setting(client, app, auth, article,
                                                                  claim, setting, shown):
    ed = auth["editor"]
    publish_over_api(client, ed, claim["id"], submitter=auth["factchecker"])
    take_action(client, ed, claim["id"], "retract", note="Misquoted.")
    app.config["RETRACTED_CLAIMS"] = setting
    for who in ("anonymous", "reader"):
        body = client.get(f"/api/v1/articles/{article['id']}", headers=auth[who]).get_json()
        assert ([c["id"] for c in body["claims"]] == [claim["id"]]) == shown
        if shown:
            assert body["claims"][0]["status"] == "retracted"
    # The desk always sees its claims.
    desk = client.get(f"/api/v1/articles/{article['id']}", headers=auth["factchecker"])
    assert [c["id"] for c in desk.get_json()["claims"]] == [claim["id"]]
