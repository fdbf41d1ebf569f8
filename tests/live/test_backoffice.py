"""docs/interface.md §4, the back office, against the running service: PATCH (status steps, routes
and their keys, nature, answer), the ombuds referral and the history of every change."""

from __future__ import annotations

import json

import pytest
import requests

from harness import SIGNAL, Service, auth


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    s = Service(tmp_path_factory.mktemp("backoffice"),
                extra_config={"limits": {"max_body_bytes": 1048576, "public_per_minute": 0}})
    s.start()
    s.tokens = {role: s.token(role, f"{role} 1") for role in ("coordinator", "admin", "agent", "staff")}
    s.tokens["desk"] = s.token("desk", "desk 1", "stadhuis")
    yield s
    s.kill()


def new_signal(svc, **extra) -> dict:
    r = requests.post(svc.url("/api/v1/signals"), json={**SIGNAL, **extra}, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def patch(svc, reference, body, role="coordinator"):
    return requests.patch(svc.url(f"/api/v1/signals/{reference}"), json=body, headers=auth(svc.tokens.get(role)), timeout=10)


def history(svc, reference, role="coordinator"):
    r = requests.get(svc.url(f"/api/v1/signals/{reference}/history"), headers=auth(svc.tokens[role]), timeout=10)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["next_cursor"] is None
    return doc["items"]


def get(svc, reference):
    r = requests.get(svc.url(f"/api/v1/signals/{reference}"), headers=auth(svc.tokens["coordinator"]), timeout=10)
    assert r.status_code == 200
    return r.json()


# -- who may ----------------------------------------------------------------------------
@pytest.mark.parametrize("role,status", [(None, 401), ("agent", 403), ("desk", 403), ("staff", 403)])
def test_only_the_back_office_may_change_signals(svc, role, status):
    ref = new_signal(svc)["reference"]
    r = patch(svc, ref, {"nature": "service"}, role=role) if role else requests.patch(
        svc.url(f"/api/v1/signals/{ref}"), json={"nature": "service"}, timeout=10)
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"] == "application/problem+json"
    r = requests.post(svc.url(f"/api/v1/signals/{ref}/ombuds-referral"), headers=auth(svc.tokens.get(role)), timeout=10)
    assert r.status_code == status
    assert get(svc, ref)["nature"] is None and get(svc, ref)["ombuds_referred_at"] is None


def test_admin_may_too_and_unknown_references_are_404(svc):
    ref = new_signal(svc)["reference"]
    assert patch(svc, ref, {"nature": "policy"}, role="admin").status_code == 200
    for path in ("/api/v1/signals/OP-ZZZZ-ZZZZ", "/api/v1/signals/nonsense"):
        assert requests.patch(svc.url(path), json={"nature": "policy"}, headers=auth(svc.tokens["coordinator"]), timeout=10).status_code == 404
        assert requests.get(svc.url(path + "/history"), headers=auth(svc.tokens["coordinator"]), timeout=10).status_code == 404
        assert requests.post(svc.url(path + "/ombuds-referral"), headers=auth(svc.tokens["coordinator"]), timeout=10).status_code == 404


def test_bad_json_is_400(svc):
    ref = new_signal(svc)["reference"]
    r = requests.patch(svc.url(f"/api/v1/signals/{ref}"), data="{nature", headers={**auth(svc.tokens["coordinator"]),
                       "Content-Type": "application/json"}, timeout=10)
    assert r.status_code == 400
    r = requests.patch(svc.url(f"/api/v1/signals/{ref}"), json=["nature"], headers=auth(svc.tokens["coordinator"]), timeout=10)
    assert r.status_code == 400


# -- status -----------------------------------------------------------------------------
def test_status_walks_its_steps_and_history_has_who_when_old_new(svc):
    ref = new_signal(svc)["reference"]
    steps = [({"status": "in_progress", "route": "opunt", "department": "netheid"}, "in_progress"),
             ({"status": "answered", "answer": "Het vuil is opgehaald."}, "answered"),
             ({"status": "in_progress"}, "in_progress"),  # the reporter replied: reopened
             ({"status": "answered", "answer": "Opnieuw opgehaald."}, "answered"),
             ({"status": "closed"}, "closed")]
    for body, status in steps:
        r = patch(svc, ref, body)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == status
    s = get(svc, ref)
    assert s["answer"] == "Opnieuw opgehaald." and s["answered_at"] and s["closed_at"]
    items = history(svc, ref)
    assert items[0]["field"] == "created" and items[0]["who"] == "public"
    changes = [(i["field"], i["old_value"], i["new_value"]) for i in items[1:]]
    assert changes[:3] == [("status", "received", "in_progress"), ("route", None, "opunt"), ("department", None, "netheid")]
    assert ("answer", "Het vuil is opgehaald.", "Opnieuw opgehaald.") in changes
    assert [c for c in changes if c[0] == "status"] == [
        ("status", "received", "in_progress"), ("status", "in_progress", "answered"), ("status", "answered", "in_progress"),
        ("status", "in_progress", "answered"), ("status", "answered", "closed")]
    assert {i["who"] for i in items[1:]} == {"coordinator 1"}
    ats = [i["at"] for i in items]
    assert ats == sorted(ats) and all(a.endswith("Z") for a in ats)


@pytest.mark.parametrize("start,target,allowed", [
    ([], "answered", ["in_progress", "closed"]),
    ([{"status": "in_progress"}], "received", ["answered", "closed"]),
    ([{"status": "closed"}], "answered", ["in_progress"]),
])
def test_a_step_that_is_not_allowed_is_409_naming_the_allowed_next_states(svc, start, target, allowed):
    ref = new_signal(svc)["reference"]
    for body in start:
        assert patch(svc, ref, body).status_code == 200
    before = get(svc, ref)
    r = patch(svc, ref, {"status": target, "answer": "Antwoord", "nature": "service"})
    assert r.status_code == 409, r.text
    problem = r.json()
    assert r.headers["Content-Type"] == "application/problem+json"
    for state in allowed:
        assert state in problem["detail"]
    assert problem["errors"][0]["field"] == "status"
    if allowed:
        assert problem["detail"].endswith("Allowed next: " + ", ".join(allowed) + ".")
    after = get(svc, ref)
    assert after == before  # the answer and nature in the same body were not applied either


def test_answering_needs_answer_text(svc):
    ref = new_signal(svc)["reference"]
    assert patch(svc, ref, {"status": "in_progress"}).status_code == 200
    r = patch(svc, ref, {"status": "answered"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["answer"]


def test_a_closed_signal_no_longer_changes(svc):
    ref = new_signal(svc)["reference"]
    assert patch(svc, ref, {"status": "closed"}).status_code == 200
    r = patch(svc, ref, {"nature": "service"})
    assert r.status_code == 409
    assert "closed" in r.json()["detail"]


# -- routes -----------------------------------------------------------------------------
def test_opunt_with_a_department(svc):
    ref = new_signal(svc)["reference"]
    r = patch(svc, ref, {"route": "opunt", "department": "wegen", "nature": "service"})
    assert r.status_code == 200, r.text
    s = r.json()
    assert (s["route"], s["department"], s["special_procedure"], s["external_party"], s["nature"]) == ("opunt", "wegen", None, None, "service")
    assert s["forwarded_to"] is None
    # Without a department, the category's department (overlast/zwerfvuil → netheid).
    ref2 = new_signal(svc)["reference"]
    assert patch(svc, ref2, {"route": "opunt"}).json()["department"] == "netheid"


def test_special_procedure_sets_its_department(svc):
    ref = new_signal(svc, category="administratie/gas-boete", kind="complaint")["reference"]
    r = patch(svc, ref, {"route": "special_procedure", "special_procedure": "gas-verweer"})
    assert r.status_code == 200, r.text
    s = r.json()
    assert (s["route"], s["special_procedure"], s["department"]) == ("special_procedure", "gas-verweer", "gas")
    r = patch(svc, ref, {"special_procedure": "belastingbezwaar"})
    assert r.json()["department"] == "financien"
    r = patch(svc, ref, {"department": "wegen"})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "department",
                                   "message": "is set by special procedure belastingbezwaar: the signal goes wholly to department financien"}]


def test_external_without_consent_is_not_forwarded_and_the_answer_carries_the_contact_details(svc):
    ref = new_signal(svc, category="mobiliteit/openbaar-vervoer")["reference"]
    r = patch(svc, ref, {"route": "external", "external_party": "de-lijn", "status": "in_progress"})
    assert r.status_code == 200, r.text
    assert r.json()["forwarded_to"] is None
    r = patch(svc, ref, {"status": "answered", "answer": "Dit gaat over de bus: De Lijn beslist daarover."})
    s = r.json()
    assert s["answer"].startswith("Dit gaat over de bus")
    assert "070 220 200" in s["answer"] and "https://www.delijn.be" in s["answer"]
    assert s["forwarded_to"] is None
    assert "forwarded_to" not in [i["field"] for i in history(svc, ref)]


def test_external_with_consent_is_forwarded(svc):
    ref = new_signal(svc, category="mobiliteit/openbaar-vervoer", consent_forward=True)["reference"]
    r = patch(svc, ref, {"route": "external", "answer": "Wij hebben uw bericht aan De Lijn bezorgd."})
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["external_party"] == "de-lijn"  # the category's party
    assert s["forwarded_to"] == "de-lijn"
    assert "070 220 200" in s["answer"]
    fields = {i["field"]: i for i in history(svc, ref)}
    assert fields["forwarded_to"]["new_value"] == "de-lijn"
    # Consent given in the PATCH (the reporter agreed on the phone) also forwards.
    ref2 = new_signal(svc, category="overlast/lawaai")["reference"]
    s2 = patch(svc, ref2, {"route": "external", "external_party": "politie", "consent_forward": True}).json()
    assert s2["forwarded_to"] == "politie" and s2["consent_forward"] is True


def test_unknown_keys_and_fields_that_do_not_fit_are_422_naming_them_and_nothing_is_applied(svc):
    ref = new_signal(svc)["reference"]
    before = get(svc, ref)
    cases = [
        ({"route": "opunt", "department": "brandweer", "nature": "service"}, ["department"]),
        ({"route": "opunt", "department": "wegen", "colour": "red"}, ["colour"]),
        ({"route": "opunt", "department": "wegen", "external_party": "de-lijn"}, ["external_party"]),
        ({"route": "opunt", "department": "wegen", "special_procedure": "gas-verweer"}, ["special_procedure"]),
        ({"route": "opunt", "department": "wegen", "consent_forward": True}, ["consent_forward"]),
        ({"route": "external", "external_party": "nmbs"}, ["external_party"]),
        ({"route": "external", "external_party": "de-lijn", "department": "wegen"}, ["department"]),
        ({"route": "special_procedure", "special_procedure": "gas-verweer", "nature": "mixed"}, ["nature"]),
        ({"route": "special_procedure"}, ["special_procedure"]),
        ({"route": "moon", "status": "open", "answer": 3}, ["answer", "route", "status"]),
        ({"department": "wegen"}, ["department"]),
    ]
    for body, fields in cases:
        r = patch(svc, ref, body)
        assert r.status_code == 422, (body, r.text)
        problem = r.json()
        assert sorted(e["field"] for e in problem["errors"]) == sorted(fields), (body, problem)
        assert all(e["message"] for e in problem["errors"])
    assert get(svc, ref) == before
    assert [i["field"] for i in history(svc, ref)] == ["created"]


# -- ombudsman --------------------------------------------------------------------------
def test_ombuds_referral_is_recorded_once_with_the_ombudsmans_contact_details(svc):
    ref = new_signal(svc, kind="complaint")["reference"]
    assert patch(svc, ref, {"status": "closed"}).status_code == 200
    url = svc.url(f"/api/v1/signals/{ref}/ombuds-referral")
    r = requests.post(url, headers=auth(svc.tokens["coordinator"]), timeout=10)
    assert r.status_code == 201, r.text
    doc = r.json()
    config = json.loads(svc.config.read_text())
    assert doc["reference"] == ref
    assert doc["ombudsman"]["phone"] == config["ombudsman"]["phone"]
    assert doc["ombudsman"]["email"] == config["ombudsman"]["email"]
    assert doc["ombudsman"]["name"]["nl"] == config["ombudsman"]["name"]["nl"]
    first = doc["ombuds_referred_at"]
    assert get(svc, ref)["ombuds_referred_at"] == first
    again = requests.post(url, json={}, headers=auth(svc.tokens["admin"]), timeout=10)
    assert again.status_code == 200
    assert again.json()["ombuds_referred_at"] == first
    assert [i["field"] for i in history(svc, ref)].count("ombuds_referred_at") == 1
    bad = requests.post(url, json={"when": "now"}, headers=auth(svc.tokens["coordinator"]), timeout=10)
    assert bad.status_code == 422


def test_history_is_readable_by_staff_roles_only(svc):
    ref = new_signal(svc)["reference"]
    assert len(history(svc, ref, role="agent")) == 1
    assert requests.get(svc.url(f"/api/v1/signals/{ref}/history"), headers=auth(svc.tokens["staff"]), timeout=10).status_code == 403
    assert requests.get(svc.url(f"/api/v1/signals/{ref}/history"), timeout=10).status_code == 401
