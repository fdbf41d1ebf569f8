"""docs/interface.md §12 against the running service: the reporter's status key (in the 201 of every
signal created and nowhere else), the status page's API (one and the same 404 for every miss,
guessing slowed per address), the satisfaction question (once, until it expires; a second-line
complaint recorded as the reporter's own) and `satisfaction` in the signals report, checked
against counts made here.

The answer message that opens a question comes with the compose work; until then a question
is opened the way `FeedbackQueries.ask` does it: a `feedback` row holding the SHA-256 of a
token this test chooses."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
import sqlite3
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import requests

from harness import SIGNAL, Service, SourceAddressAdapter, auth, problem

BRUSSELS = ZoneInfo("Europe/Brussels")
KEY_SHAPE = re.compile(r"^[2-9A-HJKMNP-TV-Z]{20}$")
TOKEN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REPORTER_ACTOR = "reporter (feedback)"
CONTACT = {"name": "Griet Vermeulen", "email": "griet.vermeulen@example.be", "phone": "+32 470 11 22 33", "language": "nl"}
CONFIG_LIMITS = {"max_body_bytes": 1048576, "public_per_minute": 0, "status_per_minute": 0,
                 "open311_per_minute": 0, "public_reads_per_minute": 0}


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    s = Service(tmp_path_factory.mktemp("status"), extra_config={"limits": CONFIG_LIMITS})
    s.start()
    s.tokens = {role: s.token(role, f"{role} 1") for role in ("coordinator", "admin", "agent", "open311")}
    s.tokens["kiosk"] = s.token("kiosk", "kiosk stadhuis", "stadhuis")
    s.tokens["desk"] = s.token("desk", "desk stadhuis", "stadhuis")
    yield s
    s.kill()


# -- helpers ----------------------------------------------------------------------------------

def create(svc, role=None, **extra) -> dict:
    r = requests.post(svc.url("/api/v1/signals"), json={**SIGNAL, **extra}, headers=auth(svc.tokens.get(role)), timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def status(svc, reference, key, session=requests):
    return session.get(svc.url(f"/api/v1/status/{reference}"), params=None if key is None else {"key": key}, timeout=10)


def patch(svc, reference, body):
    r = requests.patch(svc.url(f"/api/v1/signals/{reference}"), json=body, headers=auth(svc.tokens["coordinator"]), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def answer(svc, reference, text="We hebben het zwerfvuil opgeruimd.") -> dict:
    patch(svc, reference, {"status": "in_progress"})
    return patch(svc, reference, {"status": "answered", "answer": text})


def ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


def ask(svc, reference, asked_at: datetime | None = None, days: int = 14) -> str:
    """Opens the satisfaction question of `reference` as FeedbackQueries.ask does; returns the token."""
    asked_at = asked_at or datetime.now(timezone.utc)
    token = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(40))
    with sqlite3.connect(svc.db, timeout=10) as db:
        db.execute("INSERT INTO feedback (token_hash, signal_reference, asked_at, expires_at) VALUES (?, ?, ?, ?)",
                   (hashlib.sha256(token.encode()).hexdigest(), reference, ms(asked_at), ms(asked_at + timedelta(days=days))))
    return token


def feedback_row(svc, token) -> dict:
    with sqlite3.connect(svc.db, timeout=10) as db:
        db.row_factory = sqlite3.Row
        row = db.execute("SELECT * FROM feedback WHERE token_hash = ?", (hashlib.sha256(token.encode()).hexdigest(),)).fetchone()
    return dict(row)


def give(svc, token, body, **headers):
    return requests.post(svc.url(f"/api/v1/feedback/{token}"), json=body, headers=headers, timeout=10)


def history(svc, reference):
    r = requests.get(svc.url(f"/api/v1/signals/{reference}/history"), headers=auth(svc.tokens["coordinator"]), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def report(svc, query, role="coordinator"):
    r = requests.get(svc.url("/api/v1/reports/signals?" + query), headers=auth(svc.tokens[role]), timeout=30)
    assert r.status_code == 200, r.text
    return r


def csv_rows(text: str) -> dict:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    return {(s, k, m): v for s, k, m, v in rows[1:]}


# -- status_key in every 201, and nowhere else --------------------------------------------------

def test_status_key_in_every_201_and_in_no_read_list_history_open311_or_report(svc):
    t = svc.tokens
    created = {
        "web": create(svc, contact=CONTACT),
        "kiosk": create(svc, "kiosk"),
        "counter": create(svc, "desk", channel="counter"),
        "letter": create(svc, "desk", channel="letter"),
        "phone": create(svc, "agent"),
        "coordinator": create(svc, "coordinator", channel="email"),
    }
    # A phone signal from a logged call.
    call = requests.post(svc.url("/api/v1/calls"), json={"from": "+32 470 99 88 77"}, headers=auth(t["agent"]), timeout=10)
    assert call.status_code == 201, call.text
    r = requests.post(svc.url(f"/api/v1/calls/{call.json()['id']}/signal"), json=SIGNAL, headers=auth(t["agent"]), timeout=10)
    assert r.status_code == 201, r.text
    created["call"] = r.json()
    # A kiosk draft the desk finishes (docs/interface.md §5).
    code = requests.post(svc.url("/api/v1/drafts"), json={"answers": {"kind": "report"}}, headers=auth(t["kiosk"]), timeout=10).json()["code"]
    r = requests.post(svc.url(f"/api/v1/drafts/{code}/submit"), json=SIGNAL, headers=auth(t["desk"]), timeout=10)
    assert r.status_code == 201, r.text
    created["draft"] = r.json()
    assert created["draft"]["assisted"] is True
    assert {s["channel"] for s in created.values()} == {"web", "kiosk", "counter", "letter", "phone", "email"}

    keys = {name: s["status_key"] for name, s in created.items()}
    assert all(KEY_SHAPE.match(k) for k in keys.values()), keys
    assert len(set(keys.values())) == len(keys), "every signal has its own key"
    # Each key opens its own signal's status, and only that one.
    for name, s in created.items():
        assert status(svc, s["reference"], s["status_key"]).json()["reference"] == s["reference"]
    assert status(svc, created["web"]["reference"], keys["kiosk"]).status_code == 404

    # An idempotent replay repeats the first answer, key included; nothing new is created.
    first = requests.post(svc.url("/api/v1/signals"), json=SIGNAL, headers={"Idempotency-Key": "status-key-replay"}, timeout=10)
    again = requests.post(svc.url("/api/v1/signals"), json=SIGNAL, headers={"Idempotency-Key": "status-key-replay"}, timeout=10)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and KEY_SHAPE.match(again.json()["status_key"])
    keys["replay"] = first.json()["status_key"]
    created["replay"] = first.json()

    # Open311 has no field for it: its answer is the standard's three keys.
    o = requests.post(svc.url("/open311/v2/requests.json"),
                      data={"api_key": t["open311"], "service_code": "overlast.zwerfvuil", "lat": "51.23", "long": "2.92",
                            "description": "Zwerfvuil aan de bushalte"}, timeout=10)
    assert o.status_code == 200, o.text
    assert set(o.json()[0]) == {"service_request_id", "service_notice", "account_id"}
    created["open311"] = {"reference": o.json()[0]["service_request_id"]}

    # Nowhere else: not in a read (any role), a list, a history, Open311 or the report.
    def no_key(r):
        assert r.status_code == 200, r.text
        assert "status_key" not in r.text
        leaked = [k for k in keys.values() if k in r.text]
        assert not leaked, (r.url, leaked)

    for s in created.values():
        ref = s["reference"]
        for role in ("coordinator", "admin", "desk", "agent"):
            r = requests.get(svc.url(f"/api/v1/signals/{ref}"), headers=auth(t[role]), timeout=10)
            if r.status_code == 200:
                no_key(r)
        no_key(requests.get(svc.url(f"/api/v1/signals/{ref}/history"), headers=auth(t["coordinator"]), timeout=10))
        no_key(requests.get(svc.url(f"/open311/v2/requests/{ref}.json"), timeout=10))
        no_key(requests.get(svc.url(f"/open311/v2/requests/{ref}.xml"), timeout=10))
    no_key(requests.get(svc.url("/api/v1/signals?limit=500"), headers=auth(t["coordinator"]), timeout=10))
    no_key(requests.get(svc.url("/api/v1/signals?limit=500"), headers=auth(t["desk"]), timeout=10))
    no_key(requests.get(svc.url("/open311/v2/requests.json"), timeout=10))
    day = datetime.now(BRUSSELS).date().isoformat()
    no_key(report(svc, f"from={day}&to={day}"))
    no_key(report(svc, f"from={day}&to={day}&format=csv"))
    # The status answer itself does not repeat the key.
    no_key(status(svc, created["web"]["reference"], keys["web"]))


# -- the status API -------------------------------------------------------------------------

def test_status_shows_progress_due_date_and_answer_and_nothing_personal(svc):
    s = create(svc, kind="complaint", contact=CONTACT, address="Vrijhavenstraat 7", description="Klacht over de afhaling")
    r = status(svc, s["reference"], s["status_key"])
    assert r.status_code == 200, r.text
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    doc = r.json()
    assert set(doc) == {"reference", "kind", "status", "received_at", "due_at", "answered_at", "answer"}
    received = datetime.fromisoformat(s["received_at"].replace("Z", "+00:00"))
    # Complaints: 45 calendar days in the city's time zone (the same wall-clock time).
    due = (received.astimezone(BRUSSELS) + timedelta(days=45)).astimezone(timezone.utc)
    assert doc == {"reference": s["reference"], "kind": "complaint", "status": "received", "received_at": s["received_at"],
                   "due_at": due.strftime("%Y-%m-%dT%H:%M:%SZ"), "answered_at": None, "answer": None}
    for personal in (*CONTACT.values(), "Vrijhavenstraat", "afhaling", "centrum"):
        assert personal not in r.text

    # As a person types it from the receipt: lower case, in groups.
    typed = "-".join(s["status_key"][i:i + 5] for i in range(0, 20, 5)).lower()
    assert status(svc, s["reference"].lower(), typed).json()["reference"] == s["reference"]

    patch(svc, s["reference"], {"status": "in_progress", "answer": "Nog een kladversie"})
    doc = status(svc, s["reference"], s["status_key"]).json()
    assert (doc["status"], doc["answer"], doc["answered_at"]) == ("in_progress", None, None), "a draft answer is not shown"
    answered = patch(svc, s["reference"], {"status": "answered", "answer": "We nemen uw klacht op met de ophaaldienst."})
    doc = status(svc, s["reference"], s["status_key"]).json()
    assert doc["status"] == "answered"
    assert doc["answer"] == "We nemen uw klacht op met de ophaaldienst."
    assert doc["answered_at"] == answered["answered_at"]

    # One due date: the stored one the work queue sorts and marks overdue by (set here straight in the
    # database to a day no deadline rule gives, so that a due date worked out again would differ).
    moved = due + timedelta(days=3, hours=5)
    with sqlite3.connect(svc.db, timeout=10) as db:
        db.execute("UPDATE signal SET due_at = ? WHERE reference = ?", (ms(moved), s["reference"]))
    shown = moved.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert status(svc, s["reference"], s["status_key"]).json()["due_at"] == shown
    r = requests.get(svc.url(f"/api/v1/signals/{s['reference']}"), headers=auth(svc.token("coordinator", "coordinator due")), timeout=10)
    assert r.status_code == 200 and r.json()["due_at"] == shown

    # The page itself: one file for every reference and key, never cached.
    page = requests.get(svc.url(f"/status/{s['reference']}?key={s['status_key']}"), timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    assert s["status_key"] not in page.text and s["reference"] not in page.text


def same_404(responses):
    """Every response is the same 404: status, body and every header but Date."""
    first = responses[0]
    assert first.status_code == 404
    problem(first)
    for r in responses:
        assert r.status_code == 404, (r.url, r.text)
        assert r.content == first.content, (r.url, r.text, first.text)
        assert {k: v for k, v in r.headers.items() if k.lower() != "date"} == \
               {k: v for k, v in first.headers.items() if k.lower() != "date"}, r.url
    return first


def test_unknown_reference_wrong_key_and_malformed_key_get_the_same_404(svc):
    s = create(svc)
    other = create(svc)
    key = s["status_key"]
    wrong = key[:-1] + ("2" if key[-1] != "2" else "3")
    r = same_404([
        status(svc, "OP-2345-6789", key),           # well formed, unknown
        status(svc, s["reference"], wrong),           # one character off
        status(svc, s["reference"], other["status_key"]),  # another signal's key
        status(svc, s["reference"], key[:19]),         # too short
        status(svc, s["reference"], key + "Z"),        # too long
        status(svc, s["reference"], "0" * 20),         # outside the alphabet
        status(svc, s["reference"], ""),               # empty
        status(svc, s["reference"], None),             # absent
        status(svc, "not-a-reference", key),          # malformed reference
        status(svc, "x" * 300, key),                  # long garbage
    ])
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert key not in r.text and s["reference"] not in r.text
    assert status(svc, s["reference"], key).status_code == 200


@pytest.fixture
def limited(tmp_path):
    s = Service(tmp_path, extra_config={"limits": {**CONFIG_LIMITS, "status_per_minute": 5}})
    s.tokens = {}
    s.start()
    yield s
    s.kill()


def test_guessing_is_slowed_per_address_while_another_address_is_served(limited):
    s = create(limited)
    wrong = "23456789ABCDEFGHJKMN"
    codes = [status(limited, s["reference"], wrong).status_code for _ in range(5)]
    assert codes == [404] * 5
    r = status(limited, s["reference"], s["status_key"])
    assert r.status_code == 429, "even the right key waits: the limit counts requests, not misses"
    doc = problem(r)
    assert int(r.headers["Retry-After"]) >= 1 and doc["title"] == "Too many requests"
    # The feedback endpoints share the limit: guessing tokens is guessing too.
    assert requests.get(limited.url("/api/v1/feedback/" + "2" * 40), timeout=10).status_code == 429
    # A reporter at another address is served.
    other = requests.Session()
    other.mount("http://", SourceAddressAdapter("127.0.0.2"))
    r = status(limited, s["reference"], s["status_key"], session=other)
    assert r.status_code == 200, r.text
    assert r.json()["reference"] == s["reference"]


# -- the satisfaction question --------------------------------------------------------------

def test_feedback_is_taken_once(svc):
    s = create(svc, contact=CONTACT)
    answer(svc, s["reference"])
    token = ask(svc, s["reference"])
    r = requests.get(svc.url(f"/api/v1/feedback/{token}"), timeout=10)
    assert r.status_code == 200, r.text
    assert r.headers["Cache-Control"] == "no-store"
    doc = r.json()
    assert doc.pop("expires_at").endswith("Z")
    assert doc == {"reference": s["reference"], "answer": "We hebben het zwerfvuil opgeruimd.", "given": False, "expired": False,
                   "reason_choices": ["not_understandable", "incomplete", "too_late", "disagree", "not_solved", "other"]}
    assert not any(v in r.text for v in CONTACT.values())

    first = give(svc, token, {"satisfied": True, "reasons": [], "text": "Snel en vriendelijk.", "ombudsman": False})
    assert first.status_code == 200, first.text
    got = first.json()
    assert (got["reference"], got["satisfied"], got["ombudsman"], got["ombuds_referred_at"]) == (s["reference"], True, None, None)
    row = feedback_row(svc, token)
    assert row["given_at"] and row["satisfied"] == 1 and row["text"] == "Snel en vriendelijk." and row["ombudsman"] == 0

    second = give(svc, token, {"satisfied": False})
    assert second.status_code == 409
    assert problem(second)["title"] == "Conflict"
    assert feedback_row(svc, token)["satisfied"] == 1, "the first answer stands"
    assert requests.get(svc.url(f"/api/v1/feedback/{token}"), timeout=10).json()["given"] is True


def test_feedback_after_the_deadline_is_gone(svc):
    s = create(svc)
    answer(svc, s["reference"])
    token = ask(svc, s["reference"], asked_at=datetime.now(timezone.utc) - timedelta(days=15), days=14)
    doc = requests.get(svc.url(f"/api/v1/feedback/{token}"), timeout=10).json()
    assert doc["expired"] is True and doc["given"] is False
    r = give(svc, token, {"satisfied": False, "ombudsman": True})
    assert r.status_code == 410
    assert problem(r)["title"] == "Gone"
    assert feedback_row(svc, token)["given_at"] is None
    signal = requests.get(svc.url(f"/api/v1/signals/{s['reference']}"), headers=auth(svc.tokens["coordinator"]), timeout=10).json()
    assert signal["ombuds_referred_at"] is None, "nothing of a refused answer is recorded"


def test_unknown_or_malformed_tokens_get_the_same_404(svc):
    s = create(svc)
    answer(svc, s["reference"])
    real = ask(svc, s["reference"])
    for token in ("2" * 40, real[:-1] + ("2" if real[-1] != "2" else "3"), real[:39], "abc", "0" * 40):
        for r in (requests.get(svc.url(f"/api/v1/feedback/{token}"), timeout=10), give(svc, token, {"satisfied": True})):
            assert r.status_code == 404, (token, r.text)
            assert problem(r)["detail"] == "No satisfaction question at this address. Check the link in our e-mail."
    # A token in the path is not a bearer token: no 401 for it.
    assert requests.get(svc.url(f"/api/v1/feedback/{real}"), timeout=10).status_code == 200


@pytest.mark.parametrize("body,field", [
    ({"satisfied": True, "ombudsman": True}, "ombudsman"),
    ({"satisfied": True, "reasons": ["too_late"]}, "reasons"),
    ({"satisfied": False, "reasons": ["slow"]}, "reasons"),
    ({"satisfied": False, "reasons": ["other", "other"]}, "reasons"),
    ({"satisfied": "no"}, "satisfied"),
    ({}, "satisfied"),
    ({"satisfied": False, "text": "x" * 2001}, "text"),
    ({"satisfied": False, "text": "e" + "\u0301" * 4001}, "text"),
    ({"satisfied": False, "mood": "sad"}, "mood"),
])
def test_feedback_rules_are_422_and_take_nothing(svc, body, field):
    s = create(svc)
    answer(svc, s["reference"])
    token = ask(svc, s["reference"])
    r = give(svc, token, body)
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in problem(r)["errors"]]
    assert feedback_row(svc, token)["given_at"] is None
    assert give(svc, token, {"satisfied": True}).status_code == 200, "the question is still open"


def test_feedback_posts_are_json_from_our_own_pages_and_bounded(svc):
    s = create(svc)
    answer(svc, s["reference"])
    token = ask(svc, s["reference"])
    url = svc.url(f"/api/v1/feedback/{token}")
    assert requests.post(url, data="satisfied=true", headers={"Content-Type": "application/x-www-form-urlencoded"},
                         timeout=10).status_code == 415
    evil = give(svc, token, {"satisfied": True}, Origin="https://evil.example")
    assert evil.status_code == 403
    problem(evil)
    big = requests.post(url, data=b'{"satisfied": false, "text": "' + b"a" * 40000 + b'"}',
                        headers={"Content-Type": "application/json"}, timeout=10)
    assert big.status_code == 413
    assert feedback_row(svc, token)["given_at"] is None
    own = give(svc, token, {"satisfied": True}, Origin=svc.base)
    assert own.status_code == 200, own.text


def test_not_satisfied_with_ombudsman_records_the_reporters_own_referral(svc, tmp_path):
    config = requests.get(svc.url("/api/v1/config"), timeout=10).json()
    s = create(svc, contact=CONTACT)
    answer(svc, s["reference"])
    token = ask(svc, s["reference"])
    r = give(svc, token, {"satisfied": False, "reasons": ["other", "too_late"], "text": "Het duurde drie weken.", "ombudsman": True})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["satisfied"] is False and doc["ombuds_referred_at"]
    ombudsman = doc["ombudsman"]
    for k in ("phone", "email", "url", "address"):
        assert ombudsman[k] == config["ombudsman"][k]
    assert ombudsman["name"]["nl"] == config["ombudsman"]["name"]["nl"]
    row = feedback_row(svc, token)
    assert (row["satisfied"], row["reasons"], row["text"], row["ombudsman"]) == (0, "too_late,other", "Het duurde drie weken.", 1)

    items = history(svc, s["reference"])
    referral = [i for i in items if i["field"] == "ombuds_referred_at"]
    assert len(referral) == 1 and referral[0]["who"] == REPORTER_ACTOR
    assert referral[0]["new_value"] is not None
    signal = requests.get(svc.url(f"/api/v1/signals/{s['reference']}"), headers=auth(svc.tokens["coordinator"]), timeout=10).json()
    assert signal["ombuds_referred_at"] == doc["ombuds_referred_at"]
    day = datetime.fromisoformat(s["received_at"].replace("Z", "+00:00")).astimezone(BRUSSELS).date().isoformat()
    before = report(svc, f"from={day}&to={day}").json()["ombuds_referrals"]
    assert before >= 1

    # Not satisfied without a complaint: the ombudsman's details, and no referral.
    s2 = create(svc)
    answer(svc, s2["reference"])
    r2 = give(svc, ask(svc, s2["reference"]), {"satisfied": False, "reasons": ["disagree"]})
    assert r2.status_code == 200, r2.text
    assert r2.json()["ombudsman"]["phone"] == config["ombudsman"]["phone"] and r2.json()["ombuds_referred_at"] is None
    assert not [i for i in history(svc, s2["reference"]) if i["field"] == "ombuds_referred_at"]
    assert report(svc, f"from={day}&to={day}").json()["ombuds_referrals"] == before


# -- the report ---------------------------------------------------------------------------------

def test_report_satisfaction_counts_per_signal_received_in_the_range(svc):
    """Signals received on 2024-03-05 (backfilled), each with a known fate; the figures are
    counted here from that plan and compared with the JSON and the CSV, with and without filters."""
    plan = [  # channel, feedback: None (not asked), "open", True/False (given), [True, False] (asked twice)
        ("web", None), ("web", "open"), ("web", True), ("web", True), ("web", False),
        ("letter", False), ("letter", True), ("letter", "open"), ("email", [False, True]), ("email", [True, False]),
    ]
    received = "2024-03-05T10:00:00Z"
    rows = []
    for channel, fate in plan:
        s = create(svc, "coordinator", channel=channel, received_at=received)
        rows.append((s, channel, fate))
        if fate is None:
            continue
        answer(svc, s["reference"])
        for given in (fate if isinstance(fate, list) else [fate]):
            token = ask(svc, s["reference"])
            if given != "open":
                assert give(svc, token, {"satisfied": given}).status_code == 200
                time.sleep(0.01)  # the latest answer is the one that counts
    # Outside the range: not counted.
    out = create(svc, "coordinator", channel="web", received_at="2024-03-06T10:00:00Z")
    answer(svc, out["reference"])
    give(svc, ask(svc, out["reference"]), {"satisfied": True})

    def expected(channels=None):
        sel = [(c, f) for _, c, f in rows if channels is None or c in channels]
        last = lambda f: f[-1] if isinstance(f, list) else f
        return {"asked": sum(1 for _, f in sel if f is not None),
                "given": sum(1 for _, f in sel if last(f) in (True, False)),
                "satisfied": sum(1 for _, f in sel if last(f) is True)}

    for query, channels in (("", None), ("&channel=web", {"web"}), ("&channel=letter,email", {"letter", "email"})):
        want = expected(channels)
        assert report(svc, f"from=2024-03-05&to=2024-03-05{query}").json()["satisfaction"] == want
        got = csv_rows(report(svc, f"from=2024-03-05&to=2024-03-05{query}&format=csv").text)
        assert {m: int(got[("satisfaction", "", m)]) for m in ("asked", "given", "satisfied")} == want
    assert expected() == {"asked": 9, "given": 7, "satisfied": 4}
    assert report(svc, "from=2024-03-06&to=2024-03-06").json()["satisfaction"] == {"asked": 1, "given": 1, "satisfied": 1}
    assert report(svc, "from=2024-02-01&to=2024-02-29").json()["satisfaction"] == {"asked": 0, "given": 0, "satisfied": 0}
