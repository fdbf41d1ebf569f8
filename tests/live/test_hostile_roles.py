"""Issue 9: personal data by role (docs/interface.md §3), the desk's received_at, the exchange's
clock and ids, and bounded kiosk drafts, replayed against the real binary.

Who may see personal data is computed here from docs/interface.md §3's sentence, never read
back from the service: coordinator and admin always; a desk for signals of its own
site or that it registered; an agent for phone signals; nobody else."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time

import pytest
import requests

from harness import SIGNAL, Service, auth, city_day, probe, problem, serve

READERS = {"agent", "desk", "coordinator", "admin"}
CALL_READERS = {"agent", "coordinator", "admin"}
DRAFTS_PER_HOUR = 4
OPEN_DRAFTS_PER_SITE = 7
PHOTO = "\n\nmedia_url: https://foto.example.be/p/123.jpg"


@pytest.fixture
def svc(tmp_path):
    yield from serve(Service(tmp_path, extra_config={
        "limits": {"max_body_bytes": 1048576, "public_per_minute": 0},
        "kiosk": {"drafts_per_hour": DRAFTS_PER_HOUR, "open_drafts_per_site": OPEN_DRAFTS_PER_SITE},
    }))


# Every caller: (key, role, site). "public" is no token at all.
CALLERS = [
    ("public", None, None),
    ("kiosk", "kiosk", "stadhuis"),
    ("desk_stadhuis", "desk", "stadhuis"),
    ("desk_cavell", "desk", "edith-cavell"),
    ("agent", "agent", None),
    ("staff", "staff", None),
    ("coordinator", "coordinator", None),
    ("admin", "admin", None),
    ("open311", "open311", None),
    ("pbx", "pbx", None),
]


@pytest.fixture
def tok(svc):
    return {key: (svc.token(role, f"{key} token", site) if role else None) for key, role, site in CALLERS}


def may_see(caller_key: str, signal: dict) -> bool:
    """docs/interface.md §3 on personal data, for the signal as this test filed it."""
    role, site = next((r, s) for k, r, s in CALLERS if k == caller_key)
    if role in ("coordinator", "admin"):
        return True
    if role == "desk":
        return signal["site"] == site or signal["registered_by"] == caller_key
    if role == "agent":
        return signal["channel"] == "phone"
    return False


def contact(n: int) -> dict:
    # The postal address (issue 10) is personal data like the rest: the same rule shows or withholds it.
    return {"name": f"Burger {n}", "email": f"burger{n}@voorbeeld.be", "phone": f"+32 59 00 00 {n:02d}", "language": "nl",
            "postal_address": f"Burgerstraat {n}\n8400 Oostende"}


# What each signal is: (key, filed by, extra body). Every one carries contact details.
FILED = [
    ("web", "public", {}),
    ("web_photo", "coordinator", {"channel": "web", "description": "Put in de weg" + PHOTO}),
    ("kiosk_stadhuis", "kiosk", {}),
    ("kiosk_cavell", "coordinator", {"channel": "kiosk", "site": "edith-cavell"}),
    ("counter_stadhuis", "desk_stadhuis", {}),
    ("counter_cavell", "desk_cavell", {}),
    ("phone", "agent", {}),
    ("letter_stadhuis", "desk_stadhuis", {"channel": "letter"}),
    ("letter_coordinator", "coordinator", {"channel": "letter"}),
    ("email_cavell", "desk_cavell", {"channel": "email"}),
]


@pytest.fixture
def signals(svc, tok):
    out = {}
    for n, (key, by, extra) in enumerate(FILED):
        r = requests.post(svc.url("/api/v1/signals"), json={**SIGNAL, **extra, "contact": contact(n)},
                          headers=auth(tok[by]), timeout=10)
        assert r.status_code == 201, r.text
        s = r.json()
        out[key] = {"reference": s["reference"], "channel": s["channel"], "site": s["site"], "registered_by": by,
                    "contact": contact(n), "description": {**SIGNAL, **extra}["description"]}
    return out


def check_signal(caller_key: str, shown: dict, filed: dict) -> None:
    if may_see(caller_key, filed):
        assert shown["contact"] == filed["contact"], (caller_key, filed)
        assert shown["personal_data_withheld"] is False
        assert shown["description"] == filed["description"]
    else:
        assert shown["contact"] is None, (caller_key, filed)
        assert shown["personal_data_withheld"] is True
        assert "media_url" not in shown["description"] and "foto.example.be" not in shown["description"]


@pytest.mark.parametrize("caller_key", [k for k, _, _ in CALLERS])
def test_personal_data_by_reference_and_by_listing(svc, tok, signals, caller_key):
    role = next(r for k, r, _ in CALLERS if k == caller_key)
    headers = auth(tok[caller_key])
    listed = requests.get(svc.url("/api/v1/signals"), params={"limit": 500}, headers=headers, timeout=10)
    if role not in READERS:
        assert listed.status_code in (401, 403)
        problem(listed)
        assert "burger" not in listed.text.lower()
    else:
        assert listed.status_code == 200 and listed.headers["Cache-Control"] == "no-store"
        by_ref = {s["reference"]: s for s in listed.json()["items"]}
        assert set(by_ref) == {f["reference"] for f in signals.values()}
        for filed in signals.values():
            check_signal(caller_key, by_ref[filed["reference"]], filed)
    for filed in signals.values():
        r = requests.get(svc.url(f"/api/v1/signals/{filed['reference']}"), headers=headers, timeout=10)
        if role not in READERS:
            assert r.status_code in (401, 403)
            assert "burger" not in problem(r)["detail"].lower()
            continue
        assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
        check_signal(caller_key, r.json(), filed)


def test_history_entries_with_personal_data_are_redacted(svc, tok, signals):
    # A contact correction in the history (as an erasure or a correction by the back office writes one).
    ref = signals["counter_stadhuis"]["reference"]
    with sqlite3.connect(svc.db) as db:
        (sid,) = db.execute("SELECT id FROM signal WHERE reference = ?", (ref,)).fetchone()
        db.execute("INSERT INTO signal_change (signal_id, at, actor, field, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?)",
                   (sid, int(time.time() * 1000), "coordinator token", "contact.email", "oud@voorbeeld.be", "nieuw@voorbeeld.be"))
    for key in ["desk_stadhuis", "desk_cavell", "agent", "coordinator", "admin"]:
        r = requests.get(svc.url(f"/api/v1/signals/{ref}/history"), headers=auth(tok[key]), timeout=10)
        assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
        entries = {e["field"]: e for e in r.json()["items"]}
        assert entries["created"]["new_value"] == "counter/report" and entries["created"]["redacted"] is False
        email = entries["contact.email"]
        if may_see(key, signals["counter_stadhuis"]):
            assert (email["old_value"], email["new_value"], email["redacted"]) == ("oud@voorbeeld.be", "nieuw@voorbeeld.be", False)
        else:
            assert (email["old_value"], email["new_value"], email["redacted"]) == (None, None, True)
            assert "voorbeeld.be" not in r.text
    for key in ["kiosk", "staff", "open311", "pbx", "public"]:
        assert requests.get(svc.url(f"/api/v1/signals/{ref}/history"), headers=auth(tok[key]), timeout=10).status_code in (401, 403)


def cti(svc, pbx, fields):
    return requests.post(svc.url(f"/api/v1/cti/{pbx}"), data=fields, timeout=10)


def test_callers_numbers_only_to_agents_and_the_back_office(svc, tok):
    for event in ["newCall", "answer", "hangup"]:
        assert cti(svc, tok["pbx"], {"event": event, "callId": "nr-1", "from": "+32 59 77 77 77", "user": "An"}).status_code == 200
    for key, role, _ in CALLERS:
        r = requests.get(svc.url("/api/v1/calls"), headers=auth(tok[key]), timeout=10)
        if role in CALL_READERS:
            assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
            (call,) = r.json()["items"]
            assert call["from"] == "+32 59 77 77 77" and call["personal_data_withheld"] is False
        else:
            assert r.status_code in (401, 403) and "77 77" not in r.text
            problem(r)


# -- the desk's received_at -----------------------------------------------------------

def iso(d: dt.datetime) -> str:
    return d.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_desk_dates_letters_and_emails_within_90_days(svc, tok):
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    desk = auth(tok["desk_stadhuis"])
    post = lambda body: requests.post(svc.url("/api/v1/signals"), json={**SIGNAL, **body}, headers=desk, timeout=10)

    r = post({"channel": "letter", "received_at": iso(now - dt.timedelta(days=10))})
    assert r.status_code == 201 and r.json()["received_at"] == iso(now - dt.timedelta(days=10))
    r = post({"channel": "email", "received_at": iso(now - dt.timedelta(days=89))})
    assert r.status_code == 201 and r.json()["received_at"] == iso(now - dt.timedelta(days=89))

    r = post({"channel": "letter", "received_at": iso(now - dt.timedelta(days=91))})
    assert r.status_code == 422
    assert problem(r)["errors"] == [{"field": "received_at",
                                    "message": "must not be more than 90 days back (a desk sets the date on the letter or e-mail)"}]
    r = post({"channel": "email", "received_at": iso(now + dt.timedelta(days=1))})
    assert r.status_code == 422
    assert problem(r)["errors"] == [{"field": "received_at", "message": "must not be in the future"}]
    r = post({"channel": "letter", "received_at": "1970-01-01T00:00:00Z"})
    assert r.status_code == 422 and problem(r)["errors"][0]["field"] == "received_at"
    for body in [{"received_at": iso(now)}, {"channel": "counter", "received_at": iso(now)}]:
        r = post(body)
        assert r.status_code == 403
        assert "a desk may set it on letter and email signals" in problem(r)["detail"]
    listed = requests.get(svc.url("/api/v1/signals"), headers=auth(tok["coordinator"]), timeout=10).json()["items"]
    assert len(listed) == 2, "nothing refused was stored"


# -- the exchange's clock and ids -----------------------------------------------------

def call_rows(svc) -> list:
    with sqlite3.connect(svc.db) as db:
        return db.execute("SELECT call_id, manual, state, from_number, arrived_at, ended_at, outcome FROM call ORDER BY id").fetchall()


def test_cti_times_far_from_the_clock_are_refused_and_store_nothing(svc, tok):
    today = city_day().isoformat()  # the service's day, not the machine's

    def report():
        out = []
        for day in [today, "1970-01-01"]:
            r = requests.get(svc.url("/api/v1/reports/calls"), params={"from": day, "to": day},
                             headers=auth(tok["coordinator"]), timeout=30)
            assert r.status_code == 200, r.text
            out.append(r.json())
        return out

    for event in ["newCall", "answer", "hangup"]:
        assert cti(svc, tok["pbx"], {"event": event, "callId": "ok-1", "user": "An"}).status_code == 200
    before = report()
    rows = call_rows(svc)
    attacks = [
        ({"event": "hangup", "callId": "ok-1", "time": "9999-12-31T23:59:59Z", "cause": "normalClearing"}, "time"),
        ({"event": "newCall", "callId": "evil-9999", "time": "253402300799"}, "time"),
        ({"event": "newCall", "callId": "evil-1970", "time": "0"}, "time"),
        ({"event": "answer", "callId": "evil-1970", "timestamp": "1970-01-01T00:00:00Z"}, "timestamp"),
        ({"event": "newCall", "callId": "evil-ahead", "time": str(int(time.time()) + 3600)}, "time"),
        ({"event": "newCall", "callId": "evil-behind", "time": str(int(time.time()) - 2 * 86400)}, "time"),
    ]
    for fields, named in attacks:
        r = cti(svc, tok["pbx"], fields)
        assert r.status_code == 422, (fields, r.text)
        (error,) = problem(r)["errors"]
        assert error["field"] == named
        assert error["message"].startswith("must be at most 1440 minutes before and 5 minutes after the service's clock (")
    assert call_rows(svc) == rows, "nothing stored, the answered call untouched"
    after = report()
    assert after == before
    assert after[0]["offered"] == 1 and after[0]["answered"] == 1 and after[0]["average_talk_seconds"] < 60
    assert after[1]["offered"] == 0
    assert probe(svc) == 200


def test_an_exchange_event_cannot_address_a_manual_call(svc, tok):
    agent = auth(tok["agent"])
    r = requests.post(svc.url("/api/v1/calls"), json={"from": "+32 59 12 12 12", "outcome": "information", "note": "Vraag over afval"},
                      headers=agent, timeout=10)
    assert r.status_code == 201
    manual = r.json()
    assert manual["manual"] and manual["call_id"].startswith("manual-")
    # As stored (the 201's instants are not yet rounded to the stored milliseconds).
    manual = requests.get(svc.url(f"/api/v1/calls/{manual['id']}"), headers=agent, timeout=10).json()
    for fields in [{"event": "hangup", "callId": manual["call_id"], "cause": "noAnswer", "from": "+32 59 66 66 66"},
                   {"event": "newCall", "call_id": manual["call_id"], "from": "anonymous"},
                   {"event": "answer", "callId": manual["call_id"], "user": "Mallory"}]:
        assert cti(svc, tok["pbx"], fields).status_code == 200
    again = requests.get(svc.url(f"/api/v1/calls/{manual['id']}"), headers=agent, timeout=10)
    assert again.status_code == 200 and again.json() == manual
    rows = [r for r in call_rows(svc) if r[0] == manual["call_id"]]
    assert [r[1] for r in rows] == [1, 0], "the exchange's events made a call of their own"


# -- kiosk drafts ---------------------------------------------------------------------

def draft_count(svc) -> int:
    with sqlite3.connect(svc.db) as db:
        return db.execute("SELECT count(*) FROM draft").fetchone()[0]


def post_draft(svc, token, answers):
    return requests.post(svc.url("/api/v1/drafts"), json={"answers": answers, "language": "nl"}, headers=auth(token), timeout=30)


def test_a_kiosk_posting_drafts_in_a_loop_is_bounded(svc, tok):
    answers = {"kind": "report", "description": "Half ingevuld"}
    statuses = [post_draft(svc, tok["kiosk"], answers).status_code for _ in range(DRAFTS_PER_HOUR)]
    assert statuses == [201] * DRAFTS_PER_HOUR
    for _ in range(5):
        r = post_draft(svc, tok["kiosk"], answers)
        assert r.status_code == 429
        assert 1 <= int(r.headers["Retry-After"]) <= 3600
        assert problem(r)["title"] == "Too many drafts"
    assert draft_count(svc) == DRAFTS_PER_HOUR
    assert probe(svc) == 200

    # The site holds at most OPEN_DRAFTS_PER_SITE open drafts, whichever kiosks saved them.
    others = [svc.token("kiosk", f"kiosk stadhuis {i}", "stadhuis") for i in range(3)]
    saved = DRAFTS_PER_HOUR
    for token in others:
        for _ in range(DRAFTS_PER_HOUR):
            r = post_draft(svc, token, answers)
            if saved < OPEN_DRAFTS_PER_SITE:
                assert r.status_code == 201, r.text
                saved += 1
            else:
                assert r.status_code == 429 and problem(r)["title"] == "Too many open drafts"
                assert int(r.headers["Retry-After"]) >= 1
    assert draft_count(svc) == OPEN_DRAFTS_PER_SITE
    # The other site is not affected.
    cavell = svc.token("kiosk", "kiosk cavell", "edith-cavell")
    assert post_draft(svc, cavell, answers).status_code == 201


def test_oversized_drafts_are_refused_and_not_stored(svc, tok):
    # Every field within a signal's limits, together over a draft's 16 KiB.
    r = post_draft(svc, tok["kiosk"], {f"field{i}": "x" * 4_500 for i in range(4)})
    assert r.status_code == 413
    assert problem(r)["errors"] == [{"field": "answers", "message": "must be at most 16384 bytes as JSON"}]
    # One field longer than any signal field.
    r = post_draft(svc, tok["kiosk"], {"description": "x" * 20_000})
    assert r.status_code == 422
    assert problem(r)["errors"] == [{"field": "answers.description", "message": "must be at most 5000 characters"}]
    # A megabyte is refused by the route's body limit before it arrives.
    r = post_draft(svc, tok["kiosk"], {"description": "x" * (1 << 20)})
    assert r.status_code == 413
    problem(r)
    assert draft_count(svc) == 0
    # A half-filled form still fits.
    assert post_draft(svc, tok["kiosk"], {"description": "x" * 4000, "address": "Kapellestraat 12"}).status_code == 201
    assert probe(svc) == 200


def test_a_token_with_a_role_this_version_does_not_know_is_no_token(svc, tok):
    """A row this version cannot read (a role written by a newer version, or by hand) answers 401 like an
    unknown token, not a 5xx on every request; the other tokens keep working."""
    odd = svc.token("agent", "token from a newer version")
    with sqlite3.connect(svc.db, timeout=10) as db:
        db.execute("UPDATE token SET role = 'wizard' WHERE name = ?", ("token from a newer version",))
    for path in ("/api/v1/session", "/api/v1/calls", "/api/v1/signals"):
        r = requests.get(svc.url(path), headers=auth(odd), timeout=10)
        assert r.status_code == 401, (path, r.status_code, r.text)
    assert requests.get(svc.url("/api/v1/session"), headers=auth(tok["coordinator"]), timeout=10).status_code == 200
