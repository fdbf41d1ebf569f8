"""Issue 11, the back office as a work queue (docs/interface.md §13, the role `department` of §3),
against the running service: due dates (across DST changes and year ends, computed here with
zoneinfo), overdue, the list's sort, filters and full-text search, assignment, closed signals
read-only until reopened, internal notes (never shown to the reporter), duplicate merges, bulk
changes, the suggested department, and what a department token may and may not do."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import requests

from harness import CONFIG, SIGNAL, Service, auth, cli, problem
from test_messages import recipients_config

CITY = ZoneInfo("Europe/Brussels")
ANSWER_DAYS = json.loads(CONFIG.read_text())["deadlines"]["answer_days"]
REPORTER = {"name": "Jan Peeters", "email": "jan.peeters@example.com", "phone": "0471 12 34 56", "language": "nl"}


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    s = Service(tmp_path_factory.mktemp("queue"), extra_config=recipients_config())
    s.start()
    s.tokens = {role: s.token(role, f"{role} 1") for role in ("coordinator", "admin", "agent", "staff")}
    s.tokens["desk"] = s.token("desk", "desk 1", "stadhuis")
    s.tokens["netheid"] = s.token("department", "dienst netheid", department="netheid")
    s.tokens["wegen"] = s.token("department", "dienst wegen", department="wegen")
    yield s
    s.kill()


def z(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def expected_due(received: datetime, kind: str) -> datetime:
    """The same wall-clock time `answer_days` calendar days later in Brussels. zoneinfo's fold=0
    reads a time that happens twice (autumn) as the first, and one that does not exist (the
    spring gap) with the offset before the change, i.e. an hour later on the clock."""
    local = received.astimezone(CITY).replace(tzinfo=None) + timedelta(days=ANSWER_DAYS[kind])
    return local.replace(tzinfo=CITY, fold=0).astimezone(timezone.utc)


def create(svc, role="coordinator", contact=REPORTER, **extra) -> dict:
    body = {**SIGNAL, "channel": "web", "reporter": "citizen", **extra}
    if contact is not None:
        body["contact"] = contact
    r = requests.post(svc.url("/api/v1/signals"), json=body, headers=auth(svc.tokens[role]), timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def get(svc, ref, role="coordinator"):
    return requests.get(svc.url(f"/api/v1/signals/{ref}"), headers=auth(svc.tokens.get(role)), timeout=10)


def patch(svc, ref, body, role="coordinator"):
    return requests.patch(svc.url(f"/api/v1/signals/{ref}"), json=body, headers=auth(svc.tokens.get(role)), timeout=10)


def post(svc, path, body, role="coordinator"):
    return requests.post(svc.url(path), json=body, headers=auth(svc.tokens.get(role)), timeout=10)


def listing(svc, role="coordinator", **params):
    r = requests.get(svc.url("/api/v1/signals"), params=params, headers=auth(svc.tokens[role]), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def all_pages(svc, role="coordinator", **params) -> list[dict]:
    items, cursor = [], None
    while True:
        page = listing(svc, role, **params, **({"cursor": cursor} if cursor else {}))
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def history(svc, ref, role="coordinator"):
    r = requests.get(svc.url(f"/api/v1/signals/{ref}/history"), headers=auth(svc.tokens[role]), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def outbox(svc, ref) -> list[dict]:
    with sqlite3.connect(svc.db) as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM outbox_message WHERE signal_reference = ? ORDER BY id", (ref,))]


def status_key(svc, ref) -> str:
    with sqlite3.connect(svc.db) as db:
        return db.execute("SELECT status_key FROM signal WHERE reference = ?", (ref,)).fetchone()[0]


def word() -> str:
    """A word no other signal holds, to find this test's signals with q=."""
    return "w" + uuid.uuid4().hex[:12]


# -- due dates ------------------------------------------------------------------------------
DUE_CASES = [
    # received (UTC), kind: across the spring change (30 March 2025), the autumn change
    # (26 October 2025), a year end, a local midnight, and the spring change of 2026 (29 March).
    (datetime(2025, 3, 10, 9, 30, tzinfo=timezone.utc), "report"),
    (datetime(2025, 3, 1, 23, 30, tzinfo=timezone.utc), "suggestion"),
    (datetime(2025, 10, 1, 8, 0, tzinfo=timezone.utc), "report"),
    (datetime(2025, 9, 20, 22, 15, tzinfo=timezone.utc), "complaint"),
    (datetime(2025, 12, 20, 12, 0, tzinfo=timezone.utc), "complaint"),
    (datetime(2025, 12, 31, 23, 30, tzinfo=timezone.utc), "compliment"),
    (datetime(2026, 2, 28, 1, 30, tzinfo=timezone.utc), "report"),
    # 02:30 on 30 March 2025 does not exist in Brussels; 02:30 on 26 October 2025 happens twice.
    (datetime(2025, 2, 28, 1, 30, tzinfo=timezone.utc), "report"),
    (datetime(2025, 9, 26, 0, 30, tzinfo=timezone.utc), "report"),
]


@pytest.mark.parametrize("received,kind", DUE_CASES)
def test_due_at_is_the_same_wall_clock_time_days_later_in_the_city(svc, received, kind):
    s = create(svc, kind=kind, received_at=z(received))
    due = expected_due(received, kind)
    assert parse(s["due_at"]) == due, (s["due_at"], due)
    # Across a DST change the UTC distance is not a whole number of days, the local time is the same
    # (but in the spring gap, which has no 02:30).
    if received == datetime(2025, 2, 28, 1, 30, tzinfo=timezone.utc):
        assert due.astimezone(CITY).strftime("%H:%M %z") == "03:30 +0200"  # moved on, past the gap
        return
    assert due.astimezone(CITY).time() == received.astimezone(CITY).time()
    if received.astimezone(CITY).utcoffset() != due.astimezone(CITY).utcoffset():
        assert (due - received) % timedelta(days=1) != timedelta(0)
    assert get(svc, s["reference"]).json()["due_at"] == s["due_at"]
    assert s["overdue"] is True  # long past, not answered


def test_overdue_only_while_open_and_past_due(svc):
    now = datetime.now(timezone.utc)
    recent = create(svc, received_at=z(now - timedelta(days=1)))
    assert recent["overdue"] is False
    late = create(svc, received_at=z(now - timedelta(days=ANSWER_DAYS["report"] + 2)))
    assert late["overdue"] is True
    assert patch(svc, late["reference"], {"status": "in_progress"}).json()["overdue"] is True
    answered = patch(svc, late["reference"], {"status": "answered", "answer": "Opgeruimd."}).json()
    assert answered["overdue"] is False
    closed = create(svc, received_at=z(now - timedelta(days=90)))
    assert patch(svc, closed["reference"], {"status": "closed"}).json()["overdue"] is False


def test_due_dates_are_filled_after_migration_and_follow_a_changed_config(tmp_path):
    s = Service(tmp_path, extra_config={"limits": {"max_body_bytes": 1048576, "public_per_minute": 0}})
    s.start()
    try:
        s.tokens = {"coordinator": s.token("coordinator", "c")}
        received = datetime(2025, 10, 10, 9, 0, tzinfo=timezone.utc)
        ref = create(s, kind="complaint", received_at=z(received))["reference"]
    finally:
        s.stop()
    # As a database of before the column was filled: the service fills it at start.
    with sqlite3.connect(s.db) as db:
        db.execute("UPDATE signal SET due_at = NULL")
        db.execute("DELETE FROM derived_setting")
    s.start()
    try:
        assert parse(get(s, ref).json()["due_at"]) == expected_due(received, "complaint")
    finally:
        s.stop()
    # A city changes its regulation: complaints within 20 days.
    data = json.loads(s.config.read_text())
    data["deadlines"] = {"answer_days": {"report": 30, "complaint": 20, "suggestion": 30, "compliment": 30}}
    s.config.write_text(json.dumps(data))
    s.start()
    try:
        local = received.astimezone(CITY).replace(tzinfo=None) + timedelta(days=20)
        assert parse(get(s, ref).json()["due_at"]) == local.replace(tzinfo=CITY).astimezone(timezone.utc)
    finally:
        s.stop()


# -- list: sort, filters, search ---------------------------------------------------------------
def test_sort_due_is_earliest_first_and_pages_with_its_cursor(svc):
    tag = word()
    base = datetime(2025, 1, 1, 9, 0, tzinfo=timezone.utc)
    made = []
    for i, kind in enumerate(["complaint", "report", "suggestion", "complaint", "report", "compliment", "report"]):
        received = base + timedelta(days=3 * i, hours=i)
        made.append(create(svc, kind=kind, received_at=z(received), description=f"Melding {tag} nummer {i}"))
    expected = sorted(made, key=lambda s: parse(s["due_at"]))
    items = all_pages(svc, q=tag, sort="due", limit=2)
    assert [s["reference"] for s in items] == [s["reference"] for s in expected]
    # The default stays newest first.
    newest = all_pages(svc, q=tag, limit=3)
    assert [s["reference"] for s in newest] == [s["reference"] for s in sorted(made, key=lambda s: s["received_at"], reverse=True)]
    # A cursor of one order is not a cursor of the other.
    cursor = listing(svc, q=tag, sort="due", limit=2)["next_cursor"]
    r = requests.get(svc.url("/api/v1/signals"), params={"q": tag, "cursor": cursor},
                     headers=auth(svc.tokens["coordinator"]), timeout=10)
    assert r.status_code == 422 and problem(r)["errors"][0]["field"] == "cursor"


def test_filters_overdue_department_assignee_kind(svc):
    tag = word()
    now = datetime.now(timezone.utc)
    old = create(svc, kind="complaint", received_at=z(now - timedelta(days=60)), description=f"{tag} oud")
    new = create(svc, kind="report", received_at=z(now - timedelta(days=2)), description=f"{tag} nieuw")
    answered_old = create(svc, kind="report", received_at=z(now - timedelta(days=60)), description=f"{tag} beantwoord")
    patch(svc, answered_old["reference"], {"status": "in_progress"})
    assert patch(svc, answered_old["reference"], {"status": "answered", "answer": "Klaar."}).status_code == 200
    assert patch(svc, old["reference"], {"route": "opunt", "department": "wegen", "assignee": "An Peeters"}).status_code == 200
    assert patch(svc, new["reference"], {"route": "opunt", "department": "netheid", "assignee": "Bart Claes"}).status_code == 200

    def refs(**params):
        return {s["reference"] for s in all_pages(svc, q=tag, **params)}

    assert refs(overdue="true") == {old["reference"]}
    assert refs(overdue="false") == {old["reference"], new["reference"], answered_old["reference"]}
    assert refs(department="wegen") == {old["reference"]}
    assert refs(department="wegen,netheid") == {old["reference"], new["reference"]}
    assert refs(assignee="Bart Claes") == {new["reference"]}
    assert refs(assignee="Niemand") == set()
    assert refs(kind="complaint") == {old["reference"]}
    assert refs(kind="report", overdue="true") == set()
    for params, field in [({"overdue": "ja"}, "overdue"), ({"department": "onbekend"}, "department"),
                          ({"sort": "oudste"}, "sort"), ({"kind": "klacht"}, "kind"),
                          ({"assignee": "x" * 500}, "assignee")]:
        r = requests.get(svc.url("/api/v1/signals"), params=params, headers=auth(svc.tokens["coordinator"]), timeout=10)
        assert r.status_code == 422, (params, r.text)
        assert [e["field"] for e in problem(r)["errors"]] == [field]


def test_search_ignores_accents_and_case_over_reference_description_and_address(svc):
    tag = word()
    a = create(svc, description=f"Kapotte fietsenstalling aan het Léopoldpark {tag}", address="Wellingtonstraat 3")
    b = create(svc, description=f"Zwerfvuil {tag}", address="Rue de l'Église 5")
    c = create(svc, description=f"Overlast bij de CAFÉ {tag}")

    def refs(q):
        return {s["reference"] for s in all_pages(svc, q=q)}

    assert refs(f"leopoldpark {tag}") == {a["reference"]}
    assert refs(f"LÉOPOLD {tag}") == {a["reference"]}  # a prefix, any case, with or without accents
    assert refs(f"eglise {tag}") == {b["reference"]}  # the address
    assert refs(f"cafe {tag}") == {c["reference"]}
    assert refs(f"wellington {tag}") == {a["reference"]}
    assert refs(a["reference"]) == {a["reference"]}  # the whole reference
    assert refs(a["reference"].lower().replace("op-", "")) == {a["reference"]}
    assert refs(f"{tag} nergens") == set()


@pytest.mark.parametrize("q", ['"', '" OR 1', "NEAR(a b)", "*", "description:zwerfvuil", "a AND OR NOT",
                               "^zwerf", "'; DROP TABLE signal; --", "zwerf\u0000vuil", "(((("])
def test_search_input_is_never_fts_syntax(svc, q):
    r = requests.get(svc.url("/api/v1/signals"), params={"q": q}, headers=auth(svc.tokens["coordinator"]), timeout=10)
    assert r.status_code in (200, 400, 422), r.text
    assert r.headers["Content-Type"].startswith("application/json") or r.headers["Content-Type"] == "application/problem+json"
    if r.status_code == 422:
        assert [e["field"] for e in problem(r)["errors"]] == ["q"]
    else:
        assert isinstance(r.json()["items"], list)
    assert get(svc, create(svc)["reference"]).status_code == 200  # the table is still there


def test_search_is_bounded(svc):
    for q, message in [("x" * 201, "must be at most 200 bytes"), ("é" * 101, "must be at most 200 bytes"),
                       ("?!-- ..", "must hold at least one word (letters or digits)"),
                       (" ".join(["woord"] * 13), "must hold at most 12 words")]:
        r = requests.get(svc.url("/api/v1/signals"), params={"q": q}, headers=auth(svc.tokens["coordinator"]), timeout=10)
        assert r.status_code == 422
        assert problem(r)["errors"] == [{"field": "q", "message": message}]


def test_search_follows_an_erasure(svc):
    tag = word()
    s = create(svc, description=f"Geheim {tag}", contact={"name": "Wis Mij", "email": "wis.mij@example.com"})
    assert {x["reference"] for x in all_pages(svc, q=tag)} == {s["reference"]}
    with sqlite3.connect(svc.db) as db:  # what an erasure or purge does to the row: the index follows
        db.execute("UPDATE signal SET description = 'verwijderd' WHERE reference = ?", (s["reference"],))
    assert all_pages(svc, q=tag) == []


# -- assignment, suggestion, closed signals ------------------------------------------------------
def test_assignee_set_changed_and_cleared_in_the_history(svc):
    ref = create(svc)["reference"]
    assert patch(svc, ref, {"assignee": "  An Peeters "}).json()["assignee"] == "An Peeters"
    assert patch(svc, ref, {"assignee": "Bart Claes"}).json()["assignee"] == "Bart Claes"
    assert patch(svc, ref, {"assignee": None}).json()["assignee"] is None
    entries = [(e["field"], e["old_value"], e["new_value"], e["who"]) for e in history(svc, ref) if e["field"] == "assignee"]
    assert entries == [("assignee", None, "An Peeters", "coordinator 1"), ("assignee", "An Peeters", "Bart Claes", "coordinator 1"),
                       ("assignee", "Bart Claes", None, "coordinator 1")]
    for body, message in [({"assignee": ""}, "must not be empty (null: nobody)"),
                          ({"assignee": "x" * 101}, "must be at most 100 characters"),
                          ({"assignee": 5}, "must be a string, not a number")]:
        r = patch(svc, ref, body)
        assert r.status_code == 422
        assert problem(r)["errors"] == [{"field": "assignee", "message": message}]


def test_suggested_department_comes_from_the_category_and_is_stored_only_when_confirmed(svc):
    config = json.loads(CONFIG.read_text())
    cases = []
    for cat in config["categories"]:
        for sub in cat.get("subcategories", []):
            cases.append((f"{cat['key']}/{sub['key']}", sub.get("department") or cat.get("department")))
        cases.append((cat["key"], cat.get("department")))
    for category, department in cases[:8]:
        s = create(svc, category=category)
        assert s["suggested_department"] == department, category
        assert s["department"] is None and s["route"] is None
    s = create(svc, category="overlast/lawaai")
    assert s["suggested_department"] == "leefmilieu"
    confirmed = patch(svc, s["reference"], {"route": "opunt", "department": s["suggested_department"]}).json()
    assert confirmed["department"] == "leefmilieu"


def test_a_closed_signal_takes_only_a_reopen_which_the_history_records_with_who_and_why(svc):
    ref = create(svc)["reference"]
    assert patch(svc, ref, {"status": "closed"}).status_code == 200
    for body in [{"nature": "service"}, {"assignee": "An"}, {"answer": "Toch nog"},
                 {"status": "in_progress", "assignee": "An"}, {"route": "opunt", "department": "wegen"}]:
        r = patch(svc, ref, body)
        assert r.status_code == 409, (body, r.text)
        assert r.headers["Content-Type"] == "application/problem+json"
        assert problem(r)["detail"] == "This signal is closed: it takes no change but a reopen (status in_progress, alone or with a reason)."
    assert post(svc, f"/api/v1/signals/{ref}/merge", {"into": create(svc)["reference"]}).status_code == 409
    assert patch(svc, ref, {"reason": "zonder status"}).status_code == 422
    r = patch(svc, ref, {"status": "in_progress", "reason": "De melder belde: het vuil ligt er nog."}, role="admin")
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["status"] == "in_progress" and s["closed_at"] is None
    last = history(svc, ref)[-3:]
    assert [(e["field"], e["old_value"], e["new_value"], e["who"]) for e in last] == [
        ("status", "closed", "in_progress", "admin 1"),
        ("closed_at", last[1]["old_value"], None, "admin 1"),
        ("reason", None, "De melder belde: het vuil ligt er nog.", "admin 1")]
    assert patch(svc, ref, {"nature": "service"}).status_code == 200  # open again


# -- notes ---------------------------------------------------------------------------------------
def test_a_note_is_in_the_history_and_nowhere_the_reporter_looks(svc):
    created = create(svc)
    ref = created["reference"]
    patch(svc, ref, {"route": "opunt", "department": "netheid"})
    before = outbox(svc, ref)
    note = "Intern: buurman " + word() + " belt elke week hierover."
    r = post(svc, f"/api/v1/signals/{ref}/notes", {"text": note})
    assert r.status_code == 201, r.text
    assert r.json()["field"] == "note" and r.json()["new_value"] == note and r.json()["who"] == "coordinator 1"
    assert post(svc, f"/api/v1/signals/{ref}/notes", {"text": "Afdeling bekijkt het."}, role="netheid").status_code == 201
    notes = [(e["who"], e["new_value"]) for e in history(svc, ref) if e["field"] == "note"]
    assert notes == [("coordinator 1", note), ("dienst netheid", "Afdeling bekijkt het.")]
    # Not in a message: answering sends the answer, which does not hold the note.
    patch(svc, ref, {"status": "in_progress"})
    assert patch(svc, ref, {"status": "answered", "answer": "Wij ruimen het op."}).status_code == 200
    messages = outbox(svc, ref)
    assert len(messages) > len(before) and any(m["kind"] == "answer" for m in messages)
    for m in messages:
        assert note not in m["body_text"] and note not in m["body_html"] and "Afdeling bekijkt" not in m["body_text"]
    # Not on the status page (its API), nor in the signal, nor in Open311.
    status = requests.get(svc.url(f"/api/v1/status/{ref}"), params={"key": status_key(svc, ref)}, timeout=10)
    assert status.status_code == 200 and note not in status.text
    assert note not in get(svc, ref).text
    o311 = requests.get(svc.url(f"/open311/v2/requests/{ref}.json"), timeout=10)
    assert o311.status_code == 200 and ref in o311.text and note not in o311.text
    o311 = requests.get(svc.url("/open311/v2/requests.json"), timeout=10)
    assert o311.status_code == 200 and note not in o311.text


def test_note_rules(svc):
    ref = create(svc)["reference"]
    for body, field, message in [({}, "text", "is required"), ({"text": "  "}, "text", "must not be empty"),
                                 ({"text": "x" * 2001}, "text", "must be at most 2000 characters"),
                                 ({"text": 3}, "text", "must be a string, not a number"),
                                 ({"text": "a", "private": True}, "private", "is not a field of a note (only text)")]:
        r = post(svc, f"/api/v1/signals/{ref}/notes", body)
        assert r.status_code == 422, r.text
        assert {"field": field, "message": message} in problem(r)["errors"]
    for role, status in [("agent", 403), ("desk", 403), ("staff", 403), (None, 401)]:
        assert post(svc, f"/api/v1/signals/{ref}/notes", {"text": "x"}, role=role).status_code == status
    assert post(svc, "/api/v1/signals/OP-0000-0000/notes", {"text": "x"}).status_code == 404
    r = requests.post(svc.url(f"/api/v1/signals/{ref}/notes"), data=b"{" * 70000,
                      headers={**auth(svc.tokens["coordinator"]), "Content-Type": "application/json"}, timeout=10)
    assert r.status_code == 413
    assert [e["field"] for e in history(svc, ref)] == ["created"]


# -- merge ---------------------------------------------------------------------------------------
def test_merge_into_an_open_signal_passes_its_answer_on_when_it_is_answered(svc):
    original = create(svc)["reference"]
    dup = create(svc, contact={"name": "Els", "email": "els@example.com", "language": "fr"})["reference"]
    r = post(svc, f"/api/v1/signals/{dup}/merge", {"into": original})
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["status"] == "closed" and s["duplicate_of"] == original and s["answer"] is None
    assert [m["kind"] for m in outbox(svc, dup)] == ["acknowledgement"]
    patch(svc, original, {"status": "in_progress"})
    assert patch(svc, original, {"status": "answered", "answer": "De bushalte is opgeruimd."}).status_code == 200
    s = get(svc, dup).json()
    assert s["answer"] == "De bushalte is opgeruimd." and s["status"] == "closed" and s["answered_at"]
    answers = [m for m in outbox(svc, dup) if m["kind"] == "answer"]
    assert len(answers) == 1 and answers[0]["recipient"] == "els@example.com" and answers[0]["language"] == "fr"
    assert "De bushalte is opgeruimd." in answers[0]["body_text"]
    fields = [e["field"] for e in history(svc, dup)]
    assert "duplicate_of" in fields and "answer" in fields
    # The reporter's status page shows the answer.
    status = requests.get(svc.url(f"/api/v1/status/{dup}"), params={"key": status_key(svc, dup)}, timeout=10).json()
    assert status["answer"] == "De bushalte is opgeruimd."


def test_merge_into_an_answered_signal_answers_at_once(svc):
    original = create(svc)["reference"]
    patch(svc, original, {"status": "in_progress"})
    patch(svc, original, {"status": "answered", "answer": "Al gedaan."})
    dup = create(svc)["reference"]
    s = post(svc, f"/api/v1/signals/{dup}/merge", {"into": original.lower()}).json()
    assert s["duplicate_of"] == original and s["answer"] == "Al gedaan." and s["status"] == "closed"
    answers = [m for m in outbox(svc, dup) if m["kind"] == "answer"]
    assert len(answers) == 1 and answers[0]["recipient"] == REPORTER["email"] and "Al gedaan." in answers[0]["body_text"]


def test_merge_refusals(svc):
    a = create(svc)["reference"]
    b = create(svc)["reference"]
    assert post(svc, f"/api/v1/signals/{a}/merge", {"into": b}).status_code == 200  # a is a duplicate of b
    c = create(svc)["reference"]
    assert post(svc, f"/api/v1/signals/{b}/merge", {"into": c}).status_code == 200  # b of c
    cases = [
        (c, {"into": c}, "is this signal itself: a signal cannot be a duplicate of itself"),
        (c, {"into": a}, "is, through its own duplicates, a duplicate of this signal: merging would make a loop"),
        (c, {"into": "OP-0000-0000"}, "is not the reference of a signal"),
        (c, {"into": "geen referentie"}, "is not the reference of a signal"),
    ]
    for ref, body, message in cases:
        r = post(svc, f"/api/v1/signals/{ref}/merge", body)
        assert r.status_code == 422, r.text
        assert problem(r)["errors"] == [{"field": "into", "message": message}]
    for body, field in [({}, "into"), ({"into": 5}, "into"), ({"into": b, "x": 1}, "x"), ({"into": "x" * 41}, "into")]:
        r = post(svc, f"/api/v1/signals/{c}/merge", body)
        assert r.status_code == 422 and field in [e["field"] for e in problem(r)["errors"]]
    assert get(svc, c).json()["status"] == "received"
    for role, status in [("agent", 403), ("netheid", 403), (None, 401)]:
        assert post(svc, f"/api/v1/signals/{c}/merge", {"into": b}, role=role).status_code == status


# -- bulk ----------------------------------------------------------------------------------------
def test_bulk_route_assign_close(svc):
    refs = [create(svc)["reference"] for _ in range(3)]
    r = post(svc, "/api/v1/signals/bulk", {"references": refs, "change": {"route": "opunt", "department": "wegen"}})
    assert r.status_code == 200, r.text
    assert [(s["reference"], s["department"]) for s in r.json()["items"]] == [(x, "wegen") for x in refs]
    r = post(svc, "/api/v1/signals/bulk", {"references": refs, "change": {"assignee": "An Peeters"}})
    assert all(s["assignee"] == "An Peeters" for s in r.json()["items"])
    r = post(svc, "/api/v1/signals/bulk", {"references": [x.lower() for x in refs], "change": {"status": "closed"}})
    assert r.status_code == 200 and all(s["status"] == "closed" for s in r.json()["items"])
    for ref in refs:
        assert get(svc, ref).json()["status"] == "closed"
        assert [e["field"] for e in history(svc, ref)].count("status") == 1


def test_bulk_is_all_or_nothing_and_bounded(svc):
    open_ref = create(svc)["reference"]
    closed_ref = create(svc)["reference"]
    patch(svc, closed_ref, {"status": "closed"})
    r = post(svc, "/api/v1/signals/bulk", {"references": [open_ref, closed_ref], "change": {"assignee": "Bart"}})
    assert r.status_code == 409
    assert closed_ref in problem(r)["detail"] and problem(r)["detail"].startswith("Nothing was changed")
    assert get(svc, open_ref).json()["assignee"] is None  # rolled back
    r = post(svc, "/api/v1/signals/bulk", {"references": [open_ref, "OP-0000-0000"], "change": {"assignee": "Bart"}})
    assert r.status_code == 422 and problem(r)["errors"][0]["field"] == "references[1]"
    assert get(svc, open_ref).json()["assignee"] is None
    cases = [
        ({"references": [], "change": {"status": "closed"}}, "references"),
        ({"references": [open_ref] * 2, "change": {"status": "closed"}}, "references[1]"),
        ({"references": ["x"], "change": {"status": "closed"}}, "references[0]"),
        ({"references": [open_ref], "change": {}}, "change"),
        ({"references": [open_ref]}, "change"),
        ({"references": open_ref, "change": {"status": "closed"}}, "references"),
        ({"references": [open_ref], "change": {"status": "closed"}, "extra": 1}, "extra"),
    ]
    for body, field in cases:
        r = post(svc, "/api/v1/signals/bulk", body)
        assert r.status_code == 422, (body, r.text)
        assert field in [e["field"] for e in problem(r)["errors"]]
    # More than 200: the request body's own limit on a list refuses it before any lookup.
    r = post(svc, "/api/v1/signals/bulk", {"references": [f"OP-0000-{i:04d}" for i in range(201)], "change": {"status": "closed"}})
    assert r.status_code == 400 and "more than 200 values" in problem(r)["detail"]
    r = post(svc, "/api/v1/signals/bulk", {"references": [open_ref], "change": {"nature": "kwaad"}})
    assert r.status_code == 422 and problem(r)["errors"][0]["field"] == "nature"
    for role, status in [("agent", 403), ("netheid", 403), ("desk", 403), (None, 401)]:
        assert post(svc, "/api/v1/signals/bulk", {"references": [open_ref], "change": {"status": "closed"}},
                    role=role).status_code == status
    assert get(svc, open_ref).json()["status"] == "received"


# -- the department role ----------------------------------------------------------------------
def test_department_tokens_are_bound_to_a_known_department(svc):
    base = ["token", "create", "--name", "x", "--db", str(svc.db), "--config", str(svc.config)]
    out = cli(*base, "--role", "department", "--department", "onbekend", check=False)
    assert out.returncode != 0 and "unknown department 'onbekend'" in out.stderr
    out = cli(*base, "--role", "department", check=False)
    assert out.returncode != 0 and "--department" in out.stderr
    out = cli(*base, "--role", "coordinator", "--department", "wegen", check=False)
    assert out.returncode != 0 and "not bound to a department" in out.stderr


def test_a_department_sees_only_the_signals_routed_to_it_with_contact(svc):
    tag = word()
    mine = create(svc, description=f"{tag} voor netheid")["reference"]
    special = create(svc, description=f"{tag} gas", category="administratie/gas-boete")["reference"]
    other = create(svc, description=f"{tag} voor wegen")["reference"]
    unrouted = create(svc, description=f"{tag} nog niet gerouteerd")["reference"]
    external = create(svc, description=f"{tag} extern", category="mobiliteit/openbaar-vervoer")["reference"]
    patch(svc, mine, {"route": "opunt", "department": "netheid"})
    patch(svc, other, {"route": "opunt", "department": "wegen"})
    patch(svc, external, {"route": "external"})
    r = get(svc, mine, role="netheid")
    assert r.status_code == 200 and r.json()["contact"]["email"] == REPORTER["email"] and r.json()["personal_data_withheld"] is False
    for ref in (other, unrouted, external):
        assert get(svc, ref, role="netheid").status_code == 404
        assert requests.get(svc.url(f"/api/v1/signals/{ref}/history"), headers=auth(svc.tokens["netheid"]), timeout=10).status_code == 404
        assert post(svc, f"/api/v1/signals/{ref}/notes", {"text": "x"}, role="netheid").status_code == 404
        assert patch(svc, ref, {"proposed_answer": "x"}, role="netheid").status_code == 404
        assert post(svc, f"/api/v1/signals/{ref}/hand-back", {"reason": "x"}, role="netheid").status_code == 404
    assert {s["reference"] for s in all_pages(svc, role="netheid", q=tag)} == {mine}
    assert all(s["department"] == "netheid" for s in all_pages(svc, role="netheid"))
    # A filter does not widen what it sees.
    assert all_pages(svc, role="netheid", q=tag, department="wegen") == []
    # special_procedure: wholly the procedure's department's.
    patch(svc, special, {"route": "special_procedure", "special_procedure": "gas-verweer"})
    gas = svc.token("department", "dienst gas", department="gas")
    r = requests.get(svc.url(f"/api/v1/signals/{special}"), headers=auth(gas), timeout=10)
    assert r.status_code == 200 and r.json()["contact"] is not None
    assert requests.get(svc.url(f"/api/v1/signals/{mine}"), headers=auth(gas), timeout=10).status_code == 404


def test_a_department_proposes_notes_and_hands_back_but_never_answers(svc):
    ref = create(svc)["reference"]
    patch(svc, ref, {"route": "opunt", "department": "netheid"})
    for body in [{"status": "in_progress"}, {"answer": "x"}, {"route": "external"}, {"assignee": "x"},
                 {"proposed_answer": "x", "status": "answered"}, {"department": "wegen"}]:
        r = patch(svc, ref, body, role="netheid")
        assert r.status_code == 403, (body, r.text)
        assert r.headers["Content-Type"] == "application/problem+json"
    for path, body in [("answer-preview", {"answer": "x"}), ("ombuds-referral", {}), ("merge", {"into": ref})]:
        assert post(svc, f"/api/v1/signals/{ref}/{path}", body, role="netheid").status_code == 403
    assert post(svc, "/api/v1/signals", {**SIGNAL}, role="netheid").status_code == 403
    assert requests.get(svc.url("/api/v1/reports/signals"), params={"from": "2025-01-01", "to": "2025-12-31"},
                        headers=auth(svc.tokens["netheid"]), timeout=10).status_code == 403
    r = patch(svc, ref, {"proposed_answer": "  Wij halen het vuil morgen op.  "}, role="netheid")
    assert r.status_code == 200, r.text
    assert r.json()["proposed_answer"] == "Wij halen het vuil morgen op." and r.json()["status"] == "received"
    assert r.json()["answer"] is None
    for body, message in [({"proposed_answer": ""}, "must not be empty (null: no proposal)"),
                          ({"proposed_answer": "x" * 10001}, "must be at most 10000 characters"),
                          ({}, "is required")]:
        r = patch(svc, ref, body, role="netheid")
        assert r.status_code == 422 and problem(r)["errors"] == [{"field": "proposed_answer", "message": message}]
    assert [m["kind"] for m in outbox(svc, ref) if m["kind"] == "answer"] == []
    # The coordinator answers with it.
    s = get(svc, ref).json()
    assert s["proposed_answer"] == "Wij halen het vuil morgen op."
    # Hand back: unrouted again, the department no longer sees it, the history says who and why.
    for body, field in [({}, "reason"), ({"reason": ""}, "reason"), ({"reason": "x", "y": 1}, "y"), ({"reason": "x" * 1001}, "reason")]:
        r = post(svc, f"/api/v1/signals/{ref}/hand-back", body, role="netheid")
        assert r.status_code == 422 and field in [e["field"] for e in problem(r)["errors"]]
    assert post(svc, f"/api/v1/signals/{ref}/hand-back", {"reason": "x"}).status_code == 403  # only a department hands back
    r = post(svc, f"/api/v1/signals/{ref}/hand-back", {"reason": "Niet voor ons: dit is privaat terrein."}, role="netheid")
    assert r.status_code == 200 and r.json() == {"reference": ref, "status": "received", "handed_back": True}
    s = get(svc, ref).json()
    assert s["route"] is None and s["department"] is None
    assert get(svc, ref, role="netheid").status_code == 404
    entries = [(e["field"], e["old_value"], e["new_value"], e["who"]) for e in history(svc, ref)]
    assert ("hand_back", "netheid", "Niet voor ons: dit is privaat terrein.", "dienst netheid") in entries
    assert ("proposed_answer", None, "Wij halen het vuil morgen op.", "dienst netheid") in entries


def test_a_departments_personal_data_rule_on_other_roles_is_unchanged(svc):
    ref = create(svc)["reference"]
    patch(svc, ref, {"route": "opunt", "department": "netheid"})
    assert get(svc, ref, role="agent").json()["contact"] is None  # a web signal: not the agent's
    assert get(svc, ref, role="wegen").status_code == 404
