"""Issue 12 on the staff pages, in headless Chromium against the real service: the desk registers a
letter dated in the past with a postal address, an address picked by typing and a scan (stored as
a photo), and finds a signal by its reference; the agent console picks an address by typing, the
caller's reply language and a photo, and the signal stores lat/lon/district; the back office shows
a stored photo's thumbnail (and the whole photo in a view of its own) and a map pin with tiles from
a tile server this test runs on loopback. axe, 44 px targets and no English on every screen."""

from __future__ import annotations

import csv
import json
import math
import re
import time
import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from harness import seconds_into_city_day
from helpers import (Backend, TileServer, Audit, choose, click, config_path, css, csp_errors, fill, get_signal, pick_category,
                     png, unique, wait_for)


# Words that would betray English on a Dutch staff page (none of them is also Dutch).
ENGLISH = ["search", "save", "close", "photo", "photos", "map", "zoom", "address", "upload", "file", "language",
           "the", "and", "signal", "received", "answer", "letter", "sign out", "choose", "back", "loading", "found"]
ENGLISH_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b", re.IGNORECASE)


def english_on_page(driver) -> list[str]:
    text = driver.execute_script("return document.body.innerText + ' ' + document.title")
    text = text.replace("Leaflet", "")
    return sorted(set(f"{m.group(0)} in …{text[max(0, m.start() - 30):m.end() + 30]}…" for m in ENGLISH_RE.finditer(text)))


# -- expected values, computed here and not asked of the service ------------------------------------
def sample_address(label: str) -> dict:
    """The bundled sample's row for a suggestion such as "Kapellestraat 1, 8400 Oostende"."""
    config = json.loads(config_path().read_text())
    path = config_path().parent / config["addresses"]["file"]
    m = re.fullmatch(r"(.+?) (\S+?)(?: bus (\S+))?, (\d{4}) (.+)", label)
    assert m, label
    with path.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        for r in rows:
            if (r["street"], r["house_number"], r["box"] or None, r["postcode"]) == (m[1], m[2], m[3], m[4]):
                return r
    raise AssertionError(f"{label} is not in the sample")


def _inside_ring(lon: float, lat: float, ring) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def district_of(lat: float, lon: float) -> str | None:
    """The first district (config order) whose area holds the point, even-odd over every ring."""
    for d in json.loads(config_path().read_text())["districts"]:
        area = d.get("area")
        if not area:
            continue
        polygons = [area["coordinates"]] if area["type"] == "Polygon" else area["coordinates"]
        if sum(_inside_ring(lon, lat, ring) for poly in polygons for ring in poly) % 2 == 1:
            return d["key"]
    return None


def photos_of(backend, reference, token):
    status, doc = backend.api("GET", f"/api/v1/signals/{reference}/photos", token=token)
    assert status == 200, doc
    return doc["items"]


def post_photo(backend, reference, token, body: bytes, media_type="image/png"):
    req = urllib.request.Request(f"{backend.base}/api/v1/signals/{reference}/photos", data=body, method="POST",
                                 headers={"Content-Type": media_type, "Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 201
        return json.loads(r.read())


def pick_suggestion(driver, input_id, typed):
    """Types into an address field and picks the first suggestion; returns its text."""
    fill(driver, input_id, typed)
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f"#{input_id}-suggestions button"), 10, "address suggestions")
    first = css(driver, f"#{input_id}-suggestions button")
    label = first.text.strip()
    assert label.lower().startswith(typed.lower()[:5]), label
    return label


@pytest.fixture
def image_file(tmp_path):
    path = tmp_path / "scan.png"
    path.write_bytes(png(64, 48))
    return path


# -- the desk ---------------------------------------------------------------------------------------
def test_desk_registers_a_dated_letter_with_postal_address_place_and_scan_and_finds_it(desk_driver, backend, config, image_file):
    driver = desk_driver
    audit = Audit(driver, targets=True)
    main, sub = pick_category(config)
    driver.get(backend.base + "/desk")
    wait_for(driver, lambda d: d.find_elements(By.ID, "d-token"))
    fill(driver, "d-token", backend.tokens["desk"])
    click(driver, "button[type=submit]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "d-lookup"), 10, "desk home with the look-up")
    audit("desk home")
    click(driver, "[data-action=new-signal]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "desk-form"))
    choose(driver, "channel", "letter")
    wait_for(driver, lambda d: d.find_elements(By.ID, "d-letter-date") and d.find_elements(By.ID, "d-postal"))
    choose(driver, "kind", "report")
    Select(css(driver, "#d-category")).select_by_value(f"{main}/{sub}")
    description = unique("Brief over een losse stoeptegel")
    fill(driver, "d-description", description)
    label = pick_suggestion(driver, "d-address", "Kapellestr")
    audit("desk address suggestions")
    click(driver, "#d-address-suggestions button")
    assert css(driver, "#d-address").get_attribute("value") == label
    row = sample_address(label)
    expected_district = district_of(float(row["lat"]), float(row["lon"]))
    assert expected_district
    wait_for(driver, lambda d: css(d, "#d-district").get_attribute("value") == expected_district, 5, "district filled")
    assert css(driver, "#d-place").text.strip()

    tz = ZoneInfo(config["time_zone"])
    today = datetime.now(tz).date()
    # A date in the future is refused on the form, next to the field.
    driver.execute_script("document.getElementById('d-letter-date').value = arguments[0]", (today + timedelta(days=2)).isoformat())
    postal = "Mevrouw Claeys\nKapellestraat 12\n8400 Oostende"
    css(driver, "#d-postal").send_keys(postal)
    fill(driver, "d-name", "Mevrouw Claeys")
    # A PDF is no scan the service takes: said before anything is sent.
    pdf = image_file.parent / "brief.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    css(driver, "#d-scan").send_keys(str(pdf))
    click(driver, "[data-action=desk-submit]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary a[href='#d-letter-date']"), 10, "the date refused")
    audit("desk letter date and scan refused")
    assert "toekomst" in css(driver, ".error-summary").text
    assert driver.find_elements(By.CSS_SELECTOR, ".error-summary a[href='#d-scan']"), css(driver, ".error-summary").text
    assert not [s for s in backend_signals(backend, description)], "nothing was registered"
    css(driver, "#d-scan").send_keys(str(image_file))
    assert css(driver, "#d-scan-chosen").text.endswith("scan.png")  # the chosen scan survives the re-render
    letter_day = today - timedelta(days=10)
    driver.execute_script("document.getElementById('d-letter-date').value = arguments[0]", letter_day.isoformat())
    click(driver, "[data-action=desk-submit]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "reference"), 20, "desk confirmation")
    wait_for(driver, lambda d: d.find_elements(By.ID, "done-photo"), 10, "the scan's fate")
    assert css(driver, "#done-photo").get_attribute("class") in (None, ""), css(driver, "#done-photo").text
    audit("desk letter done")
    reference = css(driver, "#reference").text.strip()

    status, signal = backend.api("GET", f"/api/v1/signals/{reference}", token=backend.tokens["coordinator"])
    assert status == 200, signal
    assert signal["channel"] == "letter" and signal["description"] == description
    assert signal["received_at"].startswith(letter_day.isoformat()), signal["received_at"]
    assert signal["contact"]["postal_address"] == postal
    assert signal["address"] == label
    assert abs(signal["lat"] - float(row["lat"])) < 1e-6 and abs(signal["lon"] - float(row["lon"])) < 1e-6
    assert signal["district"] == expected_district
    photos = photos_of(backend, reference, backend.tokens["coordinator"])
    assert [(p["media_type"], p["width"], p["height"]) for p in photos] == [("image/png", 64, 48)]

    # Found again by its reference, typed the way people do: lower case, no dashes.
    click(driver, "[data-action=desk-home]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "d-lookup"))
    fill(driver, "d-lookup", reference.replace("-", "").lower())
    click(driver, "[data-action=lookup]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "desk-found"), 10, "the signal found")
    found = css(driver, "#desk-found").text
    assert reference in found and "Per brief" in found and label in found
    audit("desk look-up")
    fill(driver, "d-lookup", "OP-0000-0000")
    click(driver, "[data-action=lookup]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary a[href='#d-lookup']"), 10, "unknown reference")
    audit("desk look-up unknown")
    assert not english_on_page(driver), english_on_page(driver)
    assert not csp_errors(driver)
    audit.check()


def backend_signals(backend, description):
    status, doc = backend.api("GET", "/api/v1/signals?limit=100", token=backend.tokens["coordinator"])
    assert status == 200, doc
    return [s for s in doc["items"] if s["description"] == description]


def test_desk_says_when_the_service_refuses_a_scan_and_keeps_the_signal(desk_driver, backend, config, tmp_path):
    """The service's refusals shown: a postal address with a tab (422, next to the field), and a PDF
    renamed to .png, which passes the browser's type check but not the service's (415) after the
    signal is made: the desk says the signal is registered but the scan is not."""
    driver = desk_driver
    audit = Audit(driver, targets=True)
    main, sub = pick_category(config)
    renamed = tmp_path / "scan.png"
    renamed.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    driver.get(backend.base + "/desk")
    wait_for(driver, lambda d: d.find_elements(By.ID, "d-token"))
    fill(driver, "d-token", backend.tokens["desk"])
    click(driver, "button[type=submit]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "d-lookup"))
    click(driver, "[data-action=new-signal]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "desk-form"))
    choose(driver, "channel", "letter")
    wait_for(driver, lambda d: d.find_elements(By.ID, "d-postal"))
    choose(driver, "kind", "report")
    Select(css(driver, "#d-category")).select_by_value(f"{main}/{sub}")
    description = unique("Per brief met een scan")
    fill(driver, "d-description", description)
    css(driver, "#d-scan").send_keys(str(renamed))
    # A tab in the postal address passes the form's own checks; the service refuses it (422), and the
    # desk shows the service's error next to the field.
    driver.execute_script("document.getElementById('d-postal').value = 'Meneer Wouters\\tKapellestraat 3\\n8400 Oostende'")
    click(driver, "[data-action=desk-submit]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary a[href='#d-postal']"), 10, "the service's error")
    assert "postadres" in css(driver, ".error-summary").text
    assert not backend_signals(backend, description)
    audit("desk postal address refused by the service")
    driver.execute_script("document.getElementById('d-postal').value = 'Meneer Wouters\\nKapellestraat 3\\n8400 Oostende'")
    click(driver, "[data-action=desk-submit]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "done-photo"), 20, "the scan's fate")
    problem = css(driver, "#done-photo")
    assert problem.get_attribute("role") == "alert"
    assert "geregistreerd" in problem.text and "geen JPEG" in problem.text, problem.text
    audit("desk scan refused by the service")
    reference = css(driver, "#reference").text.strip()
    assert [s["reference"] for s in backend_signals(backend, description)] == [reference]
    assert get_signal(backend, reference)["contact"]["postal_address"] == "Meneer Wouters\nKapellestraat 3\n8400 Oostende"
    assert photos_of(backend, reference, backend.tokens["coordinator"]) == []
    assert not english_on_page(driver), english_on_page(driver)
    audit.check()


# -- the agent console ------------------------------------------------------------------------------
def push(backend, pbx, **fields):
    req = urllib.request.Request(f"{backend.base}/api/v1/cti/{pbx}", data=json.dumps(fields).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200


def iso(unix: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(unix))


def test_agent_picks_an_address_by_typing_records_the_reply_language_and_a_photo(wide_driver, backend, config, image_file):
    driver = wide_driver
    audit = Audit(driver, targets=True)
    pbx = backend.create_token("pbx", "exchange-place")
    agent = backend.create_token("agent", "agent Lotte")
    call_id = unique("place-call").replace(" ", "-")
    # The console lists today's calls: a call of two minutes ago, at least a second into the city's day.
    at = time.time() - min(120, max(0, seconds_into_city_day() - 1))
    for event in ("newCall", "answer", "hangup"):
        extra = {"cause": "normalClearing"} if event == "hangup" else {}
        push(backend, pbx, event=event, callId=call_id, direction="in", **{"from": "+32470112233"}, to="0800 1 8400",
             user=["Lotte"], time=iso(at + {"newCall": 0, "answer": 5, "hangup": 60}[event]), **extra)
    status, calls = backend.api("GET", "/api/v1/calls?limit=500", token=agent)
    assert status == 200
    call = next(c for c in calls["items"] if c["call_id"] == call_id)

    driver.get(backend.base + "/agent")
    wait_for(driver, lambda d: d.find_elements(By.ID, "a-token"), 15)
    fill(driver, "a-token", agent)
    click(driver, "button[type=submit]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f"#calls button[data-action=open-call][data-call-id='{call['id']}']"), 15)
    click(driver, f"#calls button[data-action=open-call][data-call-id='{call['id']}']")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "button[data-action=make-signal]"))
    click(driver, "button[data-action=make-signal]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "signal-form"))
    # The reply language is asked, with every language of the city.
    options = [o.get_attribute("value") for o in Select(css(driver, "#s-language")).options]
    assert sorted(options) == sorted(config["languages"])
    main, sub = pick_category(config)
    choose(driver, "kind", "report")
    Select(css(driver, "#s-category")).select_by_value(f"{main}/{sub}")
    description = unique("Beller meldt een kapotte straatlamp")
    fill(driver, "s-description", description)
    label = pick_suggestion(driver, "s-address", "Kapellestraat 1")
    audit("agent address suggestions")
    click(driver, "#s-address-suggestions button")
    row = sample_address(label)
    expected_district = district_of(float(row["lat"]), float(row["lon"]))
    wait_for(driver, lambda d: css(d, "#s-place").text.strip(), 5, "the place chosen")
    fill(driver, "s-name", "Meneer Dubois")
    Select(css(driver, "#s-language")).select_by_value("fr")
    css(driver, "#s-photo").send_keys(str(image_file))
    audit("agent signal form with place and photo")
    click(driver, "button[data-action=create-signal]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "signal-reference"), 20, "the signal made")
    assert "foto is bij het bericht bewaard" in css(driver, "#panel").text
    audit("agent signal made")
    reference = css(driver, "#signal-reference").text.strip()

    status, signal = backend.api("GET", f"/api/v1/signals/{reference}", token=backend.tokens["coordinator"])
    assert status == 200, signal
    assert signal["channel"] == "phone" and signal["description"] == description
    assert signal["address"] == label
    assert abs(signal["lat"] - float(row["lat"])) < 1e-6 and abs(signal["lon"] - float(row["lon"])) < 1e-6
    assert signal["district"] == expected_district and expected_district
    assert signal["contact"]["language"] == "fr"
    assert [(p["media_type"], p["width"], p["height"]) for p in photos_of(backend, reference, agent)] == [("image/png", 64, 48)]
    assert not english_on_page(driver), english_on_page(driver)
    assert not csp_errors(driver)
    audit.check()


# -- the back office, with a map ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def map_backend(tmp_path_factory):
    tiles = TileServer(rgb=(220, 220, 220))
    # The service with a map (tiles from the loopback tile server), beside the session's own.
    b = Backend(tmp_path_factory.mktemp("map-service"),
                extra_config={"map": {"tile_url": tiles.url, "attribution": "Kaart: testtegels"}})
    b.tokens["coordinator"] = b.token("coordinator", "Coördinator Kaart")
    b.start()
    b.tiles = tiles
    yield b
    b.stop()
    tiles.close()


def test_back_office_shows_photo_thumbnails_and_a_map_pin(wide_driver, map_backend, image_file):
    driver = wide_driver
    backend = map_backend
    token = backend.tokens["coordinator"]
    status, cfg = backend.api("GET", "/api/v1/config")
    assert status == 200 and cfg["map"]["tile_url"].startswith("http://127.0.0.1:")
    main, sub = pick_category(cfg)
    status, suggestions = backend.api("GET", "/api/v1/addresses?q=Kapellestraat%203")
    assert status == 200 and suggestions["items"], suggestions
    label = suggestions["items"][0]["address"]
    row = sample_address(label)
    lat, lon = float(row["lat"]), float(row["lon"])
    description = unique("Zwerfvuil aan de bank")
    status, s = backend.api("POST", "/api/v1/signals", token=token, body={
        "kind": "report", "channel": "web", "category": f"{main}/{sub}", "description": description,
        "address": label, "lat": lat, "lon": lon, "contact": {"name": "Jan Peeters", "language": "nl"}})
    assert status == 201, s
    reference = s["reference"]
    post_photo(backend, reference, token, png(640, 480, (30, 120, 200)))
    post_photo(backend, reference, token, png(300, 200, (30, 200, 60)))
    status, no_place = backend.api("POST", "/api/v1/signals", token=token, body={
        "kind": "report", "channel": "web", "category": f"{main}/{sub}", "description": unique("Zonder plaats")})
    assert status == 201

    audit = Audit(driver, targets=True)
    driver.get(backend.base + "/backoffice")
    wait_for(driver, lambda d: d.find_elements(By.ID, "st-token"), 15)
    fill(driver, "st-token", token)
    click(driver, "button[type=submit]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f"#queue [data-reference='{reference}']"), 15, "the queue")
    click(driver, f"#queue [data-reference='{reference}']")
    wait_for(driver, lambda d: reference in css(d, "#h-detail").text, 10)
    facts = css(driver, "#facts").text
    district = district_of(lat, lon)
    district_name = next(d["name"] for d in cfg["districts"] if d["key"] == district)
    assert label in facts and (district_name if isinstance(district_name, str) else district_name["nl"]) in facts

    # Two thumbnails, each a real picture (drawn, with its natural size at most the 320 px thumbnail).
    wait_for(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#photos img")) == 2, 10, "two thumbnails")
    sizes = driver.execute_script("return [...document.querySelectorAll('#photos img')].map((i) => [i.complete, i.naturalWidth, i.naturalHeight])")
    assert sizes[0] == [True, 320, 240] and sizes[1] == [True, 300, 200], sizes
    # The pin, and tiles fetched from the configured server around it.
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#bo-map .leaflet-marker-icon"), 10, "the map pin")
    wait_for(driver, lambda d: backend.tiles.paths, 10, "tiles asked")
    z = 17
    x = int((lon + 180) / 360 * 2 ** z)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * 2 ** z)
    assert f"/{z}/{x}/{y}.png" in backend.tiles.paths, (x, y, backend.tiles.paths[:10])
    wait_for(driver, lambda d: d.execute_script(
        "const i = document.querySelector('#bo-map .leaflet-marker-icon'); return i.complete && i.naturalWidth > 0"), 10, "the pin drawn")
    assert "testtegels" in css(driver, "#bo-map").text
    audit("back office with photos and map")

    # A click shows the whole photo in its own view; back returns to the thumbnail.
    click(driver, "#photos button[data-action=open-photo]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "photo-full"), 10, "the whole photo")
    wait_for(driver, lambda d: d.execute_script("const i = document.getElementById('photo-full'); return i.complete && i.naturalWidth"), 10)
    assert driver.execute_script("const i = document.getElementById('photo-full'); return [i.naturalWidth, i.naturalHeight]") == [640, 480]
    audit("back office whole photo")
    assert not english_on_page(driver), english_on_page(driver)
    click(driver, "[data-action=close-photo]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "photos"))
    assert driver.execute_script("return document.activeElement.dataset.action") == "open-photo"

    # A signal without a place or photos: no map, no photo section.
    click(driver, f"#queue [data-reference='{no_place['reference']}']")
    wait_for(driver, lambda d: no_place["reference"] in css(d, "#h-detail").text, 10)
    assert not driver.find_elements(By.ID, "bo-map") and not driver.find_elements(By.ID, "photos")
    assert not english_on_page(driver), english_on_page(driver)
    assert not csp_errors(driver)
    audit.check()
