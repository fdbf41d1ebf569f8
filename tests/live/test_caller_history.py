"""docs/interface.md §8 against the running service, issue 13: a returned call clears the
call-back list by itself (with who, why and which call), and the caller's history
(GET /api/v1/calls/{id}/history) keeps to the role rule, pages, and refuses hostile input."""

from __future__ import annotations

import time
import urllib.parse

import pytest
import requests

from harness import SIGNAL, auth, city_day, cli


@pytest.fixture
def tok(service):
    return {
        "pbx": service.token("pbx", "exchange"),
        "agent": service.token("agent", "agent An"),
        "coordinator": service.token("coordinator", "coordinator 1"),
        "admin": service.token("admin", "admin 1"),
        "desk": service.token("desk", "desk stadhuis", "stadhuis"),
        "kiosk": service.token("kiosk", "kiosk stadhuis", "stadhuis"),
        "staff": service.token("staff", "staff 1"),
    }


def digits_key(number: str) -> str:
    """The normalisation the code documents (PersonalData.normalizePhone), written again here:
    digits only, +32 and 0032 made a leading 0."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if digits.startswith("0032"):
        digits = "0" + digits[4:]
    elif number.strip().startswith("+32"):
        digits = "0" + digits[2:]
    return digits


def cti(service, pbx, **fields):
    r = requests.post(service.url(f"/api/v1/cti/{pbx}"), json=fields, timeout=10)
    assert r.status_code == 200, r.text


def iso(unix: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(unix))


def inbound(service, pbx, call_id, number, at, answered=False, cause="cancel"):
    """An inbound call that arrived `at` (Unix seconds): answered after 5 s, or given up after 20 s."""
    cti(service, pbx, event="newCall", callId=call_id, direction="in", **{"from": number}, to="0800 1 8400", time=iso(at))
    if answered:
        cti(service, pbx, event="answer", callId=call_id, direction="in", user=["An"], time=iso(at + 5))
        cti(service, pbx, event="hangup", callId=call_id, direction="in", cause="normalClearing", time=iso(at + 60))
    else:
        cti(service, pbx, event="hangup", callId=call_id, direction="in", cause=cause, time=iso(at + 20))


def outbound(service, pbx, call_id, number, at, answered=True, agent="Bert"):
    cti(service, pbx, event="newCall", callId=call_id, direction="out", **{"from": "0800 1 8400"}, to=number,
        user=[agent], time=iso(at))
    if answered:
        cti(service, pbx, event="answer", callId=call_id, direction="out", user=[agent], time=iso(at + 8))
        cti(service, pbx, event="hangup", callId=call_id, direction="out", cause="normalClearing", time=iso(at + 90))
    else:
        cti(service, pbx, event="hangup", callId=call_id, direction="out", cause="busy", time=iso(at + 15))


def calls_by_exchange_id(service, token):
    # The tests' calls start up to two hours ago: yesterday in the city shortly after midnight.
    days = {"from": city_day(time.time() - 3 * 3600).isoformat(), "to": city_day().isoformat()}
    r = requests.get(service.url("/api/v1/calls"), params={"limit": 500, **days}, headers=auth(token), timeout=10)
    assert r.status_code == 200, r.text
    return {c["call_id"]: c for c in r.json()["items"]}


def callbacks(service, token):
    r = requests.get(service.url("/api/v1/calls/callbacks"), headers=auth(token), timeout=10)
    assert r.status_code == 200, r.text
    return [(c["call_id"], c["attempts"]) for c in r.json()["items"]]


def test_a_returned_call_clears_the_call_back_list(service, tok):
    pbx, agent = tok["pbx"], tok["agent"]
    t0 = time.time() - 3600
    # Two numbers to call back; the first one twice, written two ways.
    inbound(service, pbx, "m-1", "+32 59 66 00 01", t0)
    inbound(service, pbx, "m-2", "059 66 00 01", t0 + 60, cause="noAnswer")
    inbound(service, pbx, "m-3", "+32 59 66 00 02", t0 + 120)
    inbound(service, pbx, "m-4", "+32 59 66 00 03", t0 + 180)
    inbound(service, pbx, "m-5", "+32 59 66 00 04", t0 + 240)
    assert callbacks(service, agent) == [("m-5", 1), ("m-4", 1), ("m-3", 1), ("m-2", 2)]

    # The console logs an outbound call to the first number, written a third way: both its calls leave the list.
    r = requests.post(service.url("/api/v1/calls"), headers=auth(agent), timeout=10,
                      json={"direction": "out", "to": "0032 59 66 00 01", "outcome": "information", "topic": "teruggebeld"})
    assert r.status_code == 201, r.text
    returned = r.json()
    calls = calls_by_exchange_id(service, agent)
    for cid in ("m-1", "m-2"):
        c = calls[cid]
        assert (c["needs_callback"], c["callback_cleared_by"], c["callback_cleared_reason"], c["callback_cleared_by_call"]) == \
            (False, "agent An", "called_back", returned["id"]), c
        assert c["callback_cleared_at"] is not None
    assert callbacks(service, agent) == [("m-5", 1), ("m-4", 1), ("m-3", 1)]

    # The exchange: an outbound call nobody answered clears nothing; an answered one does.
    outbound(service, pbx, "o-1", "+32 59 66 00 02", t0 + 600, answered=False)
    assert callbacks(service, agent) == [("m-5", 1), ("m-4", 1), ("m-3", 1)]
    outbound(service, pbx, "o-2", "+32 59 66 00 02", t0 + 700)
    calls = calls_by_exchange_id(service, agent)
    m3 = calls["m-3"]
    assert (m3["callback_cleared_by"], m3["callback_cleared_reason"], m3["callback_cleared_by_call"]) == \
        ("Bert", "called_back", calls["o-2"]["id"])
    assert callbacks(service, agent) == [("m-5", 1), ("m-4", 1)]

    # A call returned before the caller rang does not clear that later call.
    outbound(service, pbx, "o-3", "+32 59 66 00 03", t0 + 100)
    assert ("m-4", 1) in callbacks(service, agent)

    # The caller rang again and got through: the earlier call leaves the list as answered.
    inbound(service, pbx, "m-6", "059/66.00.04", t0 + 900, answered=True)
    calls = calls_by_exchange_id(service, agent)
    assert (calls["m-5"]["callback_cleared_reason"], calls["m-5"]["callback_cleared_by_call"]) == ("answered", calls["m-6"]["id"])
    assert callbacks(service, agent) == [("m-4", 1)]

    # Cleared by hand: reason cleared. A duplicate event of the returning call changes nothing.
    r = requests.post(service.url(f"/api/v1/calls/{calls['m-4']['id']}/callback-cleared"), headers=auth(agent), timeout=10)
    assert r.status_code == 200 and r.json()["callback_cleared_reason"] == "cleared", r.text
    assert callbacks(service, agent) == []
    before = calls_by_exchange_id(service, agent)
    cti(service, pbx, event="answer", callId="o-2", direction="out", user=["Bert"], time=iso(t0 + 708))
    assert calls_by_exchange_id(service, agent)["m-3"] == before["m-3"]

    # A new missed call of a called-back number is on the list again (it arrives after the
    # outbound call the console logged a moment ago).
    inbound(service, pbx, "m-7", "+32 59 66 00 01", time.time() + 2)
    assert callbacks(service, agent) == [("m-7", 1)]


def history(service, token, call_id, **params):
    return requests.get(service.url(f"/api/v1/calls/{call_id}/history"), params=params, headers=auth(token), timeout=10)


def all_history(service, token, call_id, limit):
    items, cursor, pages = [], None, 0
    while True:
        r = history(service, token, call_id, limit=limit, **({"cursor": cursor} if cursor else {}))
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["items"]) <= limit
        items += page["items"]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            return items, pages
        assert pages < 100


def test_caller_history_pages_keeps_the_role_rule_and_shows_the_signals(service, tok):
    pbx, agent = tok["pbx"], tok["agent"]
    t0 = time.time() - 7200
    formats = ["+32 59 77 00 01", "059 77 00 01", "0032 59 77 00 01", "059/77.00.01", "+32 (59) 770001"]
    ours = []
    for i in range(23):
        cid = f"h-{i}"
        inbound(service, pbx, cid, formats[i % len(formats)], t0 + 60 * i, answered=i % 3 == 0)
        ours.append(cid)
    outbound(service, pbx, "h-out", "+32 59 77 00 01", t0 + 60 * 23)
    ours.append("h-out")
    inbound(service, pbx, "other", "+32 59 77 00 02", t0 + 60 * 24, answered=True)
    inbound(service, pbx, "anon", "anonymous", t0 + 60 * 25)
    calls = calls_by_exchange_id(service, agent)

    # A phone signal made from one of the calls, and a web signal someone linked to another.
    r = requests.post(service.url(f"/api/v1/calls/{calls['h-0']['id']}/signal"), headers=auth(agent), timeout=10,
                      json={**SIGNAL, "contact": {"phone": "059 77 00 01"}})
    assert r.status_code == 201, r.text
    phone_ref = r.json()["reference"]
    r = requests.post(service.url("/api/v1/signals"), json={**SIGNAL, "channel": "web", "contact": {"email": "x@example.org"}}, timeout=10)
    assert r.status_code == 201, r.text
    web_ref = r.json()["reference"]
    r = requests.patch(service.url(f"/api/v1/calls/{calls['h-3']['id']}"), headers=auth(agent), timeout=10,
                       json={"outcome": "information", "signal_reference": web_ref})
    assert r.status_code == 200, r.text

    subject = calls["h-22"]
    expected = sorted((c for cid, c in calls.items() if cid in ours and cid != "h-22"),
                      key=lambda c: (c["arrived_at"], c["id"]), reverse=True)
    assert all(digits_key(c["from"] if c["direction"] == "in" else c["to"]) == "059770001" for c in expected)
    items, pages = all_history(service, agent, subject["id"], limit=10)
    assert [c["id"] for c in items] == [c["id"] for c in expected]
    assert pages == -(-len(expected) // 10)
    by_call = {c["call_id"]: c for c in items}
    assert by_call["h-0"]["signal"]["reference"] == phone_ref and by_call["h-0"]["signal"]["channel"] == "phone"
    assert set(by_call["h-0"]["signal"]) == {"reference", "kind", "channel", "category", "status", "route", "department",
                                            "received_at", "answered_at", "closed_at"}
    # An agent sees personal data of phone signals only: that this caller made a web signal is not shown.
    assert by_call["h-3"]["signal"] is None
    coordinator_view = {c["call_id"]: c for c in all_history(service, tok["coordinator"], subject["id"], limit=500)[0]}
    assert coordinator_view["h-3"]["signal"]["reference"] == web_ref
    assert "contact" not in coordinator_view["h-3"]["signal"]
    # The default page, and the other number's own history.
    r = history(service, agent, subject["id"])
    assert r.status_code == 200 and len(r.json()["items"]) == 20 and r.json()["next_cursor"]
    assert r.headers.get("Cache-Control") == "no-store"
    assert history(service, agent, calls["other"]["id"]).json() == {"items": [], "next_cursor": None}
    assert history(service, agent, calls["anon"]["id"]).json() == {"items": [], "next_cursor": None}

    # The role rule: agent, coordinator, admin; nobody else.
    for role in ("coordinator", "admin"):
        assert history(service, tok[role], subject["id"]).status_code == 200
    for role in ("pbx", "desk", "kiosk", "staff"):
        r = history(service, tok[role], subject["id"])
        assert r.status_code == 403 and r.headers["Content-Type"].startswith("application/problem+json"), (role, r.text)
    assert requests.get(service.url(f"/api/v1/calls/{subject['id']}/history"), timeout=10).status_code == 401
    assert history(service, "not-a-token", subject["id"]).status_code == 401

    # An erasure takes the number, and with it the history.
    out = cli("export-person", "--phone", "+32 59 77 00 01", "--erase", "--db", str(service.db))
    assert out.returncode == 0, out.stderr
    assert history(service, agent, subject["id"]).json() == {"items": [], "next_cursor": None}


def test_caller_history_refuses_hostile_input(service, tok):
    pbx, agent = tok["pbx"], tok["agent"]
    t0 = time.time() - 600
    odd = {
        "long": "9" * 40,                       # longer than any phone number: matched with nothing
        "unicode": "+32 59 ٧٧ 00 09",          # Arabic-Indic digits count as digits, as in the code
        "short": "12345",
        "junk": "<script>'\"",
    }
    for i, (name, number) in enumerate(odd.items()):
        inbound(service, pbx, f"odd-{name}", number, t0 + i)
        inbound(service, pbx, f"odd-{name}-2", number, t0 + 100 + i)
    calls = calls_by_exchange_id(service, agent)
    for name in ("long", "short", "junk"):
        r = history(service, agent, calls[f"odd-{name}"]["id"])
        assert r.status_code == 200 and r.json()["items"] == [], (name, r.text)
    r = history(service, agent, calls["odd-unicode"]["id"])
    assert [c["call_id"] for c in r.json()["items"]] == ["odd-unicode-2"]

    subject = calls["odd-unicode"]["id"]
    for bad in ("0", "-1", "abc", "1e3", "99999999999999999999999", "9223372036854775807", "%00", "1;DROP TABLE call"):
        r = requests.get(service.url(f"/api/v1/calls/{urllib.parse.quote(bad, safe='%')}/history"), headers=auth(agent), timeout=10)
        assert r.status_code in (400, 404) and r.headers["Content-Type"].startswith("application/problem+json"), (bad, r.status_code)
    for params, field in [({"limit": "0"}, "limit"), ({"limit": "501"}, "limit"), ({"limit": "-5"}, "limit"),
                          ({"limit": "ten"}, "limit"), ({"limit": "9" * 400}, "limit"),
                          ({"cursor": "garbage"}, "cursor"), ({"cursor": "A" * 4000}, "cursor")]:
        r = history(service, agent, subject, **params)
        assert r.status_code == 422, (params, r.status_code, r.text[:200])
        assert [e["field"] for e in r.json()["errors"]] == [field]
    # A cursor of another list is refused; a very long query string gets a 4xx, never a 5xx.
    signals_cursor = None
    for _ in range(2):
        requests.post(service.url("/api/v1/signals"), json=SIGNAL, timeout=10)
    r = requests.get(service.url("/api/v1/signals"), params={"limit": 1}, headers=auth(tok["coordinator"]), timeout=10)
    signals_cursor = r.json()["next_cursor"]
    assert signals_cursor
    assert history(service, agent, subject, cursor=signals_cursor).status_code == 422
    r = requests.get(service.url(f"/api/v1/calls/{subject}/history?" + "x=" + "y" * 200_000), headers=auth(agent), timeout=30)
    assert 400 <= r.status_code < 500, r.status_code
    assert requests.get(service.url("/healthz"), timeout=10).status_code == 200
