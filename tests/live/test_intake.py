"""docs/interface.md §3, 4 and 6 against the running service: the role table, derived channel and
site, experience score, received_at, errors, idempotency, paging."""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from harness import SIGNAL, auth, cli


@pytest.fixture
def tokens(service):
    return {
        "kiosk": service.token("kiosk", "kiosk stadhuis 1", "stadhuis"),
        "agent": service.token("agent", "agent 1"),
        "desk": service.token("desk", "desk edith cavell", "edith-cavell"),
        "staff": service.token("staff", "gemeenschapswacht 1"),
        "coordinator": service.token("coordinator", "coordinator 1"),
        "admin": service.token("admin", "admin 1"),
        "open311": service.token("open311", "partner app"),
        "pbx": service.token("pbx", "exchange"),
        None: None,
    }


def post(service, token, body, **headers):
    return requests.post(service.url("/api/v1/signals"), json=body, headers={**auth(token), **headers}, timeout=10)


# Every row of docs/interface.md §3: (role, extra body fields) → (channel, site, reporter) stored.
ALLOWED = [
    (None, {}, ("web", None, "citizen")),
    (None, {"channel": "web", "reporter": "citizen"}, ("web", None, "citizen")),
    ("kiosk", {}, ("kiosk", "stadhuis", "citizen")),
    ("kiosk", {"channel": "kiosk", "site": "stadhuis"}, ("kiosk", "stadhuis", "citizen")),
    ("agent", {}, ("phone", None, "citizen")),
    ("desk", {}, ("counter", "edith-cavell", "citizen")),
    ("desk", {"channel": "counter"}, ("counter", "edith-cavell", "citizen")),
    ("desk", {"channel": "email"}, ("email", None, "citizen")),
    ("desk", {"channel": "letter"}, ("letter", None, "citizen")),
    ("staff", {}, ("web", None, "staff")),
    ("coordinator", {"channel": "web"}, ("web", None, "citizen")),
    ("coordinator", {"channel": "kiosk", "site": "edith-cavell"}, ("kiosk", "edith-cavell", "citizen")),
    ("coordinator", {"channel": "counter", "site": "stadhuis"}, ("counter", "stadhuis", "citizen")),
    ("coordinator", {"channel": "phone", "reporter": "staff"}, ("phone", None, "staff")),
    ("coordinator", {"channel": "email"}, ("email", None, "citizen")),
    ("admin", {"channel": "letter", "reporter": "staff"}, ("letter", None, "staff")),
    ("admin", {"channel": "kiosk", "site": "stadhuis"}, ("kiosk", "stadhuis", "citizen")),
]


@pytest.mark.parametrize("role,extra,expected", ALLOWED)
def test_role_table_allowed(service, tokens, role, extra, expected):
    r = post(service, tokens[role], {**SIGNAL, **extra})
    assert r.status_code == 201, r.text
    s = r.json()
    assert (s["channel"], s["site"], s["reporter"]) == expected
    assert s["status"] == "received" and s["route"] is None and s["nature"] is None
    assert len(s["reference"]) <= 16 and r.headers["Location"].endswith(s["reference"])
    got = requests.get(service.url(f"/api/v1/signals/{s['reference']}"), headers=auth(tokens["coordinator"]), timeout=10)
    assert got.json()["channel"] == expected[0]


REFUSED = [
    (None, {"channel": "kiosk"}),
    (None, {"channel": "phone"}),
    (None, {"reporter": "staff"}),
    ("kiosk", {"channel": "web"}),
    ("kiosk", {"site": "edith-cavell"}),
    ("agent", {"channel": "web"}),
    ("agent", {"channel": "counter"}),
    ("desk", {"channel": "kiosk"}),
    ("desk", {"channel": "phone"}),
    ("desk", {"channel": "web"}),
    ("desk", {"channel": "counter", "site": "stadhuis"}),
    ("staff", {"channel": "kiosk"}),
    ("staff", {"reporter": "citizen"}),
    ("open311", {}),
    ("open311", {"channel": "web"}),
    ("pbx", {}),
    (None, {"received_at": "2025-06-01T09:30:00Z"}),
    ("kiosk", {"received_at": "2025-06-01T09:30:00Z"}),
    ("desk", {"channel": "counter", "received_at": "2025-06-01T09:30:00Z"}),  # a desk dates letters and e-mails only
    ("agent", {"received_at": "2025-06-01T09:30:00Z"}),
    ("staff", {"received_at": "2025-06-01T09:30:00Z"}),
]


@pytest.mark.parametrize("role,extra", REFUSED)
def test_role_table_refused(service, tokens, role, extra):
    r = post(service, tokens[role], {**SIGNAL, **extra})
    assert r.status_code == 403, r.text
    assert r.headers["Content-Type"] == "application/problem+json"
    assert r.json()["status"] == 403
    listed = requests.get(service.url("/api/v1/signals"), headers=auth(tokens["admin"]), timeout=10).json()
    assert listed["items"] == []


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_received_at_set_by_back_office(service, tokens, role):
    r = post(service, tokens[role], {**SIGNAL, "channel": "letter", "received_at": "2022-06-01T09:30:00Z"})
    assert r.status_code == 201, r.text
    assert r.json()["received_at"] == "2022-06-01T09:30:00Z"


def test_received_at_in_future_refused(service, tokens):
    r = post(service, tokens["coordinator"], {**SIGNAL, "channel": "letter", "received_at": "2999-01-01T00:00:00Z"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["received_at"]


@pytest.mark.parametrize("role,extra,ok", [
    (None, {}, True),
    ("kiosk", {}, True),
    ("coordinator", {"channel": "web"}, True),
    ("coordinator", {"channel": "kiosk", "site": "stadhuis"}, True),
    ("staff", {}, False),                      # web, but reporter staff
    ("agent", {}, False),                      # phone
    ("desk", {}, False),                       # counter
    ("desk", {"channel": "letter"}, False),
    ("coordinator", {"channel": "email"}, False),
    ("coordinator", {"channel": "web", "reporter": "staff"}, False),
])
def test_experience_score_only_on_self_service_forms(service, tokens, role, extra, ok):
    r = post(service, tokens[role], {**SIGNAL, **extra, "experience_score": 4})
    if ok:
        assert r.status_code == 201, r.text
        assert r.json()["experience_score"] == 4
    else:
        assert r.status_code == 422, r.text
        assert [e["field"] for e in r.json()["errors"]] == ["experience_score"]


@pytest.mark.parametrize("body,detail", [
    (b'{"kind": "report", ', "The body is not valid JSON: the document ends too early at byte 19."),
    (b'{"kind": "r\xff\xfe"}', "The body is not valid UTF-8: a bad byte sequence at byte 11."),
    (b'[1, 2]', "The body must be a JSON object, not an array."),
    (b'', "The body is empty; send a JSON object."),
])
def test_400_for_a_body_that_is_not_json(service, body, detail):
    r = requests.post(service.url("/api/v1/signals"), data=body, headers={"Content-Type": "application/json"}, timeout=10)
    assert r.status_code == 400
    assert r.headers["Content-Type"] == "application/problem+json"
    assert r.json()["detail"] == detail


def test_413_for_an_8_mib_body(service):
    big = b'{"description": "' + b"x" * (8 << 20) + b'"}'
    r = requests.post(service.url("/api/v1/signals"), data=big, timeout=30)
    assert r.status_code == 413
    assert r.json()["title"] == "Body too large"


def test_413_for_a_chunked_body_answered_before_it_ends(service):
    sent = {"bytes": 0}

    def chunks():
        for _ in range(64):  # 8 MiB in 128 KiB chunks
            sent["bytes"] += 128 << 10
            yield b"x" * (128 << 10)

    try:
        r = requests.post(service.url("/api/v1/signals"), data=chunks(), timeout=30)
        assert r.status_code == 413
    except requests.ConnectionError:
        # The service may close the connection after its 413 while the client still sends.
        pass
    assert requests.get(service.url("/healthz"), timeout=5).status_code == 200


def test_422_lists_every_invalid_field(service):
    body = {"kind": "klacht", "category": "nope/nope", "district": "atlantis", "description": "",
            "experience_score": 9, "contact": {"email": "not-an-email", "language": "xx"},
            "lat": 200, "consent_forward": "yes", "colour": "red"}
    r = post(service, None, body)
    assert r.status_code == 422
    doc = r.json()
    assert doc["title"] == "Invalid signal"
    fields = sorted(e["field"] for e in doc["errors"])
    assert fields == sorted(["colour", "kind", "category", "district", "lat", "lon", "description",
                             "experience_score", "contact.email", "contact.language", "consent_forward"])
    assert doc["detail"] == f"{len(fields)} fields are invalid"
    messages = {e["field"]: e["message"] for e in doc["errors"]}
    assert messages["experience_score"] == "must be 1 to 5"
    assert messages["kind"] == "must be one of report, complaint, suggestion, compliment"


def test_401_for_a_bad_or_revoked_token(service, tokens):
    assert post(service, "kb_not-a-token", SIGNAL).status_code == 401
    assert requests.get(service.url("/api/v1/signals"), timeout=5).status_code == 401
    r = requests.get(service.url("/api/v1/signals"), headers=auth("nope"), timeout=5)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == "Bearer"
    assert post(service, tokens["kiosk"], SIGNAL).status_code == 201
    cli("token", "revoke", "kiosk stadhuis 1", "--db", str(service.db))
    assert post(service, tokens["kiosk"], SIGNAL).status_code == 401


def test_reading_needs_a_staff_role(service, tokens):
    ref = post(service, None, SIGNAL).json()["reference"]
    for role in ["agent", "desk", "coordinator", "admin"]:
        assert requests.get(service.url(f"/api/v1/signals/{ref}"), headers=auth(tokens[role]), timeout=5).status_code == 200
    for role in ["kiosk", "staff", "open311", "pbx"]:
        assert requests.get(service.url(f"/api/v1/signals/{ref}"), headers=auth(tokens[role]), timeout=5).status_code == 403
    assert requests.get(service.url("/api/v1/signals/OP-0000-0000"), headers=auth(tokens["agent"]), timeout=5).status_code == 404
    # What a citizen reads out on the phone: lower case, O for 0.
    spoken = ref.lower().replace("0", "o")
    assert requests.get(service.url(f"/api/v1/signals/{spoken}"), headers=auth(tokens["agent"]), timeout=5).json()["reference"] == ref


def test_idempotent_retry_creates_one_signal(service, tokens):
    key = str(uuid.uuid4())
    first = post(service, tokens["kiosk"], SIGNAL, **{"Idempotency-Key": key})
    again = post(service, tokens["kiosk"], SIGNAL, **{"Idempotency-Key": key})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    other = post(service, tokens["kiosk"], {**SIGNAL, "description": "iets anders"}, **{"Idempotency-Key": key})
    assert other.status_code == 422
    items = requests.get(service.url("/api/v1/signals"), headers=auth(tokens["admin"]), timeout=5).json()["items"]
    assert [s["reference"] for s in items] == [first.json()["reference"]]


def test_list_paging_and_filters(service, tokens):
    refs = set()
    for i in range(7):
        refs.add(post(service, tokens["coordinator"], {**SIGNAL, "channel": "email" if i % 2 else "letter",
                                                      "received_at": f"2025-12-31T{20 + i % 4}:30:00Z"}).json()["reference"])
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = requests.get(service.url("/api/v1/signals"), params=params, headers=auth(tokens["admin"]), timeout=5).json()
        seen += [s["reference"] for s in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and len(seen) == 7 and set(seen) == refs
    emails = requests.get(service.url("/api/v1/signals"), params={"channel": "email"}, headers=auth(tokens["admin"]), timeout=5).json()
    assert len(emails["items"]) == 3 and all(s["channel"] == "email" for s in emails["items"])
    # 23:30 UTC on 31 December is 1 January in Brussels.
    newyear = requests.get(service.url("/api/v1/signals"), params={"from": "2026-01-01", "to": "2026-01-01"},
                           headers=auth(tokens["admin"]), timeout=5).json()
    assert sorted(s["received_at"] for s in newyear["items"]) == ["2025-12-31T23:30:00Z"]
    bad = requests.get(service.url("/api/v1/signals"), params={"limit": 501, "channel": "fax", "from": "2025-02-30"},
                       headers=auth(tokens["admin"]), timeout=5)
    assert bad.status_code == 422
    assert sorted(e["field"] for e in bad.json()["errors"]) == ["channel", "from", "limit"]


def test_drafts_from_kiosk_to_desk(service, tokens):
    other_desk = service.token("desk", "desk stadhuis", "stadhuis")
    r = requests.post(service.url("/api/v1/drafts"), json={"answers": {"kind": "complaint", "description": "Half"}, "language": "fr"},
                      headers=auth(tokens["kiosk"]), timeout=5)
    assert r.status_code == 201, r.text
    code = r.json()["code"]
    assert len(code) == 6
    # The kiosk is at the Stadhuis: the Edith Cavell desk does not see it.
    assert requests.get(service.url(f"/api/v1/drafts/{code}"), headers=auth(tokens["desk"]), timeout=5).status_code == 404
    d = requests.get(service.url(f"/api/v1/drafts/{code.lower()}"), headers=auth(other_desk), timeout=5).json()
    assert d["answers"] == {"kind": "complaint", "description": "Half"} and d["site"] == "stadhuis" and d["language"] == "fr"
    body = {**SIGNAL, "kind": "complaint", "experience_score": 5}
    s = requests.post(service.url(f"/api/v1/drafts/{code}/submit"), json=body, headers=auth(other_desk), timeout=5)
    assert s.status_code == 201, s.text
    assert (s.json()["channel"], s.json()["site"], s.json()["assisted"]) == ("kiosk", "stadhuis", True)
    again = requests.post(service.url(f"/api/v1/drafts/{code}/submit"), json=body, headers=auth(other_desk), timeout=5)
    assert again.status_code == 404
    assert requests.post(service.url("/api/v1/drafts"), json={"answers": {}}, headers=auth(tokens["desk"]), timeout=5).status_code == 403


def test_security_headers_and_no_store(service, tokens):
    r = requests.get(service.url("/api/v1/signals"), headers=auth(tokens["admin"]), timeout=5)
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in r.headers["Content-Security-Policy"]


def test_unknown_path_and_method(service):
    assert requests.get(service.url("/nope"), timeout=5).status_code == 404
    r = requests.delete(service.url("/api/v1/signals"), timeout=5)
    assert r.status_code == 405 and set(r.headers["Allow"].split(", ")) == {"POST", "GET"}


def test_the_served_rules_are_the_ones_the_intake_keeps(service, tokens):
    """GET /api/v1/config's `rules` (what the forms check before sending) against what a POST gets."""
    rules = requests.get(service.url("/api/v1/config"), timeout=10).json()["rules"]
    agent = tokens["agent"]
    longest = rules["max_length"]["description"]
    assert post(service, agent, {**SIGNAL, "description": "x" * longest}).status_code == 201
    r = post(service, agent, {**SIGNAL, "description": "x" * (longest + 1)})
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["description"]
    for field in ("name", "email", "phone"):
        n = rules["max_length"]["contact." + field]
        too_long = {"name": "n" * (n + 1), "email": "a" * (n - 10) + "@example.be", "phone": "0" * (n + 1)}[field]
        r = post(service, agent, {**SIGNAL, "contact": {field: too_long}})
        assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["contact." + field], (field, r.text)
    assert len("a" * (rules["max_length"]["contact.email"] - 11) + "@example.be") == rules["max_length"]["contact.email"]
    assert post(service, agent, {**SIGNAL, "contact": {"email": "a" * (rules["max_length"]["contact.email"] - 11) + "@example.be"}}).status_code == 201

    # Phone numbers as people write them pass the pattern and the service alike (the form used to let
    # "(059) 12 34 56" through and the service refused it); too few digits or letters fail both.
    pattern = re.compile(rules["phone_pattern"])
    for phone, ok in [("(059) 12 34 56", True), ("059/12.34.56", True), ("+32 59 12 34 56", True), ("0032 59 123456", True),
                      ("12-34", False), ("(((((( ))))", False), ("059 12 34 5a", False), ("+32 +59 12 34 56", False)]:
        digits = sum(c.isdigit() for c in phone)
        assert (pattern.fullmatch(phone) is not None and digits >= rules["phone_min_digits"]) == ok, phone
        r = post(service, agent, {**SIGNAL, "contact": {"phone": phone}})
        assert r.status_code == (201 if ok else 422), (phone, r.text)
    email = re.compile(rules["email_pattern"])
    for address, ok in [("naam@voorbeeld.be", True), ("a@b.c", True), ("naam@voorbeeld", False), ("na am@voorbeeld.be", False)]:
        assert (email.fullmatch(address) is not None) == ok, address
        assert post(service, agent, {**SIGNAL, "contact": {"email": address}}).status_code == (201 if ok else 422), address
