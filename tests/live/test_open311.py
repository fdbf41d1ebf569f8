"""Open311 GeoReport v2 (docs/interface.md §9, https://wiki.open311.org/GeoReport_v2) against the running
service: services and definitions in JSON and XML, POST with api_key and attributes, read back,
status mapping, no personal data in any GET, the standard's errors, date filters and defaults,
and clients that know nothing about this service but the standard."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import requests

from harness import CONFIG, Service, auth, serve

BASE = "/open311/v2"
CITY = json.loads(CONFIG.read_text())
JURISDICTION = "oostende.be"

PERSON = {"first_name": "Jozefien", "last_name": "Vandekerckhove", "email": "jozefien.vdk@voorbeeld.be",
          "phone": "0470 12 34 56"}


def expected_codes() -> list[str]:
    """The mapping the service documents: `main` and `main.sub` for every config category."""
    out = []
    for c in CITY["categories"]:
        out.append(c["key"])
        out += [f"{c['key']}.{s['key']}" for s in c.get("subcategories", [])]
    return out


def name_nl(name) -> str:
    return name if isinstance(name, str) else name.get("nl", next(iter(name.values())))


@pytest.fixture
def service(tmp_path):
    """Every limit off (Open311's own too): these tests are about the standard, not about load
    (tests/live/test_hostile_open311.py is)."""
    yield from serve(Service(tmp_path, extra_config={"limits": {"max_body_bytes": 1048576, "public_per_minute": 0,
                                                                "open311_per_minute": 0, "public_reads_per_minute": 0}}))


@pytest.fixture
def keys(service):
    return {
        "open311": service.token("open311", "partner app"),
        "coordinator": service.token("coordinator", "coordinator 1"),
        "kiosk": service.token("kiosk", "kiosk stadhuis 1", "stadhuis"),
    }


def get(service, path, **params):
    return requests.get(service.url(BASE + path), params=params, timeout=10)


def post(service, fmt="json", fields=(), **headers):
    """A form-encoded POST; `fields` is a list of pairs so names may repeat."""
    return requests.post(service.url(f"{BASE}/requests.{fmt}"), data=list(fields), headers=headers, timeout=10)


def report_fields(key, **extra):
    """A valid report's form; `extra` replaces or adds fields."""
    fields = {"api_key": key, "jurisdiction_id": JURISDICTION, "service_code": "overlast.zwerfvuil",
              "lat": "51.2300", "long": "2.9200", "address_string": "Kapellestraat 12, 8400 Oostende",
              "description": "Zwerfvuil aan de bushalte", **extra}
    return list(fields.items())


def xml_root(r) -> ET.Element:
    assert r.headers["Content-Type"].startswith("text/xml"), r.headers["Content-Type"]
    assert r.text.startswith('<?xml version="1.0" encoding="utf-8"?>'), r.text[:80]
    return ET.fromstring(r.content)


def errors_json(r, status):
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"].startswith("application/json"), r.headers["Content-Type"]
    body = r.json()
    assert isinstance(body, list) and body, body
    assert all(set(e) == {"code", "description"} and e["code"] == status and e["description"] for e in body), body
    return [e["description"] for e in body]


def errors_xml(r, status):
    assert r.status_code == status, r.text
    root = xml_root(r)
    assert root.tag == "errors"
    errs = root.findall("error")
    assert errs and all(e.findtext("code") == str(status) and e.findtext("description") for e in errs), r.text
    return [e.findtext("description") for e in errs]


def create(service, key, **extra) -> str:
    r = post(service, "json", report_fields(key, **extra))
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body) == 1 and set(body[0]) == {"service_request_id", "service_notice", "account_id"}
    return body[0]["service_request_id"]


def signal(service, token, reference):
    r = requests.get(service.url(f"/api/v1/signals/{reference}"), headers=auth(token), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def patch(service, token, reference, body):
    return requests.patch(service.url(f"/api/v1/signals/{reference}"), json=body, headers=auth(token), timeout=10)


# --- Services -------------------------------------------------------------------------------------

def test_services_json_and_xml_list_the_config_categories(service):
    r = get(service, "/services.json")
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json; charset=utf-8"
    services = r.json()
    assert [s["service_code"] for s in services] == expected_codes()
    by_code = {s["service_code"]: s for s in services}
    for c in CITY["categories"]:
        main = by_code[c["key"]]
        assert main["group"] == name_nl(c["name"]) and main["service_name"] == name_nl(c["name"])
        for sub in c.get("subcategories", []):
            s = by_code[f"{c['key']}.{sub['key']}"]
            assert s["service_name"] == name_nl(sub["name"]) and s["group"] == name_nl(c["name"])
    for s in services:
        assert set(s) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
        assert s["type"] == "realtime" and s["metadata"] is True and s["description"]
    assert "Litter" in by_code["overlast.zwerfvuil"]["keywords"]

    x = get(service, "/services.xml")
    assert x.status_code == 200
    root = xml_root(x)
    assert root.tag == "services"
    xml_services = root.findall("service")
    assert [s.findtext("service_code") for s in xml_services] == expected_codes()
    for js, xs in zip(services, xml_services):
        assert {child.tag: child.text for child in xs} == {k: ("true" if v is True else v) for k, v in js.items()}


def test_service_discovery_points_at_the_endpoint(service):
    d = requests.get(service.url("/open311/discovery.json"), timeout=10).json()
    assert set(d) == {"changeset", "contact", "key_service", "endpoints"} and "0800 1 8400" in d["contact"]
    [endpoint] = d["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == service.url(BASE) and endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml_root(requests.get(service.url("/open311/discovery.xml"), timeout=10))
    assert root.tag == "discovery" and [f.text for f in root.iter("format")] == ["text/xml", "application/json"]
    # A client that starts from discovery finds the services there.
    assert requests.get(endpoint["url"] + "/services.xml", timeout=10).status_code == 200


def test_services_follow_locale_and_accept_the_jurisdiction(service):
    en = get(service, "/services.json", locale="en", jurisdiction_id=JURISDICTION).json()
    assert {s["service_code"]: s["service_name"] for s in en}["overlast.zwerfvuil"] == "Litter"
    for jurisdiction in ["oostende.be", "Oostende", "oostende"]:
        assert get(service, "/services.json", jurisdiction_id=jurisdiction).status_code == 200
    assert get(service, "/services.json", jurisdiction_id="").status_code == 200  # empty is absent


def test_service_definition_json_and_xml(service):
    r = get(service, "/services/mobiliteit.openbaar-vervoer.json", locale="en")
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["service_code"] == "mobiliteit.openbaar-vervoer"
    attrs = {a["code"]: a for a in d["attributes"]}
    assert list(attrs) == ["district", "language", "contact_by", "experience_score", "consent_forward"]
    assert [a["order"] for a in d["attributes"]] == [1, 2, 3, 4, 5]
    for a in d["attributes"]:
        assert set(a) == {"variable", "code", "datatype", "required", "datatype_description", "order", "description", "values"}
        assert a["variable"] is True and a["required"] is False and a["description"]
    assert [v["key"] for v in attrs["district"]["values"]] == [x["key"] for x in CITY["districts"]]
    assert attrs["district"]["datatype"] == "singlevaluelist"
    assert attrs["contact_by"]["datatype"] == "multivaluelist"
    assert [v["key"] for v in attrs["contact_by"]["values"]] == ["email", "phone"]
    assert [v["key"] for v in attrs["experience_score"]["values"]] == ["1", "2", "3", "4", "5"]
    assert [v["key"] for v in attrs["language"]["values"]] == CITY["languages"]
    assert "De Lijn" in attrs["consent_forward"]["description"]

    x = get(service, "/services/mobiliteit.openbaar-vervoer.xml", locale="en")
    root = xml_root(x)
    assert root.tag == "service_definition" and root.findtext("service_code") == "mobiliteit.openbaar-vervoer"
    xattrs = root.find("attributes").findall("attribute")
    assert [a.findtext("code") for a in xattrs] == list(attrs)
    assert [v.findtext("key") for v in xattrs[0].find("values").findall("value")] == [x["key"] for x in CITY["districts"]]

    # Only a category that may belong to an outside body asks for consent to forward.
    plain = get(service, "/services/overlast.zwerfvuil.json").json()
    assert "consent_forward" not in [a["code"] for a in plain["attributes"]]
    assert get(service, "/services/overlast.json").status_code == 200


def test_unknown_service_or_format_is_404_in_the_standard_shape(service):
    assert "nope" in errors_json(get(service, "/services/nope.json"), 404)[0]
    errors_xml(get(service, "/services/nope.xml"), 404)
    errors_xml(get(service, "/services/overlast.zwerfvuil"), 404)  # no format: XML, the required one
    errors_json(get(service, "/services.json", jurisdiction_id="sfgov.org"), 404)
    errors_xml(get(service, "/services.xml", jurisdiction_id="sfgov.org"), 404)


# --- POST and read back -----------------------------------------------------------------------------

def test_post_with_api_key_attributes_and_multivaluelist_then_read_back(service, keys):
    fields = report_fields(keys["open311"]) + [
        ("first_name", PERSON["first_name"]), ("last_name", PERSON["last_name"]),
        ("email", PERSON["email"]), ("phone", PERSON["phone"]),
        ("device_id", "tt222111"), ("account_id", "123456"),
        ("attribute[district]", "centrum"), ("attribute[experience_score]", "4"), ("attribute[language]", "fr"),
        ("attribute[contact_by][]", "email"), ("attribute[contact_by][]", "phone"),
        ("media_url", "https://example.org/photos/1.jpg"),
    ]
    r = post(service, "json", fields)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    [created] = r.json()
    ref = created["service_request_id"]
    assert ref.startswith("OP-") and len(ref) <= 16

    # It is a signal like any other: web, report, citizen, with the attributes in its fields.
    s = signal(service, keys["coordinator"], ref)
    assert (s["channel"], s["kind"], s["reporter"]) == ("web", "report", "citizen")
    assert s["category"] == "overlast/zwerfvuil" and s["district"] == "centrum" and s["experience_score"] == 4
    assert s["contact"] == {"name": "Jozefien Vandekerckhove", "email": PERSON["email"], "phone": PERSON["phone"], "language": "fr",
                            "postal_address": None}
    assert (s["lat"], s["lon"], s["address"]) == (51.23, 2.92, "Kapellestraat 12, 8400 Oostende")
    assert s["description"].startswith("Zwerfvuil aan de bushalte") and "https://example.org/photos/1.jpg" in s["description"]
    assert "tt222111" not in json.dumps(s) and "123456" not in json.dumps(s)

    one = get(service, f"/requests/{ref}.json", jurisdiction_id=JURISDICTION)
    assert one.status_code == 200, one.text
    [req] = one.json()
    assert req["service_request_id"] == ref and req["status"] == "open"
    assert req["service_code"] == "overlast.zwerfvuil" and req["service_name"] == "Zwerfvuil"
    assert req["description"] == "Zwerfvuil aan de bushalte" and req["media_url"] == "https://example.org/photos/1.jpg"
    assert (req["lat"], req["long"], req["address"]) == (51.23, 2.92, "Kapellestraat 12, 8400 Oostende")
    assert req["requested_datetime"] == s["received_at"] and req["requested_datetime"].endswith("Z")
    assert datetime.fromisoformat(req["updated_datetime"].replace("Z", "+00:00")).tzinfo is not None
    assert req["status_notes"] is None and req["agency_responsible"] is None

    root = xml_root(get(service, f"/requests/{ref}.xml"))
    assert root.tag == "service_requests"
    [xreq] = root.findall("request")
    assert xreq.findtext("service_request_id") == ref and xreq.findtext("status") == "open"
    assert float(xreq.findtext("lat")) == 51.23 and xreq.find("expected_datetime").text is None

    assert ref in [q["service_request_id"] for q in get(service, "/requests.json").json()]
    assert ref in [e.findtext("service_request_id") for e in xml_root(get(service, "/requests.xml")).findall("request")]
    # The standard's token resource: no token is handed out, so a request's id is its own token.
    assert get(service, f"/tokens/{ref}.json").json() == [{"service_request_id": ref, "token": ref}]
    assert xml_root(get(service, f"/tokens/{ref}.xml")).find("request").findtext("token") == ref


def test_post_xml_answer_and_external_party_notice(service, keys):
    r = post(service, "xml", [("api_key", keys["open311"]), ("service_code", "mobiliteit.openbaar-vervoer"),
                              ("address_string", "Marie-Joséplein, Oostende"), ("attribute[consent_forward]", "true")])
    assert r.status_code == 200, r.text
    root = xml_root(r)
    ref = root.find("request").findtext("service_request_id")
    assert "De Lijn" in root.find("request").findtext("service_notice")
    s = signal(service, keys["coordinator"], ref)
    assert s["consent_forward"] is True and s["category"] == "mobiliteit/openbaar-vervoer"
    # No description given: the service's name stands in (a signal needs one; Open311 makes it optional).
    assert s["description"] == "Bus en tram" and s["contact"] is None


def test_contact_by_keeps_only_the_chosen_details(service, keys):
    ref = create(service, keys["open311"], email=PERSON["email"], phone=PERSON["phone"],
                 **{"attribute[contact_by][]": "email"})
    assert signal(service, keys["coordinator"], ref)["contact"]["phone"] is None
    assert signal(service, keys["coordinator"], ref)["contact"]["email"] == PERSON["email"]
    # An empty value is no value ("Optional Arguments" in the standard): every detail given is kept.
    ref = create(service, keys["open311"], email=PERSON["email"], phone=PERSON["phone"],
                 **{"attribute[contact_by][]": ""})
    assert signal(service, keys["coordinator"], ref)["contact"]["phone"] == PERSON["phone"]


def test_address_id_alone_is_a_location_and_reads_back(service, keys):
    r = post(service, "json", [("api_key", keys["open311"]), ("service_code", "overlast"), ("address_id", "CRAB-123456")])
    assert r.status_code == 200, r.text
    ref = r.json()[0]["service_request_id"]
    [req] = get(service, f"/requests/{ref}.json").json()
    assert req["address_id"] == "CRAB-123456" and req["address"] is None


# --- Status and personal data ---------------------------------------------------------------------

def test_status_maps_received_and_in_progress_to_open_and_the_rest_to_closed(service, keys):
    ref = create(service, keys["open311"], **{k: v for k, v in PERSON.items()})
    first = patch(service, keys["coordinator"], ref, {"status": "in_progress"})
    assert first.status_code == 200, first.text

    def current():
        [req] = get(service, f"/requests/{ref}.json").json()
        return req

    assert current()["status"] == "open"
    routed = patch(service, keys["coordinator"], ref, {"route": "opunt", "department": "netheid"})
    assert routed.status_code == 200, routed.text
    assert current()["agency_responsible"] == "Dienst Netheid"
    answer = (f"Beste mevrouw {PERSON['last_name']}, de dienst heeft het zwerfvuil op 2 juni opgeruimd. "
              f"Vragen? Mail {PERSON['email']} of bel 059 12 34 56.")
    answered = patch(service, keys["coordinator"], ref, {"status": "answered", "answer": answer})
    assert answered.status_code == 200, answered.text
    req = current()
    assert req["status"] == "closed"
    notes = req["status_notes"]
    assert "zwerfvuil op 2 juni opgeruimd" in notes
    for private in [PERSON["last_name"], PERSON["email"], "059 12 34 56"]:
        assert private not in notes, notes
    assert patch(service, keys["coordinator"], ref, {"status": "closed"}).status_code == 200
    closed = current()
    assert closed["status"] == "closed" and closed["updated_datetime"] >= req["updated_datetime"]
    assert [q["service_request_id"] for q in get(service, "/requests.json", status="closed").json()] == [ref]
    assert ref not in [q["service_request_id"] for q in get(service, "/requests.json", status="open").json()]


def test_an_outside_bodys_public_details_stay_in_the_answer(service, keys):
    r = post(service, "json", [("api_key", keys["open311"]), ("service_code", "mobiliteit.openbaar-vervoer"),
                               ("address_string", "Marie-Joséplein"), ("phone", PERSON["phone"]),
                               ("attribute[consent_forward]", "true")])
    ref = r.json()[0]["service_request_id"]
    routed = patch(service, keys["coordinator"], ref, {"route": "external", "external_party": "de-lijn"})
    assert routed.status_code == 200, routed.text
    for step in [{"status": "in_progress"}, {"status": "answered", "answer": f"Dit is voor De Lijn. U belde ons van op {PERSON['phone']}."}]:
        assert patch(service, keys["coordinator"], ref, step).status_code == 200
    [req] = get(service, f"/requests/{ref}.json").json()
    assert req["agency_responsible"] == "De Lijn" and req["status"] == "closed"
    assert "070 220 200" in req["status_notes"] and PERSON["phone"] not in req["status_notes"], req["status_notes"]


def test_no_personal_data_in_any_get_response(service, keys):
    description = (f"Zwerfvuil. Ik ben {PERSON['first_name']} {PERSON['last_name']}, "
                   f"mail {PERSON['email']} of bel +32 470 12 34 56.")
    ref = create(service, keys["open311"], description=description, **PERSON)
    bodies = []
    for fmt in ["json", "xml"]:
        bodies += [get(service, f"/requests.{fmt}").text, get(service, f"/requests/{ref}.{fmt}").text,
                   get(service, f"/requests.{fmt}", service_request_id=ref).text,
                   get(service, f"/tokens/{ref}.{fmt}").text, get(service, f"/services.{fmt}").text]
    assert all(ref in b for b in bodies[:4])
    for body in bodies:
        for private in [PERSON["first_name"], PERSON["last_name"], PERSON["email"], "0470", "470 12 34 56"]:
            assert private not in body, (private, body[:400])
    [req] = get(service, f"/requests/{ref}.json").json()
    assert req["description"].startswith("Zwerfvuil. Ik ben")
    # Only reports are service requests: a complaint filed on the website is not in the feed.
    complaint = requests.post(service.url("/api/v1/signals"), json={
        "kind": "complaint", "category": "dienstverlening/onthaal", "description": "Lang gewacht"}, timeout=10)
    assert complaint.status_code == 201, complaint.text
    cref = complaint.json()["reference"]
    assert cref not in get(service, "/requests.json").text
    errors_json(get(service, f"/requests/{cref}.json"), 404)


# --- Errors ---------------------------------------------------------------------------------------

def test_api_key_missing_wrong_or_of_another_role_is_403(service, keys):
    base = [("service_code", "overlast.zwerfvuil"), ("address_string", "Kapellestraat 12")]
    assert "api_key" in errors_json(post(service, "json", base), 403)[0]
    errors_xml(post(service, "xml", base), 403)
    errors_json(post(service, "json", [("api_key", "not-a-key")] + base), 403)
    for role in ["kiosk", "coordinator"]:
        assert role in errors_json(post(service, "json", [("api_key", keys[role])] + base), 403)[0]
    # A 403 comes before anything about the request is looked at.
    errors_json(post(service, "json", [("api_key", "not-a-key")]), 403)


def test_bad_requests_are_400_and_list_every_reason(service, keys):
    key = keys["open311"]
    assert "service_code" in errors_json(post(service, "json", [("api_key", key), ("lat", "51.2"), ("long", "2.9")]), 400)[0]
    errors_xml(post(service, "xml", [("api_key", key)]), 400)
    reasons = errors_json(post(service, "json", [
        ("api_key", key), ("service_code", "overlast.zwerfvuil"), ("lat", "51.2"),
        ("attribute[district]", "centrum"), ("attribute[district]", "stene"),
        ("attribute[nope]", "x"), ("attribute[experience_score]", "9"), ("description", "x" * 4001)]), 400)
    assert len(reasons) == 5, reasons
    assert any("lat and long" in m for m in reasons) and any("attribute[nope]" in m for m in reasons)
    assert any("attribute[district] takes one value" in m for m in reasons)
    assert any("attribute[experience_score]" in m for m in reasons) and any("4000" in m for m in reasons)
    assert "location" in errors_json(post(service, "json", [("api_key", key), ("service_code", "overlast")]), 400)[0]
    [msg] = errors_json(post(service, "json", report_fields(key) + [("attribute[district", "centrum")]), 400)
    assert "attribute[code]=value" in msg
    # The intake's own rules, in the standard's field names.
    [msg] = errors_json(post(service, "json", report_fields(key, email="geen-adres")), 400)
    assert msg.startswith("email must be an e-mail address")
    [msg] = errors_json(post(service, "json", report_fields(key) + [("lat", "91")]), 400)  # repeated, different
    assert "lat" in msg
    # Garbage never makes a 5xx.
    bad = requests.post(service.url(f"{BASE}/requests.json"), data=b"api_key=%zz&service_code=%",
                        headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=10)
    errors_json(bad, 400)
    as_json = requests.post(service.url(f"{BASE}/requests.json"), json={"service_code": "overlast"}, timeout=10)
    assert "x-www-form-urlencoded" in errors_json(as_json, 400)[0]
    errors_json(get(service, "/requests.json", status="pending"), 400)
    errors_json(get(service, "/requests.json", service_code="nope"), 400)
    errors_json(get(service, "/requests.json", start_date="gisteren"), 400)


def test_unknown_things_are_404(service, keys):
    key = keys["open311"]
    errors_json(post(service, "json", [("api_key", key), ("service_code", "nope"), ("address_string", "x")]), 404)
    errors_json(post(service, "json", report_fields(key)[:1] + [("jurisdiction_id", "sfgov.org")] + report_fields(key)[2:]), 404)
    errors_json(get(service, "/requests/OP-0000-0000.json"), 404)
    errors_xml(get(service, "/requests/garbage.xml"), 404)
    errors_json(get(service, "/tokens/12345.json"), 404)
    errors_json(get(service, "/requests.json", jurisdiction_id="sfgov.org"), 404)


# --- Dates and volume -----------------------------------------------------------------------------

def backfill(service, token, days_ago: float, category="overlast/zwerfvuil") -> str:
    at = (datetime.now(timezone.utc) - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")
    r = requests.post(service.url("/api/v1/signals"), headers=auth(token), timeout=10, json={
        "kind": "report", "channel": "web", "category": category, "description": "Oud", "received_at": at})
    assert r.status_code == 201, r.text
    return r.json()["reference"]


def w3(days_ago: float) -> str:
    return (datetime.now(timezone.utc) - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def ids(r) -> list[str]:
    assert r.status_code == 200, r.text
    return [q["service_request_id"] for q in r.json()]


def test_date_filters_and_the_90_day_default(service, keys):
    c = keys["coordinator"]
    recent, old, older = backfill(service, c, 10), backfill(service, c, 100), backfill(service, c, 200, "publieke-ruimte/groen")
    default = ids(get(service, "/requests.json"))
    assert recent in default and old not in default and older not in default
    assert ids(get(service, "/requests.json", start_date=w3(120), end_date=w3(95))) == [old]
    # One bound only: 90 days from it.
    assert ids(get(service, "/requests.json", start_date=w3(101))) == [old]
    assert ids(get(service, "/requests.json", end_date=w3(99))) == [old]
    # An offset whose + arrived unencoded (a space), and a bare day.
    offset = (datetime.now(timezone(timedelta(hours=2))) - timedelta(days=120)).strftime("%Y-%m-%dT%H:%M:%S+02:00")
    r = requests.get(service.url(f"{BASE}/requests.json?start_date={offset}&end_date={w3(95)}"), timeout=10)
    assert ids(r) == [old]
    def day(days_ago):
        return (datetime.now(timezone.utc) - timedelta(days=days_ago)).strftime("%Y-%m-%d")
    assert ids(get(service, "/requests.json", start_date=day(101), end_date=day(99))) == [old]
    assert "90 days" in errors_json(get(service, "/requests.json", start_date=w3(200), end_date=w3(5)), 400)[0]
    errors_json(get(service, "/requests.json", start_date=w3(5), end_date=w3(10)), 400)
    # service_request_id overrides every other argument, dates included.
    assert ids(get(service, "/requests.json", service_request_id=f"{older},{recent}", start_date=w3(3), status="closed")) == [older, recent]
    assert ids(get(service, "/requests.json", service_code="publieke-ruimte.groen", start_date=w3(210), end_date=w3(150))) == [older]
    assert ids(get(service, "/requests.json", service_code="overlast.zwerfvuil,publieke-ruimte.groen", status="open")) == [recent]
    assert get(service, "/requests.json", service_code="publieke-ruimte.groen").json() == []


def test_at_most_1000_requests_newest_first(service, keys):
    key = keys["open311"]
    fields = report_fields(key)

    def one(_):
        return requests.post(service.url(f"{BASE}/requests.json"), data=fields, timeout=30).status_code

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(one, range(1005))) == {200}
    listed = get(service, "/requests.json").json()
    assert len(listed) == 1000
    times = [q["requested_datetime"] for q in listed]
    assert times == sorted(times, reverse=True)
    assert len(xml_root(get(service, "/requests.xml")).findall("request")) == 1000


# --- Clients that know only the standard ------------------------------------------------------------

class SpecClient:
    """A GeoReport v2 client written from the specification alone: urllib and ElementTree,
    XML (the required format), form-encoded POST with api_key and attribute[code]."""

    def __init__(self, endpoint: str, api_key: str, jurisdiction_id: str):
        self.endpoint = endpoint.rstrip("/")
        self.api_key = api_key
        self.jurisdiction_id = jurisdiction_id

    def _get(self, resource: str, **params) -> ET.Element:
        query = urllib.parse.urlencode({"jurisdiction_id": self.jurisdiction_id, **params})
        with urllib.request.urlopen(f"{self.endpoint}/{resource}.xml?{query}", timeout=10) as r:
            return ET.fromstring(r.read())

    def services(self) -> list[dict]:
        return [{c.tag: c.text for c in s} for s in self._get("services").findall("service")]

    def definition(self, code: str) -> list[dict]:
        root = self._get(f"services/{urllib.parse.quote(code)}")
        return [{"code": a.findtext("code"), "datatype": a.findtext("datatype"), "required": a.findtext("required") == "true",
                 "values": [v.findtext("key") for v in a.iter("value")]} for a in root.iter("attribute")]

    def post(self, service_code: str, attributes: dict, **fields) -> str:
        pairs = [("api_key", self.api_key), ("jurisdiction_id", self.jurisdiction_id), ("service_code", service_code)]
        pairs += list(fields.items())
        for code, value in attributes.items():
            if isinstance(value, list):
                pairs += [(f"attribute[{code}][]", v) for v in value]
            else:
                pairs.append((f"attribute[{code}]", value))
        req = urllib.request.Request(f"{self.endpoint}/requests.xml", data=urllib.parse.urlencode(pairs).encode(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        with urllib.request.urlopen(req, timeout=10) as r:
            root = ET.fromstring(r.read())
        request = root.find("request")
        return request.findtext("service_request_id") or self._get(f"tokens/{request.findtext('token')}").find("request").findtext("service_request_id")

    def request(self, service_request_id: str) -> dict:
        return {c.tag: c.text for c in self._get(f"requests/{service_request_id}").find("request")}


def test_a_client_written_from_the_spec_lists_posts_and_reads_back(service, keys):
    client = SpecClient(service.url(BASE), keys["open311"], JURISDICTION)
    services = client.services()
    chosen = next(s for s in services if s["metadata"] == "true" and "." in s["service_code"])
    attrs = client.definition(chosen["service_code"])
    answers = {}
    for a in attrs:
        if a["required"] or a["datatype"] == "multivaluelist":
            answers[a["code"]] = a["values"][:2] if a["datatype"] == "multivaluelist" else a["values"][0]
    ref = client.post(chosen["service_code"], answers, lat="51.2300", long="2.9200",
                      description="Losliggende tegel", email="someone@voorbeeld.be")
    got = client.request(ref)
    assert got["service_request_id"] == ref and got["service_code"] == chosen["service_code"]
    assert got["status"] == "open" and got["description"] == "Losliggende tegel"
    with pytest.raises(urllib.error.HTTPError) as e:
        SpecClient(service.url(BASE), "wrong", JURISDICTION).post(chosen["service_code"], {}, lat="51.23", long="2.92")
    assert e.value.code == 403 and ET.fromstring(e.value.read()).find("error").findtext("code") == "403"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_package_from_pypi_reads_services_and_requests(service, keys, fmt):
    import georeport  # PyPI; make test-deps installs it
    client = georeport.GeoReport(service.url(BASE), jurisdiction=JURISDICTION, api_key=keys["open311"], output_format=fmt)
    services = client.get_service_list()
    assert [s["service_code"] for s in services] == expected_codes()
    definition = client.get_service_definition("overlast.zwerfvuil")
    assert definition["service_code"] == "overlast.zwerfvuil"
    # georeport cannot POST; file through the standard's form, then read back with it.
    ref = create(service, keys["open311"])
    listed = client.get_service_requests()
    listed = listed if isinstance(listed, list) else [listed]
    assert ref in [q["service_request_id"] for q in listed]
    one = client.get_service_request(ref)
    assert one["service_request_id"] == ref and one["status"] == "open" and one["service_code"] == "overlast.zwerfvuil"
    # service_request_id overrides the other arguments, status included.
    by_id = client.get_service_requests(service_request_id=ref, status="closed")
    by_id = by_id if isinstance(by_id, list) else [by_id]
    assert [q["service_request_id"] for q in by_id] == [ref]
