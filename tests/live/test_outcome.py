"""docs/interface.md §4: a complaint's `outcome`, recorded when the complaint is answered,
in the history; refused (422) for other kinds, before the answer, and for unknown values."""

from __future__ import annotations

import pytest
import requests

from harness import Service, auth


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    s = Service(tmp_path_factory.mktemp("outcome"))
    s.start()
    s.tokens = {role: s.token(role, f"{role} 1") for role in ("coordinator", "agent")}
    yield s
    s.kill()


def call(svc, method, path, body=None, role="coordinator"):
    return requests.request(method, svc.url(path), json=body, headers=auth(svc.tokens[role]), timeout=10)


def new_signal(svc, kind: str, status: str = "received") -> str:
    r = call(svc, "POST", "/api/v1/signals", {"kind": kind, "channel": "phone", "reporter": "citizen",
                                               "category": "overlast", "description": "Klacht over lawaai",
                                               "received_at": "2019-06-01T10:00:00Z"})
    assert r.status_code == 201, r.text
    ref = r.json()["reference"]
    if status != "received":
        assert call(svc, "PATCH", f"/api/v1/signals/{ref}", {"status": "in_progress"}).status_code == 200
    if status == "answered":
        assert call(svc, "PATCH", f"/api/v1/signals/{ref}", {"status": "answered", "answer": "Antwoord."}).status_code == 200
    return ref


def errors(r) -> dict:
    assert r.status_code == 422, r.text
    return {e["field"]: e["message"] for e in r.json()["errors"]}


def history(svc, ref) -> list[tuple]:
    r = call(svc, "GET", f"/api/v1/signals/{ref}/history")
    assert r.status_code == 200, r.text
    return [(e["field"], e["old_value"], e["new_value"], e["who"]) for e in r.json()["items"] if e["field"] == "outcome"]


def test_a_complaint_gets_its_outcome_with_the_answer_and_a_correction_later(svc):
    ref = new_signal(svc, "complaint", "in_progress")
    path = f"/api/v1/signals/{ref}"
    r = call(svc, "PATCH", path, {"status": "answered", "answer": "U krijgt gelijk.", "outcome": "upheld"})
    assert r.status_code == 200, r.text
    assert r.json()["outcome"] == "upheld" and r.json()["status"] == "answered"
    assert call(svc, "GET", path).json()["outcome"] == "upheld"
    r = call(svc, "PATCH", path, {"outcome": "partly_upheld"})
    assert r.status_code == 200, r.text
    assert r.json()["outcome"] == "partly_upheld"
    assert history(svc, ref) == [("outcome", None, "upheld", "coordinator 1"),
                                 ("outcome", "upheld", "partly_upheld", "coordinator 1")]
    # The same value again changes nothing and writes no history.
    assert call(svc, "PATCH", path, {"outcome": "partly_upheld"}).status_code == 200
    assert len(history(svc, ref)) == 2
    # Closed: no change at all.
    assert call(svc, "PATCH", path, {"status": "closed"}).status_code == 200
    r = call(svc, "PATCH", path, {"outcome": "not_upheld"})
    assert r.status_code == 409, r.text
    assert call(svc, "GET", path).json()["outcome"] == "partly_upheld"


@pytest.mark.parametrize("outcome", ["not_upheld", "inadmissible"])
def test_every_outcome_is_stored_on_an_answered_complaint(svc, outcome):
    ref = new_signal(svc, "complaint", "answered")
    r = call(svc, "PATCH", f"/api/v1/signals/{ref}", {"outcome": outcome})
    assert r.status_code == 200, r.text
    assert call(svc, "GET", f"/api/v1/signals/{ref}").json()["outcome"] == outcome


@pytest.mark.parametrize("kind", ["report", "suggestion", "compliment"])
def test_other_kinds_take_no_outcome_and_nothing_of_the_body_is_applied(svc, kind):
    ref = new_signal(svc, kind, "in_progress")
    r = call(svc, "PATCH", f"/api/v1/signals/{ref}", {"status": "answered", "answer": "Antwoord.", "outcome": "upheld"})
    assert errors(r) == {"outcome": f"is for complaints only (this signal is a {kind})"}
    s = call(svc, "GET", f"/api/v1/signals/{ref}").json()
    assert s["status"] == "in_progress" and s["outcome"] is None and s["answer"] is None
    assert history(svc, ref) == []


@pytest.mark.parametrize("status", ["received", "in_progress"])
def test_an_unanswered_complaint_takes_no_outcome(svc, status):
    ref = new_signal(svc, "complaint", status)
    r = call(svc, "PATCH", f"/api/v1/signals/{ref}", {"outcome": "upheld"})
    assert list(errors(r)) == ["outcome"]
    assert "answered" in errors(r)["outcome"]
    assert call(svc, "GET", f"/api/v1/signals/{ref}").json()["outcome"] is None


@pytest.mark.parametrize("value,message", [
    ("gegrond", "must be one of upheld, partly_upheld, not_upheld, inadmissible"),
    ("UPHELD", "must be one of upheld, partly_upheld, not_upheld, inadmissible"),
    (None, "must not be null"),
    (3, None), (["upheld"], None), ({"v": "upheld"}, None), ("u" * 5_000, None), ("upheld\u0000", None),
])
def test_bad_outcomes_are_422_naming_the_field(svc, value, message):
    ref = new_signal(svc, "complaint", "answered")
    r = call(svc, "PATCH", f"/api/v1/signals/{ref}", {"outcome": value})
    got = errors(r)
    assert list(got) == ["outcome"]
    if message:
        assert got["outcome"] == message
    assert call(svc, "GET", f"/api/v1/signals/{ref}").json()["outcome"] is None


def test_only_the_back_office_records_an_outcome(svc):
    ref = new_signal(svc, "complaint", "answered")
    assert call(svc, "PATCH", f"/api/v1/signals/{ref}", {"outcome": "upheld"}, role="agent").status_code == 403
    assert requests.patch(svc.url(f"/api/v1/signals/{ref}"), json={"outcome": "upheld"}, timeout=10).status_code == 401
    assert call(svc, "GET", f"/api/v1/signals/{ref}").json()["outcome"] is None
