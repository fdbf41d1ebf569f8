"""docs/interface.md §7-8 against the running service: the exchange's CTI push, the agents' work on
calls, the call-back list, and the calls report, checked against figures computed here."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import signal as signals
import time
import urllib.parse
import uuid
import zoneinfo
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from harness import CONFIG, SIGNAL, Service, auth, serve


TZ = zoneinfo.ZoneInfo("Europe/Brussels")
SERVICE_LEVEL, SHORT_ABANDON = 20, 5  # config/ostend.json phone_line
OUTCOMES = ["information", "signal", "forwarded_external", "ombuds_referral", "no_action"]
FIGURES = ["offered", "answered", "abandoned", "short_abandoned", "service_level", "abandon_rate",
           "average_speed_of_answer_seconds", "average_talk_seconds", "in_progress", "signals_created"]


@pytest.fixture
def service(tmp_path):
    """The live service, with the exchange's clock trusted up to ten years behind ours: the
    scripted hour replays a day of October 2025 (the default window is 24 hours)."""
    phone_line = {**json.loads(CONFIG.read_text())["phone_line"], "event_window_behind_minutes": 5_256_000}
    yield from serve(Service(tmp_path, extra_config={"limits": {"max_body_bytes": 1048576, "public_per_minute": 0},
                                                     "phone_line": phone_line}))


@pytest.fixture
def tok(service):
    return {
        "pbx": service.token("pbx", "exchange"),
        "agent": service.token("agent", "agent An"),
        "agent2": service.token("agent", "agent Bert"),
        "coordinator": service.token("coordinator", "coordinator 1"),
        "desk": service.token("desk", "desk stadhuis", "stadhuis"),
    }


def cti(service, token, fields, form=True, headers=None):
    """Posts one event, form-encoded (repeating `user[]`) or as JSON."""
    url = service.url(f"/api/v1/cti/{token}")
    if form:
        pairs = []
        for k, v in fields.items():
            if isinstance(v, list):
                pairs += [(k + "[]", x) for x in v]
            else:
                pairs.append((k, v))
        return requests.post(url, data=urllib.parse.urlencode(pairs),
                             headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})},
                             timeout=10)
    return requests.post(url, json=fields, headers=headers or {}, timeout=10)


def local(y, mo, d, h=0, mi=0, s=0) -> int:
    """Unix seconds of a local time in the city."""
    return int(dt.datetime(y, mo, d, h, mi, s, tzinfo=TZ).timestamp())


def rfc3339(unix: int, offset_hours: int = 0) -> str:
    zone = dt.timezone(dt.timedelta(hours=offset_hours))
    text = dt.datetime.fromtimestamp(unix, zone).isoformat()
    return text.replace("+00:00", "Z") if offset_hours == 0 else text


def all_calls(service, token, **query):
    items, cursor = [], None
    for _ in range(50):
        params = {**query, "limit": 100, **({"cursor": cursor} if cursor else {})}
        r = requests.get(service.url("/api/v1/calls"), params=params, headers=auth(token), timeout=10)
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items
    raise AssertionError("paging did not end")


# -- the scripted hour --------------------------------------------------------------

class ScriptedCall:
    """One call of the script: its true times, and the events the exchange sends for it."""

    def __init__(self, call_id, direction="in", arrived=None, answered=None, ended=None, cause=None,
                 agents=(), number=None, only_new_and_hangup=False):
        self.call_id = call_id
        self.direction = direction
        self.arrived, self.answered, self.ended = arrived, answered, ended
        self.cause = cause
        self.agents = list(agents)
        self.number = number or f"+32 59 {random.randrange(10**6):06d}"
        self.events: list[dict] = []
        self.outcome: str | None = None
        base = {"callId": call_id, "direction": direction}
        numbers = {"from": self.number, "to": "0800 1 8400"} if direction == "in" else {"from": "0800 1 8400", "to": self.number}
        self.events.append({"event": "newCall", **base, **numbers, "queue": "o-punt", "time": arrived,
                            "user": self.agents})
        if answered is not None and not only_new_and_hangup:
            self.events.append({"event": "answer", **base, "time": answered, "user": self.agents[:1],
                                "answeringNumber": "20" + str(random.randrange(10))})
        if ended is not None:
            hangup = {"event": "hangup", **base, "time": ended, "cause": cause or "normalClearing"}
            if only_new_and_hangup and self.agents:
                hangup["user"] = self.agents[:1]
                hangup["answeringNumber"] = "201"
            self.events.append(hangup)


def expected_figures(calls, first_day: dt.date, last_day: dt.date):
    """The calls report as docs/interface.md §8 defines it, from the script's own times."""
    start = local(first_day.year, first_day.month, first_day.day)
    after = last_day + dt.timedelta(days=1)
    end = local(after.year, after.month, after.day)
    f = {"offered": 0, "answered": 0, "short_abandoned": 0, "in_progress": 0}
    within = speed = talk = 0
    by_hour = [0] * 24
    by_outcome = {k: 0 for k in OUTCOMES + ["unlogged"]}
    for c in calls:
        if c.direction != "in" or not (start <= c.arrived < end):
            continue
        if c.ended is None:
            f["in_progress"] += 1
            continue
        f["offered"] += 1
        by_hour[dt.datetime.fromtimestamp(c.arrived, TZ).hour] += 1
        by_outcome[c.outcome or "unlogged"] += 1
        if c.answered is not None and c.has_answer_event:
            f["answered"] += 1
            speed += c.answered - c.arrived
            talk += c.ended - c.answered
            within += (c.answered - c.arrived) <= SERVICE_LEVEL
        elif c.ended - c.arrived <= SHORT_ABANDON:
            f["short_abandoned"] += 1
    o, a, s = f["offered"], f["answered"], f["short_abandoned"]
    f["abandoned"] = o - a
    f["service_level"] = within / (o - s) if o - s else 0
    f["abandon_rate"] = (o - a - s) / (o - s) if o - s else 0
    f["average_speed_of_answer_seconds"] = speed / a if a else 0
    f["average_talk_seconds"] = talk / a if a else 0
    f["by_hour"] = by_hour
    f["by_outcome"] = by_outcome
    f["signals_created"] = by_outcome["signal"]
    return f


def build_script(rng: random.Random):
    """About 230 calls between 09:30 and 10:30 on 14 October 2025 (CEST), and a few at the day's edges."""
    day = (2025, 10, 14)
    opens = local(*day, 9, 30)
    calls = []
    n = 0

    def new_id():
        nonlocal n
        n += 1
        return f"hour-{n:04d}-{uuid.uuid4().hex[:6]}"

    agents = ["An", "Bert", "Chloé", "Dirk", "Els"]
    for _ in range(220):
        arrived = opens + rng.randrange(3600)
        kind = rng.random()
        picked = rng.sample(agents, 2)
        if kind < 0.62:    # answered, some beyond the service level
            wait = rng.choice([rng.randrange(0, 20), rng.randrange(21, 120)])
            answered = arrived + wait
            c = ScriptedCall(new_id(), arrived=arrived, answered=answered,
                             ended=answered + rng.randrange(10, 600), agents=picked)
        elif kind < 0.72:  # abandoned after waiting, or a short abandon
            ended = arrived + rng.choice([rng.randrange(0, SHORT_ABANDON + 1), rng.randrange(6, 200)])
            c = ScriptedCall(new_id(), arrived=arrived, ended=ended, cause="cancel")
        elif kind < 0.78:  # missed: the line failed the caller
            c = ScriptedCall(new_id(), arrived=arrived, ended=arrived + rng.randrange(20, 90),
                             cause=rng.choice(["noAnswer", "busy", "congestion"]))
        elif kind < 0.82:  # forwarded before or after an answer
            if rng.random() < 0.5:
                c = ScriptedCall(new_id(), arrived=arrived, ended=arrived + rng.randrange(5, 40), cause="forwarded")
            else:
                answered = arrived + rng.randrange(3, 30)
                c = ScriptedCall(new_id(), arrived=arrived, answered=answered, ended=answered + rng.randrange(5, 60),
                                 cause="forwarded", agents=picked)
        elif kind < 0.88:  # an exchange that sends only newCall and hangup: never answered
            answered = arrived + rng.randrange(3, 30)
            c = ScriptedCall(new_id(), arrived=arrived, answered=answered, ended=answered + rng.randrange(20, 300),
                             agents=picked, only_new_and_hangup=True)
        elif kind < 0.92:  # outbound: an agent calls back; never counted
            c = ScriptedCall(new_id(), direction="out", arrived=arrived, answered=arrived + 8,
                             ended=arrived + 100, agents=picked)
        elif kind < 0.95:  # still ringing
            c = ScriptedCall(new_id(), arrived=arrived)
        else:              # still talking
            c = ScriptedCall(new_id(), arrived=arrived, answered=arrived + rng.randrange(1, 40), agents=picked)
        calls.append(c)

    # The limits themselves: answered after exactly 20 s, abandoned after exactly 5 s (both count as within).
    calls.append(ScriptedCall(new_id(), arrived=opens + 100, answered=opens + 120, ended=opens + 200, agents=["An"]))
    calls.append(ScriptedCall(new_id(), arrived=opens + 300, answered=opens + 321, ended=opens + 400, agents=["An"]))
    calls.append(ScriptedCall(new_id(), arrived=opens + 500, ended=opens + 505, cause="cancel"))
    calls.append(ScriptedCall(new_id(), arrived=opens + 600, ended=opens + 606, cause="cancel"))
    # Across midnight: one arrives the day before and ends on the day, one arrives late on the day.
    calls.append(ScriptedCall(new_id(), arrived=local(2025, 10, 13, 23, 59, 50), answered=local(2025, 10, 13, 23, 59, 58),
                              ended=local(2025, 10, 14, 0, 3, 0), agents=["Els"]))
    calls.append(ScriptedCall(new_id(), arrived=local(2025, 10, 14, 23, 59, 55), answered=local(2025, 10, 15, 0, 0, 10),
                              ended=local(2025, 10, 15, 0, 4, 0), agents=["Els"]))
    for c in calls:
        c.has_answer_event = any(e["event"] == "answer" for e in c.events)
    return calls


def deliveries(c: ScriptedCall, rng: random.Random):
    """The events as the exchange delivers them: some reordered, some duplicated, some late
    duplicates with another time; `call_id` or `callId`; times as Unix seconds or RFC 3339."""
    events = [dict(e) for e in c.events]
    for e in events:
        style = rng.random()
        if style < 0.4:
            e["time"] = str(e["time"])
        elif style < 0.7:
            e["time"] = rfc3339(e["time"], 0)
        else:
            e["time"] = rfc3339(e["time"], 2)
        if rng.random() < 0.3:
            e["call_id"] = e.pop("callId")
        if rng.random() < 0.2:
            e["ignoredExtra"] = "x"
    if rng.random() < 0.25:
        rng.shuffle(events)
    out = list(events)
    if rng.random() < 0.2:  # the same event again, anywhere after its first copy
        i = rng.randrange(len(events))
        out.insert(rng.randrange(out.index(events[i]) + 1, len(out) + 1), dict(events[i]))
    if rng.random() < 0.08:  # a late duplicate with another time changes nothing
        late = dict(events[-1])
        late["time"] = str(int(c.events[-1]["time"]) + 1000)
        out.append(late)
    return [(e, rng.random() < 0.5) for e in out]


def test_scripted_hour_gives_the_figures_computed_here(service, tok):
    rng = random.Random(8400)
    random.seed(8400)
    calls = build_script(rng)
    assert len(calls) >= 200
    plans = [deliveries(c, rng) for c in calls]
    sent = sum(len(p) for p in plans)

    def play(plan):
        statuses = []
        for fields, form in plan:
            r = cti(service, tok["pbx"], fields, form=form)
            statuses.append((r.status_code, r.text))
        return statuses

    with ThreadPoolExecutor(8) as pool:
        results = [s for batch in pool.map(play, plans) for s in batch]
    assert all(code == 200 and body == "{}" for code, body in results), [r for r in results if r[0] != 200][:3]
    assert len(results) == sent > 3 * 200 * 0.9

    # Agents log what came of answered calls: PATCH, a phone signal from the call, a signal by reference.
    stored = {c["call_id"]: c for c in all_calls(service, tok["agent"], **{"from": "2025-10-13", "to": "2025-10-15"})}
    assert set(stored) == {c.call_id for c in calls}, "each call is stored once"
    by_id = {c.call_id: c for c in calls}
    answered = [c for c in calls if c.direction == "in" and c.ended and c.has_answer_event]
    rng.shuffle(answered)
    signal_ref = requests.post(service.url("/api/v1/signals"), json=SIGNAL, headers=auth(tok["agent"]), timeout=10).json()["reference"]
    for i, c in enumerate(answered[:120]):
        outcome = OUTCOMES[i % len(OUTCOMES)]
        call = stored[c.call_id]
        if outcome == "signal" and i % 2 == 0:
            r = requests.post(service.url(f"/api/v1/calls/{call['id']}/signal"),
                              json={**SIGNAL, "description": f"Van de lijn: {c.call_id}"}, headers=auth(tok["agent2"]), timeout=10)
            assert r.status_code == 201, r.text
            assert r.json()["channel"] == "phone"
        else:
            body = {"outcome": outcome, "topic": "afval"}
            if outcome == "signal":
                body["signal_reference"] = signal_ref.lower()
            r = requests.patch(service.url(f"/api/v1/calls/{call['id']}"), json=body, headers=auth(tok["agent"]), timeout=10)
            assert r.status_code == 200, r.text
        c.outcome = outcome
    # An abandoned call an agent logged after calling back also counts under its outcome.
    abandoned = next(c for c in calls if c.direction == "in" and c.ended and not c.has_answer_event
                     and local(2025, 10, 14) <= c.arrived < local(2025, 10, 15))
    r = requests.patch(service.url(f"/api/v1/calls/{stored[abandoned.call_id]['id']}"), json={"outcome": "information"},
                       headers=auth(tok["agent"]), timeout=10)
    assert r.status_code == 200
    abandoned.outcome = "information"

    # Each stored call carries the script's times and state, whatever the order of delivery.
    for call in all_calls(service, tok["agent"], **{"from": "2025-10-13", "to": "2025-10-15"}):
        c = by_id[call["call_id"]]
        assert dt.datetime.fromisoformat(call["arrived_at"]).timestamp() == c.arrived, call
        if c.has_answer_event:
            assert dt.datetime.fromisoformat(call["answered_at"]).timestamp() == c.answered
        else:
            assert call["answered_at"] is None
        assert call["ended_at"] is None if c.ended is None else dt.datetime.fromisoformat(call["ended_at"]).timestamp() == c.ended
        assert call["outcome"] == c.outcome
        assert call["direction"] == c.direction
        if c.has_answer_event:
            assert call["agent"] == c.agents[0]

    day = dt.date(2025, 10, 14)
    for first, last in [(day, day), (day - dt.timedelta(days=1), day + dt.timedelta(days=1))]:
        want = expected_figures(calls, first, last)
        params = {"from": first.isoformat(), "to": last.isoformat()}
        r = requests.get(service.url("/api/v1/reports/calls"), params=params, headers=auth(tok["coordinator"]), timeout=10)
        assert r.status_code == 200, r.text
        got = r.json()
        assert got["from"] == params["from"] and got["to"] == params["to"]
        for key in FIGURES:
            assert got[key] == pytest.approx(want[key], rel=1e-9, abs=1e-9), key
        assert got["by_hour"] == want["by_hour"]
        assert got["by_outcome"] == want["by_outcome"]
        assert sum(got["by_outcome"].values()) == got["offered"] == sum(got["by_hour"])

        r = requests.get(service.url("/api/v1/reports/calls"), params={**params, "format": "csv"},
                         headers=auth(tok["coordinator"]), timeout=10)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
        rows = dict(csv.reader(io.StringIO(r.text)))
        assert rows.pop("figure") == "value"
        assert rows["from"] == params["from"] and rows["to"] == params["to"]
        for key in FIGURES:
            assert float(rows[key]) == pytest.approx(want[key], rel=1e-9, abs=1e-9), key
        assert [int(rows[f"by_hour.{h:02d}"]) for h in range(24)] == want["by_hour"]
        assert {k: int(rows[f"by_outcome.{k}"]) for k in want["by_outcome"]} == want["by_outcome"]

    # The script really exercised what it claims to.
    want = expected_figures(calls, day, day)
    assert want["short_abandoned"] >= 3 and want["in_progress"] >= 3 and want["signals_created"] >= 10
    assert want["by_hour"][9] and want["by_hour"][10] and want["by_hour"][23] == 1
    assert 0 < want["service_level"] < 1 and 0 < want["abandon_rate"] < 1


# -- the CTI push: errors, tokens, forms --------------------------------------------

def test_cti_names_the_bad_field_and_refuses_wrong_tokens(service, tok):
    base = {"event": "newCall", "callId": "e-1", "from": "+32 59 11 11 11"}
    cases = [
        ({k: v for k, v in base.items() if k != "callId"}, ["callId"]),
        ({**base, "event": "ringing"}, ["event"]),
        ({**base, "direction": "sideways"}, ["direction"]),
        ({"from": "+32 59 11 11 11"}, ["event", "callId"]),
        ({**base, "time": "yesterday"}, ["time"]),
    ]
    for fields, named in cases:
        for form in (True, False):
            r = cti(service, tok["pbx"], fields, form=form)
            assert r.status_code == 422, (fields, r.text)
            assert r.headers["Content-Type"].startswith("application/problem+json")
            assert [e["field"] for e in r.json()["errors"]] == named

    assert cti(service, "not-a-token", base).status_code == 401
    assert cti(service, tok["agent"], base).status_code == 403
    assert cti(service, tok["coordinator"], base).status_code == 403
    # A Bearer header works too, for exchanges that can set one.
    r = requests.post(service.url("/api/v1/cti/bearer"), data=base, headers=auth(tok["pbx"]), timeout=10)
    assert r.status_code == 200 and r.json() == {}
    r = requests.post(service.url("/api/v1/cti/bearer"), data=base, headers=auth("wrong"), timeout=10)
    assert r.status_code == 401
    # Not the JSON it should be.
    url = service.url(f"/api/v1/cti/{tok['pbx']}")
    assert requests.post(url, data=b"{not json", headers={"Content-Type": "application/json"}, timeout=10).status_code == 400
    assert requests.post(url, data=b"[1, 2]", headers={"Content-Type": "application/json"}, timeout=10).status_code == 400


def test_cti_never_answers_5xx_to_garbage(service, tok):
    url = service.url(f"/api/v1/cti/{tok['pbx']}")
    rng = random.Random(5)
    bodies = [b"", b"\xff\xfe\x00", b"event=newCall&callId=%zz", b"=&&=&event", b"callId=" + b"x" * 5000,
              b'{"event": {"a": 1}, "callId": [1, 2]}', b'{"event": "newCall", "callId": 12345, "user": [null, 3, true]}',
              b'{"event": "hangup", "callId": "g", "time": 1e300}', b"event=newCall&event=hangup&callId=g2",
              bytes(rng.randrange(256) for _ in range(300))]
    for body in bodies:
        for ctype in ("application/x-www-form-urlencoded", "application/json", None, "text/plain", "multipart/form-data; boundary=x"):
            headers = {"Content-Type": ctype} if ctype else {}
            r = requests.post(url, data=body, headers=headers, timeout=10)
            assert r.status_code < 500, (body[:40], ctype, r.status_code, r.text)
            assert r.status_code in (200, 400, 415, 422), (body[:40], ctype, r.status_code)


def test_form_push_with_repeated_users_and_no_times_uses_arrival(service, tok):
    call_id = "arrival-1"
    assert cti(service, tok["pbx"], {"event": "newCall", "callId": call_id, "from": "+32 59 22 22 22",
                                     "to": "0800 1 8400", "user": ["Dirk", "Els"]}).status_code == 200
    time.sleep(1.0)
    assert cti(service, tok["pbx"], {"event": "answer", "callId": call_id, "user": ["Els"], "answeringNumber": "204"}).status_code == 200
    time.sleep(0.5)
    assert cti(service, tok["pbx"], {"event": "hangup", "callId": call_id, "cause": "normalClearing"}, form=False).status_code == 200
    call = next(c for c in all_calls(service, tok["agent"]) if c["call_id"] == call_id)
    assert call["state"] == "answered" and call["agent"] == "Els" and call["agents"] == ["Els", "Dirk"]
    assert call["answering_number"] == "204" and call["from"] == "+32 59 22 22 22"
    assert 0.9 <= call["wait_seconds"] <= 1.6 and 0.4 <= call["talk_seconds"] <= 1.1
    today = dt.datetime.now(TZ).date().isoformat()
    report = requests.get(service.url("/api/v1/reports/calls"), params={"from": today, "to": today},
                          headers=auth(tok["coordinator"]), timeout=10).json()
    assert report["offered"] == report["answered"] == 1
    assert report["average_speed_of_answer_seconds"] == pytest.approx(call["wait_seconds"], abs=0.002)


# -- agents' work -------------------------------------------------------------------

def test_agents_log_calls_and_the_rules_hold(service, tok):
    for i, event in enumerate(["newCall", "answer", "hangup"]):
        cti(service, tok["pbx"], {"event": event, "callId": "log-1", "from": "+32 59 33 33 33", "user": ["An"]})
    cti(service, tok["pbx"], {"event": "newCall", "callId": "log-2", "from": "+32 59 33 33 34"})
    cti(service, tok["pbx"], {"event": "answer", "callId": "log-2", "user": ["An"]})
    calls = {c["call_id"]: c for c in all_calls(service, tok["agent"])}
    first, second = calls["log-1"], calls["log-2"]
    assert [c["call_id"] for c in all_calls(service, tok["agent"])] == ["log-2", "log-1"], "newest first"
    assert {c["call_id"] for c in all_calls(service, tok["agent"], unlogged="true")} == {"log-1", "log-2"}
    url = service.url(f"/api/v1/calls/{first['id']}")

    def patch(body, token=tok["agent"], target=url):
        return requests.patch(target, json=body, headers=auth(token), timeout=10)

    bad = [
        ({"outcome": "maybe"}, ["outcome"]),
        ({"outcome": "signal"}, ["signal_reference"]),
        ({"outcome": "signal", "signal_reference": "OP-0000-0000"}, ["signal_reference"]),
        ({"signal_reference": "nonsense"}, ["signal_reference"]),
        ({"topic": "x" * 201}, ["topic"]),
        ({"note": 5}, ["note"]),
        ({"state": "answered"}, ["state"]),
        ({}, ["outcome"]),
    ]
    for body, named in bad:
        r = patch(body)
        assert r.status_code == 422, (body, r.text)
        assert [e["field"] for e in r.json()["errors"]] == named, (body, r.text)
    assert patch({"outcome": "information"}, token=tok["desk"]).status_code == 403
    assert patch({"outcome": "information"}, token=tok["pbx"]).status_code == 403
    assert patch({"outcome": "information"}, token=None).status_code == 401
    assert patch({"outcome": "information"}, target=service.url("/api/v1/calls/999999")).status_code == 404
    assert requests.patch(url, data="{", headers={**auth(tok["agent"]), "Content-Type": "application/json"}, timeout=10).status_code == 400
    assert requests.patch(url, data="{}", headers=auth(tok["agent"]), timeout=10).status_code == 415

    r = patch({"outcome": "forwarded_external", "topic": "De Lijn", "note": "Bus 6 reed niet"})
    assert r.status_code == 200, r.text
    logged = r.json()
    assert (logged["outcome"], logged["topic"], logged["note"], logged["logged_by"]) == ("forwarded_external", "De Lijn", "Bus 6 reed niet", "agent An")
    # Absent keeps, null clears.
    logged = patch({"note": None}).json()
    assert logged["note"] is None and logged["topic"] == "De Lijn" and logged["outcome"] == "forwarded_external"
    # An existing signal's reference, typed the way people type it.
    ref = requests.post(service.url("/api/v1/signals"), json=SIGNAL, headers=auth(tok["agent"]), timeout=10).json()["reference"]
    logged = patch({"outcome": "signal", "signal_reference": ref.lower().replace("0", "o")}).json()
    assert logged["outcome"] == "signal" and logged["signal_reference"] == ref
    assert {c["call_id"] for c in all_calls(service, tok["agent"], unlogged="true")} == {"log-2"}
    assert requests.get(service.url(f"/api/v1/calls/{second['id']}"), headers=auth(tok["agent"]), timeout=10).json()["state"] == "talking"

    # A call the exchange did not report: listed, marked manual, left out of the figures.
    r = requests.post(service.url("/api/v1/calls"), json={"from": "+32 470 12 34 56", "outcome": "information", "topic": "parkeren"},
                      headers=auth(tok["agent2"]), timeout=10)
    assert r.status_code == 201, r.text
    manual = r.json()
    assert manual["manual"] and manual["agent"] == "agent Bert" and manual["state"] == "answered" and manual["outcome"] == "information"
    assert r.headers["Location"] == f"/api/v1/calls/{manual['id']}"
    for body, named in [({"direction": "up"}, ["direction"]), ({"arrived_at": "2999-01-01T00:00:00Z"}, ["arrived_at"]),
                        ({"outcome": "signal"}, ["signal_reference"]), ({"number": "1"}, ["number"]),
                        ({"arrived_at": "2025-01-01T10:00:00Z", "ended_at": "2025-01-01T09:00:00Z"}, ["ended_at"])]:
        r = requests.post(service.url("/api/v1/calls"), json=body, headers=auth(tok["agent"]), timeout=10)
        assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == named, (body, r.text)
    today = dt.datetime.now(TZ).date().isoformat()
    report = requests.get(service.url("/api/v1/reports/calls"), params={"from": today, "to": today},
                          headers=auth(tok["coordinator"]), timeout=10).json()
    assert report["offered"] == 1 and report["in_progress"] == 1 and report["manual_calls"] == 1
    assert report["by_outcome"]["signal"] == report["signals_created"] == 1
    # Reports are for the back office.
    assert requests.get(service.url("/api/v1/reports/calls"), params={"from": today, "to": today},
                        headers=auth(tok["agent"]), timeout=10).status_code == 403
    r = requests.get(service.url("/api/v1/reports/calls"), params={"from": today}, headers=auth(tok["coordinator"]), timeout=10)
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["to"]
    r = requests.get(service.url("/api/v1/reports/calls"), params={"from": today, "to": "2000-01-01", "format": "xml"},
                     headers=auth(tok["coordinator"]), timeout=10)
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["to", "format"]


def test_phone_signal_from_a_call_links_both(service, tok):
    for event in ["newCall", "answer", "hangup"]:
        cti(service, tok["pbx"], {"event": event, "callId": "sig-1", "from": "+32 59 44 44 44", "user": ["An"]}, form=False)
    call = all_calls(service, tok["agent"])[0]
    url = service.url(f"/api/v1/calls/{call['id']}/signal")
    body = {**SIGNAL, "description": "Losliggende stoeptegel", "contact": {"phone": "+32 59 44 44 44", "name": "Mevr. Claes"}}
    key = str(uuid.uuid4())
    r = requests.post(url, json=body, headers={**auth(tok["agent"]), "Idempotency-Key": key}, timeout=10)
    assert r.status_code == 201, r.text
    signal = r.json()
    assert signal["channel"] == "phone" and signal["reporter"] == "citizen"
    # A retry with the same key gets the same answer; a second signal on the call is refused.
    again = requests.post(url, json=body, headers={**auth(tok["agent"]), "Idempotency-Key": key}, timeout=10)
    assert again.status_code == 201 and again.json()["reference"] == signal["reference"]
    assert requests.post(url, json=body, headers=auth(tok["agent"]), timeout=10).status_code == 409

    linked = requests.get(service.url(f"/api/v1/calls/{call['id']}"), headers=auth(tok["agent"]), timeout=10).json()
    assert linked["outcome"] == "signal" and linked["signal_reference"] == signal["reference"]
    assert linked["logged_by"] == "agent An"
    # The agent looks the signal up by its reference ("what happened to my report?").
    found = requests.get(service.url(f"/api/v1/signals/{signal['reference'].lower()}"), headers=auth(tok["agent"]), timeout=10)
    assert found.status_code == 200 and found.json()["description"] == "Losliggende stoeptegel"

    # An invalid signal stores nothing and leaves the call alone; others may not; unknown call is 404.
    for event in ["newCall", "answer", "hangup"]:
        cti(service, tok["pbx"], {"event": event, "callId": "sig-2", "user": ["An"]})
    other = next(c for c in all_calls(service, tok["agent"]) if c["call_id"] == "sig-2")
    r = requests.post(service.url(f"/api/v1/calls/{other['id']}/signal"), json={**SIGNAL, "channel": "web"},
                      headers=auth(tok["agent"]), timeout=10)
    assert r.status_code == 403
    r = requests.post(service.url(f"/api/v1/calls/{other['id']}/signal"), json={"kind": "report"}, headers=auth(tok["agent"]), timeout=10)
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} == {"category", "description"}
    assert requests.get(service.url(f"/api/v1/calls/{other['id']}"), headers=auth(tok["agent"]), timeout=10).json()["outcome"] is None
    assert requests.post(service.url("/api/v1/calls/424242/signal"), json=SIGNAL, headers=auth(tok["agent"]), timeout=10).status_code == 404
    assert requests.post(service.url(f"/api/v1/calls/{other['id']}/signal"), json=SIGNAL, headers=auth(tok["desk"]), timeout=10).status_code == 403


def test_call_back_list(service, tok):
    def call(call_id, number, answered=False, cause="cancel", direction="in"):
        frm, to = (number, "0800 1 8400") if direction == "in" else ("0800 1 8400", number)
        cti(service, tok["pbx"], {"event": "newCall", "callId": call_id, "from": frm, "to": to, "direction": direction})
        if answered:
            cti(service, tok["pbx"], {"event": "answer", "callId": call_id, "user": ["An"], "direction": direction})
        cti(service, tok["pbx"], {"event": "hangup", "callId": call_id, "cause": cause, "direction": direction})

    call("cb-1", "+32 59 55 55 01")                      # gave up
    call("cb-2", "+32 59 55 55 02", cause="noAnswer")    # missed
    call("cb-3", "anonymous")                            # nobody to call
    call("cb-4", "+32 59 55 55 04")
    call("cb-5", "+32 59 55 55 04", answered=True)       # got through later: off the list
    call("cb-6", "+32 59 55 55 06", cause="busy")
    call("cb-7", "+32 59 55 55 06")                      # the same number twice: one entry
    call("cb-8", "+32 59 55 55 08", cause="forwarded")   # passed on elsewhere
    call("cb-9", "+32 59 55 55 09")
    call("cb-10", "+32 59 55 55 09", answered=True, direction="out")  # an agent called back
    r = requests.get(service.url("/api/v1/calls/callbacks"), headers=auth(tok["agent"]), timeout=10)
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [(c["call_id"], c["attempts"]) for c in items] == [("cb-7", 2), ("cb-2", 1), ("cb-1", 1)]
    assert all(c["needs_callback"] for c in items)

    cleared = requests.post(service.url(f"/api/v1/calls/{items[0]['id']}/callback-cleared"), headers=auth(tok["agent2"]), timeout=10)
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["callback_cleared_by"] == "agent Bert" and not cleared.json()["needs_callback"]
    items = requests.get(service.url("/api/v1/calls/callbacks"), headers=auth(tok["agent"]), timeout=10).json()["items"]
    assert [c["call_id"] for c in items] == ["cb-2", "cb-1"]
    cb6 = next(c for c in all_calls(service, tok["agent"]) if c["call_id"] == "cb-6")
    assert cb6["callback_cleared_at"] is not None, "the earlier call of the same number is cleared too"
    assert requests.post(service.url("/api/v1/calls/999999/callback-cleared"), headers=auth(tok["agent"]), timeout=10).status_code == 404
    assert requests.get(service.url("/api/v1/calls/callbacks"), headers=auth(tok["pbx"]), timeout=10).status_code == 403
    r = requests.get(service.url("/api/v1/calls/callbacks"), params={"from": "2025-02-30"}, headers=auth(tok["agent"]), timeout=10)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "from"


# -- privacy ------------------------------------------------------------------------



def test_caller_numbers_never_reach_the_log(tmp_path):
    # Every log level on, so even debug lines are checked.
    s = Service(tmp_path, extra_config={"limits": {"max_body_bytes": 1048576, "public_per_minute": 0}},
                extra_args=["--log-level", "trace"])
    pbx, agent = s.token("pbx", "exchange"), s.token("agent", "agent An")
    s.start()
    try:
        numbers = ["+32 59 87 65 43", "0470987654", "+3259876542"]
        for i, number in enumerate(numbers):
            cid = f"priv-{i}"
            for event in ["newCall", "answer", "hangup"]:
                assert cti(s, pbx, {"event": event, "callId": cid, "from": number, "to": "0800 1 8400",
                                    "user": ["Agent Smith"]}, form=i % 2 == 0).status_code == 200
            # A refused event and a refused log entry that carry the number.
            assert cti(s, pbx, {"event": "transfer", "callId": cid, "from": number}).status_code == 422
            assert cti(s, pbx, {"event": "newCall", "from": number, "time": number}, form=False).status_code == 422
        call_id = all_calls(s, agent)[0]["id"]
        r = requests.patch(s.url(f"/api/v1/calls/{call_id}"), json={"outcome": "signal", "note": numbers[0]},
                           headers=auth(agent), timeout=10)
        assert r.status_code == 422
        r = requests.post(s.url("/api/v1/calls"), json={"from": numbers[1], "outcome": "information"}, headers=auth(agent), timeout=10)
        assert r.status_code == 201
        requests.get(s.url("/api/v1/calls/callbacks"), headers=auth(agent), timeout=10)
    finally:
        assert s.stop(signals.SIGTERM) == 0
    log = s.stderr.read_text() + s.stdout.read_text()
    assert "call event" in log and "priv-0" in log, "the events were logged, without their numbers"
    digits = "".join(ch for ch in log if ch.isdigit() or ch == "\n")
    for number in numbers:
        plain = "".join(ch for ch in number if ch.isdigit())
        assert plain not in digits.replace("\n", " ") and number not in log, number
        assert plain[-6:] not in log, number
    assert "Agent Smith" not in log
