"""docs/interface.md §7, the signals report, against the running service.

A dataset of several thousand signals is built through the HTTP API with counts known
in advance (every channel, kind, route, category, district, nature and score, and
time-zone edges at both ends of the year), then every figure of the JSON and the CSV
report is checked against counts computed here, independently, from that plan."""

from __future__ import annotations

import csv
import io
import json
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import requests

from harness import Service, auth


BRUSSELS = ZoneInfo("Europe/Brussels")
CHANNELS = ["web", "kiosk", "counter", "phone", "email", "letter"]
KINDS = ["report", "complaint", "suggestion", "compliment"]
REPORTERS = ["citizen", "staff"]
ROUTES = ["opunt", "special_procedure", "external", "unrouted"]
NATURES = ["service", "policy", "combination", "undetermined"]
OUTCOMES = ["upheld", "partly_upheld", "not_upheld", "inadmissible"]
COUNT = 3000
# Days to answer per kind (docs/interface.md §13); not the defaults, so the report must read the config.
ANSWER_DAYS = {"report": 20, "complaint": 45, "suggestion": 30, "compliment": 10}


def iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def plan_dataset(config: dict, count: int = COUNT, seed: int = 7) -> list[dict]:
    """Signals to create: what to POST, how to route, classify and answer each, in one list."""
    rnd = random.Random(seed)
    mains = [c["key"] for c in config["categories"]]
    subs = {c["key"]: [s["key"] for s in c.get("subcategories", [])] for c in config["categories"]}
    districts = [d["key"] for d in config["districts"]]
    sites = [s["key"] for s in config["sites"]]
    procs = config["special_procedures"]
    parties = [p["key"] for p in config["external_parties"]]
    depts = [d["key"] for d in config["departments"]]
    year_start = datetime(2025, 1, 1, tzinfo=BRUSSELS)
    seconds_in_year = int((datetime(2026, 1, 1, tzinfo=BRUSSELS) - year_start).total_seconds())
    # Time-zone edges at both ends: local 2025-01-01 00:30 and 23:30 on 31 December are in,
    # a second before local midnight at the start and local 00:30 on 1 January 2026 are out.
    edges = ["2024-12-31T23:30:00Z", "2024-12-31T23:00:00Z", "2024-12-31T22:59:59Z", "2025-12-31T22:59:59Z",
             "2025-12-31T23:30:00Z", "2025-12-31T23:00:00Z", "2025-06-30T22:30:00Z", "2024-06-01T10:00:00Z",
             "2026-02-01T10:00:00Z"]
    plan = []
    for i in range(count):
        channel = CHANNELS[i % 6] if i < 60 else rnd.choices(CHANNELS, [50, 8, 12, 20, 7, 3])[0]
        reporter = "staff" if rnd.random() < 0.15 else "citizen"
        kind = KINDS[i % 4] if i < 60 else rnd.choices(KINDS, [55, 25, 12, 8])[0]
        main = mains[i % len(mains)] if i < 60 else rnd.choice(mains)
        category = f"{main}/{rnd.choice(subs[main])}" if subs[main] and rnd.random() < 0.7 else main
        district = districts[i % len(districts)] if i < 60 else (rnd.choice(districts) if rnd.random() < 0.8 else None)
        if i < len(edges) * 4:
            received = datetime.fromisoformat(edges[i % len(edges)].replace("Z", "+00:00"))
        else:
            # In UTC, so that adding the answer time below is plain arithmetic (not wall-clock across DST).
            received = (year_start + timedelta(seconds=rnd.randrange(seconds_in_year))).astimezone(timezone.utc)
        body = {"kind": kind, "channel": channel, "reporter": reporter, "category": category,
                "description": f"Signaal {i}", "received_at": iso(received)}
        if district:
            body["district"] = district
        if channel in ("kiosk", "counter"):
            body["site"] = rnd.choice(sites)
        score = None
        if channel in ("web", "kiosk") and reporter == "citizen" and rnd.random() < 0.75:
            score = rnd.randint(1, 5)
            body["experience_score"] = score
        route = ROUTES[i % 4] if i < 80 else rnd.choices(ROUTES, [60, 8, 12, 20])[0]
        nature = NATURES[i % 4] if i < 40 else rnd.choices(NATURES + [None], [35, 10, 8, 17, 30])[0]
        patch: dict = {}
        if route == "opunt":
            patch = {"route": "opunt", "department": rnd.choice(depts)}
        elif route == "special_procedure":
            patch = {"route": "special_procedure", "special_procedure": rnd.choice(procs)["key"]}
        elif route == "external":
            patch = {"route": "external", "external_party": rnd.choice(parties)}
            if rnd.random() < 0.5:
                patch["consent_forward"] = rnd.random() < 0.5
        if nature:
            patch["nature"] = nature
        answered_after = None
        if route != "unrouted" and rnd.random() < 0.7:
            answered_after = rnd.choice([rnd.randrange(60, 86_400), rnd.randrange(86_400, 30 * 86_400),
                                         rnd.randrange(15 * 86_400, 60 * 86_400)])
        outcome = rnd.choice(OUTCOMES + [None]) if kind == "complaint" and answered_after is not None else None
        plan.append({
            "body": body, "received": received, "channel": channel, "reporter": reporter, "kind": kind,
            "main": main, "district": district, "score": score, "route": route, "nature": nature, "patch": patch,
            "answered_after": answered_after, "close": answered_after is not None and rnd.random() < 0.4,
            "ombuds": kind == "complaint" and rnd.random() < 0.05 or i in (0, 1, 4), "outcome": outcome,
        })
    return plan + deadline_edges(config)


def deadline_edges(config: dict) -> list[dict]:
    """Answers right at the deadline, across both DST changes and the year end in Brussels:
    for each, one exactly at due_at (on time), one a second later (late), and one half an hour
    from due_at on the side where a deadline counted in UTC days (not wall-clock days) would
    judge it the other way."""
    main = config["categories"][0]["key"]
    out = []
    starts = [("complaint", datetime(2025, 3, 10, 10, 0, tzinfo=BRUSSELS)),   # due after the spring change
              ("report", datetime(2025, 10, 15, 9, 15, tzinfo=BRUSSELS)),    # due after the autumn change
              ("suggestion", datetime(2025, 12, 20, 23, 30, tzinfo=BRUSSELS)),  # due in 2026
              ("compliment", datetime(2025, 12, 31, 23, 45, tzinfo=BRUSSELS))]  # the last local quarter of 2025
    for kind, local in starts:
        received = local.astimezone(timezone.utc)
        due = due_at(received, kind)
        naive = received + timedelta(days=ANSWER_DAYS[kind])
        tricky = due + (naive - due) / 2
        for answered in (due, due + timedelta(seconds=1), tricky):
            body = {"kind": kind, "channel": "phone", "reporter": "citizen", "category": main,
                    "description": "Termijn", "received_at": iso(received)}
            out.append({
                "body": body, "received": received, "channel": "phone", "reporter": "citizen", "kind": kind,
                "main": main, "district": None, "score": None, "route": "opunt", "nature": None,
                "patch": {"route": "opunt", "department": config["departments"][0]["key"]},
                "answered_after": int((answered - received).total_seconds()), "close": False, "ombuds": False,
                "outcome": "upheld" if kind == "complaint" else None,
            })
    return out


def due_at(received: datetime, kind: str) -> datetime:
    """The same wall-clock time ANSWER_DAYS later in Brussels: Python adds a timedelta to an
    aware datetime on the wall clock, then finds the offset of the result."""
    local = received.astimezone(BRUSSELS)
    return (local + timedelta(days=ANSWER_DAYS[kind])).astimezone(timezone.utc)


class Builder:
    """Creates the planned signals over HTTP: a few threads, each with a keep-alive session."""

    def __init__(self, svc: Service, token: str):
        self.svc = svc
        self.headers = auth(token)
        self.local = threading.local()

    def session(self) -> requests.Session:
        if not hasattr(self.local, "s"):
            self.local.s = requests.Session()
            self.local.s.headers.update(self.headers)
        return self.local.s

    def call(self, method: str, path: str, body=None, expect=(200, 201)) -> dict:
        r = self.session().request(method, self.svc.url(path), json=body, timeout=30)
        assert r.status_code in expect, (method, path, body, r.status_code, r.text)
        return r.json()

    def make(self, p: dict) -> str:
        ref = self.call("POST", "/api/v1/signals", p["body"])["reference"]
        path = f"/api/v1/signals/{ref}"
        if p["patch"] or p["answered_after"]:
            first = dict(p["patch"])
            if p["answered_after"]:
                first["status"] = "in_progress"
            self.call("PATCH", path, first)
        if p["answered_after"]:
            at = p["received"] + timedelta(seconds=p["answered_after"])
            answer = {"status": "answered", "answer": "Antwoord.", "answered_at": iso(at)}
            if p.get("outcome"):
                answer["outcome"] = p["outcome"]
            self.call("PATCH", path, answer)
            if p["close"]:
                self.call("PATCH", path, {"status": "closed"})
        if p["ombuds"]:
            self.call("POST", path + "/ombuds-referral", expect=(201,))
        return ref


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    s = Service(tmp_path_factory.mktemp("reports"),
                extra_config={"limits": {"max_body_bytes": 1048576, "public_per_minute": 0},
                              "deadlines": {"answer_days": ANSWER_DAYS}})
    s.start()
    s.tokens = {role: s.token(role, f"{role} 1") for role in ("coordinator", "admin", "agent", "staff")}
    yield s
    s.kill()


@pytest.fixture(scope="module")
def config(svc):
    return json.loads(svc.config.read_text())


@pytest.fixture(scope="module")
def dataset(svc, config):
    plan = plan_dataset(config)
    builder = Builder(svc, svc.tokens["coordinator"])
    with ThreadPoolExecutor(max_workers=8) as pool:
        refs = list(pool.map(builder.make, plan))
    assert len(set(refs)) == len(plan)
    for p, ref in zip(plan, refs):
        p["reference"] = ref
    return plan


# -- the independent count --------------------------------------------------------------
def local_day(t: datetime) -> date:
    return t.astimezone(BRUSSELS).date()


def nearest_rank(values: list[int], percent: int):
    if not values:
        return None
    values = sorted(values)
    return values[-(-percent * len(values) // 100) - 1]


def expected(plan, config, start: str, end: str, reporter=(), route=(), kind=(), channel=()) -> dict:
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    rows = [p for p in plan if a <= local_day(p["received"]) <= b
            and (not reporter or p["reporter"] in reporter) and (not route or p["route"] in route)
            and (not kind or p["kind"] in kind) and (not channel or p["channel"] in channel)]
    total = len(rows)

    def counts(field, keys):
        return {k: sum(1 for p in rows if p[field] == k) for k in keys}

    def shares(c):
        return {k: (v / total if total else 0) for k, v in c.items()}

    mains = [c["key"] for c in config["categories"]]
    by = {
        "by_reporter": counts("reporter", REPORTERS), "by_channel": counts("channel", CHANNELS),
        "by_kind": counts("kind", KINDS), "by_route": counts("route", ROUTES),
        "by_main_category": counts("main", mains),
        "by_nature": {**counts("nature", NATURES), "unclassified": sum(1 for p in rows if p["nature"] is None)},
    }
    with_district = sum(1 for p in rows if p["district"])
    population = sum(d["population"] for d in config["districts"])
    districts = [{"district": d["key"], "count": sum(1 for p in rows if p["district"] == d["key"]),
                  "share": (sum(1 for p in rows if p["district"] == d["key"]) / with_district) if with_district else 0,
                  "population_share": d["population"] / population,
                  "population_estimated": bool(d.get("population_estimated"))} for d in config["districts"]]

    def experience(sel):
        scores = [p["score"] for p in sel if p["score"] is not None]
        return {"answered": len(scores), "mean": (sum(scores) / len(scores)) if scores else None,
                "distribution": {str(s): scores.count(s) for s in range(1, 6)}}

    def times(field, key):
        d = [p["answered_after"] * 1000 for p in rows if p[field] == key and p["answered_after"] is not None]
        med, p90 = nearest_rank(d, 50), nearest_rank(d, 90)
        return {"answered": len(d), "median_seconds": None if med is None else (med + 500) // 1000,
                "p90_seconds": None if p90 is None else (p90 + 500) // 1000}

    answered = [p for p in rows if p["answered_after"] is not None]
    months = []
    y, m = a.year, a.month
    while (y, m) <= (b.year, b.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    month_of = {id(p): local_day(p["received"]).strftime("%Y-%m") for p in rows}
    categories = [k for c in config["categories"] for k in [c["key"]] + [f"{c['key']}/{s['key']}" for s in c.get("subcategories", [])]]
    complaints = [p for p in rows if p["kind"] == "complaint"]
    return {
        "on_time": {"answered": len(answered),
                    "on_time": sum(1 for p in answered
                                   if p["received"] + timedelta(seconds=p["answered_after"]) <= due_at(p["received"], p["kind"]))},
        "by_month": {k: sum(1 for p in rows if month_of[id(p)] == k) for k in months},
        "by_subcategory": {k: sum(1 for p in rows if p["body"]["category"] == k) for k in categories},
        "complaint_outcomes": {**{o: sum(1 for p in complaints if p.get("outcome") == o) for o in OUTCOMES},
                               "none": sum(1 for p in complaints if not p.get("outcome"))},
        "from": start, "to": end, "time_zone": "Europe/Brussels", "total": total,
        "filters": {"reporter": list(reporter), "route": list(route), "kind": list(kind), "channel": list(channel)},
        **by,
        "shares": {k: shares(v) for k, v in by.items()},
        "web_share": by["by_channel"]["web"] / total if total else 0,
        "by_district": districts,
        "without_district": total - with_district,
        "ombuds_referrals": sum(1 for p in rows if p["ombuds"]),
        # This dataset asks no satisfaction question (test_status_feedback.py does); a row may carry
        # "feedback": None (not asked), "open", True or False (the answer given).
        "satisfaction": {"asked": sum(1 for p in rows if p.get("feedback") is not None),
                         "given": sum(1 for p in rows if p.get("feedback") in (True, False)),
                         "satisfied": sum(1 for p in rows if p.get("feedback") is True)},
        "experience": {**experience(rows), "by_channel": {c: experience([p for p in rows if p["channel"] == c]) for c in CHANNELS}},
        "answer_time": {"by_route": {r: times("route", r) for r in ROUTES},
                        "by_main_category": {m: times("main", m) for m in mains}},
    }


def report(svc, query: str, role="coordinator"):
    return requests.get(svc.url("/api/v1/reports/signals?" + query), headers=auth(svc.tokens[role]), timeout=30)


def csv_figures(text: str) -> dict:
    """(section, key, measure) → value from the CSV."""
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["section", "key", "measure", "value"]
    out = {}
    for section, key, measure, value in rows[1:]:
        assert (section, key, measure) not in out
        out[(section, key, measure)] = value
    return out


def expected_csv(e: dict) -> dict:
    """The CSV lines the JSON figures make, value by value."""
    def num(v):
        return "" if v is None else v

    out = {("period", "from", "day"): e["from"], ("period", "to", "day"): e["to"],
           ("total", "", "count"): e["total"], ("web_share", "", "share"): e["web_share"],
           ("without_district", "", "count"): e["without_district"],
           ("ombuds_referrals", "", "count"): e["ombuds_referrals"]}
    for m, v in e["satisfaction"].items():
        out[("satisfaction", "", m)] = v
    for f, values in e["filters"].items():
        out[("filter", f, "values")] = " ".join(values)
    for section in ("by_reporter", "by_channel", "by_kind", "by_route", "by_main_category", "by_nature"):
        for k, v in e[section].items():
            out[(section, k, "count")] = v
            out[(section, k, "share")] = e["shares"][section][k]
    for d in e["by_district"]:
        for m in ("count", "share", "population_share"):
            out[("by_district", d["district"], m)] = d[m]

    def exp(section, key, x):
        out[(section, key, "answered")] = x["answered"]
        out[(section, key, "mean")] = num(x["mean"])
        for s, n in x["distribution"].items():
            out[(section, key, f"score_{s}")] = n
    exp("experience", "", e["experience"])
    for c, x in e["experience"]["by_channel"].items():
        exp("experience_by_channel", c, x)
    out[("on_time", "", "answered")] = e["on_time"]["answered"]
    out[("on_time", "", "on_time")] = e["on_time"]["on_time"]
    for section in ("by_month", "by_subcategory", "complaint_outcomes"):
        for k, v in e[section].items():
            out[(section, k, "count")] = v
    for group in ("by_route", "by_main_category"):
        for k, t in e["answer_time"][group].items():
            for m in ("answered", "median_seconds", "p90_seconds"):
                out[(f"answer_time_{group}", k, m)] = num(t[m])
    return out


def assert_csv_matches(text: str, e: dict):
    got = csv_figures(text)
    want = expected_csv(e)
    assert set(got) == set(want)
    for key, value in want.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            assert float(got[key]) == value, (key, got[key], value)
        else:
            assert got[key] == str(value), (key, got[key], value)


QUERIES = [
    ("from=2025-01-01&to=2025-12-31", {}),
    ("from=2025-01-01&to=2025-12-31&reporter=citizen", {"reporter": ["citizen"]}),
    ("from=2025-01-01&to=2025-12-31&route=external", {"route": ["external"]}),
    ("from=2025-01-01&to=2025-12-31&route=unrouted", {"route": ["unrouted"]}),
    ("from=2025-01-01&to=2025-12-31&kind=complaint,report&channel=web,kiosk", {"kind": ["complaint", "report"], "channel": ["web", "kiosk"]}),
    ("from=2025-01-01&to=2025-12-31&reporter=staff&route=opunt,special_procedure&kind=complaint&channel=phone,counter,letter",
     {"reporter": ["staff"], "route": ["opunt", "special_procedure"], "kind": ["complaint"], "channel": ["phone", "counter", "letter"]}),
    ("from=2025-01-01&to=2025-01-01", {}),
    ("from=2025-12-31&to=2025-12-31", {}),
    ("from=2025-03-01&to=2025-06-30&channel=email", {"channel": ["email"]}),
    ("from=2024-01-01&to=2026-12-31", {}),
    ("from=2030-01-01&to=2030-12-31", {}),
]


@pytest.mark.parametrize("query,filters", QUERIES)
def test_every_figure_of_the_json_report(svc, config, dataset, query, filters):
    args = dict(kv.split("=") for kv in query.split("&"))
    r = report(svc, query)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    want = expected(dataset, config, args["from"], args["to"], **filters)
    assert r.json() == want


@pytest.mark.parametrize("query,filters", QUERIES)
def test_every_figure_of_the_csv_report(svc, config, dataset, query, filters):
    args = dict(kv.split("=") for kv in query.split("&"))
    r = report(svc, query + "&format=csv")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in r.headers["Content-Disposition"] and ".csv" in r.headers["Content-Disposition"]
    assert_csv_matches(r.content.decode("utf-8"), expected(dataset, config, args["from"], args["to"], **filters))


def test_the_dataset_covers_every_set_and_both_year_edges(dataset, config):
    e = expected(dataset, config, "2025-01-01", "2025-12-31")
    assert e["total"] >= 2500
    for section in ("by_reporter", "by_channel", "by_kind", "by_route", "by_main_category", "by_nature"):
        assert all(v > 0 for v in e[section].values()), section
    assert all(d["count"] > 0 for d in e["by_district"])
    assert all(v > 0 for v in e["experience"]["distribution"].values())
    assert e["ombuds_referrals"] > 0
    # 2024-12-31T23:30:00Z is 00:30 on 1 January in Brussels; 2025-12-31T23:30:00Z is already 2026.
    first = expected(dataset, config, "2025-01-01", "2025-01-01")["total"]
    assert first >= 8  # the four edge signals at 23:00 and 23:30 UTC, four times each
    assert sum(1 for p in dataset if p["body"]["received_at"] == "2025-12-31T23:30:00Z") == 4
    assert expected(dataset, config, "2026-01-01", "2026-01-01")["total"] == 8


def test_the_report_is_for_the_back_office_only(svc, dataset):
    q = "from=2025-01-01&to=2025-12-31"
    assert report(svc, q, role="admin").status_code == 200
    assert report(svc, q, role="agent").status_code == 403
    assert report(svc, q, role="staff").status_code == 403
    assert requests.get(svc.url("/api/v1/reports/signals?" + q), timeout=10).status_code == 401


@pytest.mark.parametrize("query,fields", [
    ("", ["from", "to"]),
    ("from=2025-01-01", ["to"]),
    ("from=2025-02-30&to=2025-12-31", ["from"]),
    ("from=2025-12-31&to=2025-01-01", ["to"]),
    ("from=2025-01-01&to=2025-12-31&channel=web,fax&kind=praise&reporter=robot&route=elsewhere&format=xlsx",
     ["channel", "kind", "reporter", "route", "format"]),
])
def test_bad_queries_are_422_naming_every_argument(svc, query, fields):
    r = report(svc, query)
    assert r.status_code == 422, r.text
    assert sorted(e["field"] for e in r.json()["errors"]) == sorted(fields)


def test_the_new_figures_are_covered_both_ways(dataset, config):
    """The dataset makes every new figure non-trivial: answers on time and late, every outcome,
    months and subcategories that add up to the total, and a deadline rule a UTC count would miss."""
    e = expected(dataset, config, "2025-01-01", "2025-12-31")
    assert 0 < e["on_time"]["on_time"] < e["on_time"]["answered"]
    assert all(v > 0 for v in e["complaint_outcomes"].values())
    assert sum(e["by_month"].values()) == e["total"] and len(e["by_month"]) == 12
    assert all(v > 0 for v in e["by_month"].values())
    assert sum(e["by_subcategory"].values()) == e["total"]
    assert sum(e["complaint_outcomes"].values()) == e["by_kind"]["complaint"]
    # The DST edges are judged by the wall clock, not by 24-hour days: both ways round.
    answered = [p for p in dataset if p["answered_after"] is not None]
    by_utc_days = {id(p) for p in answered if p["answered_after"] <= ANSWER_DAYS[p["kind"]] * 86_400}
    by_wall_clock = {id(p) for p in answered if p["received"] + timedelta(seconds=p["answered_after"]) <= due_at(p["received"], p["kind"])}
    assert by_utc_days - by_wall_clock and by_wall_clock - by_utc_days


def test_by_month_is_zero_filled_over_the_whole_range(svc, dataset):
    r = report(svc, "from=2024-11-15&to=2026-03-02")
    assert r.status_code == 200, r.text
    months = r.json()["by_month"]
    assert list(months) == [f"{y}-{m:02d}" for y, m in [(2024, 11), (2024, 12)] + [(2025, i) for i in range(1, 13)]
                            + [(2026, 1), (2026, 2), (2026, 3)]]
    # 2024-06-01 (out of range) and the 2026-02-01 edge signals; nothing else before 2025 or after January 2026.
    assert months["2024-11"] == 0 and months["2026-03"] == 0 and months["2026-02"] == 4
    far = report(svc, "from=2030-01-01&to=2031-12-31").json()
    assert far["by_month"] == {f"{y}-{m:02d}": 0 for y in (2030, 2031) for m in range(1, 13)}
    assert far["on_time"] == {"answered": 0, "on_time": 0}
    assert far["complaint_outcomes"] == {o: 0 for o in OUTCOMES + ["none"]}


def test_the_widest_range_lists_every_month_and_counts_every_signal(svc, dataset):
    """Hostile width: 1900–9999 is 97,200 months, listed with zeros; only the months that hold
    signals are queried, so the answer stays quick and whole."""
    r = report(svc, "from=1900-01-01&to=9999-12-31")
    assert r.status_code == 200, r.text
    doc = r.json()
    assert len(doc["by_month"]) == (9999 - 1900 + 1) * 12
    assert list(doc["by_month"])[:2] == ["1900-01", "1900-02"] and list(doc["by_month"])[-1] == "9999-12"
    assert sum(doc["by_month"].values()) == doc["total"] == len(dataset)
    assert doc["on_time"]["answered"] == sum(1 for p in dataset if p["answered_after"] is not None)
    csv_text = report(svc, "from=1900-01-01&to=9999-12-31&format=csv").content.decode("utf-8")
    assert csv_text.count("\r\nby_month,") == (9999 - 1900 + 1) * 12
