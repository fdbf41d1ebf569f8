"""Place and photos on the citizen forms (issue 12): the address search on the website and on the
kiosk's on-screen keyboard, the website's map pin (tiles from a server this test runs on
loopback), "use my location" on a phone, what is already reported nearby ("Dit is hetzelfde"
stores same_as), and photos sent after the signal with its status key."""

from __future__ import annotations

import csv
import json
import math
import unicodedata

import pytest
import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from flows import submit_and_wait_done, walk_to_location
from harness import CONFIG, ROOT, Service
from helpers import (TileServer, Audit, choose, click, continue_, css, enroll, fill, get_signal, make_driver, open_kiosk, pick_category,
                     screen, unique, wait_for, wait_screen)

OSTEND = json.loads(CONFIG.read_text())
SAMPLE = ROOT / "config" / OSTEND["addresses"]["file"]
PHOTO = ROOT / "tests" / "fixtures" / "photos" / "wide.jpg"
KIOSK = dict(targets=True, minimum=64, text=28)


# -- independent expectations ------------------------------------------------------------
def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")


def sample_addresses():
    """The bundled sample's rows as {address, street, lat, lon}, read here from the CSV itself."""
    lines = [l for l in SAMPLE.read_text(encoding="utf8").splitlines() if l.strip() and not l.startswith("#")]
    out = []
    for row in csv.DictReader(lines):
        box = f" bus {row['box']}" if row.get("box") else ""
        out.append({"address": f"{row['street']} {row['house_number']}{box}, {row['postcode']} {row['municipality']}",
                    "street": row["street"], "lat": float(row["lat"]), "lon": float(row["lon"])})
    return out


def _on_segment(x, y, a, b):
    (x1, y1), (x2, y2) = a, b
    cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)
    return abs(cross) < 1e-12 and min(x1, x2) - 1e-12 <= x <= max(x1, x2) + 1e-12 and min(y1, y2) - 1e-12 <= y <= max(y1, y2) + 1e-12


def district_of(lat: float, lon: float) -> str | None:
    """The first district of the config whose area holds the point (even-odd over every ring, an edge inside)."""
    for d in OSTEND["districts"]:
        area = d.get("area")
        if not area:
            continue
        polygons = [area["coordinates"]] if area["type"] == "Polygon" else area["coordinates"]
        inside = False
        for rings in polygons:
            for ring in rings:
                for a, b in zip(ring, ring[1:]):
                    if _on_segment(lon, lat, a, b):
                        return d["key"]
                    (x1, y1), (x2, y2) = a, b
                    if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                        inside = not inside
        if inside:
            return d["key"]
    return None


def rect_centre(key):
    [d] = [d for d in OSTEND["districts"] if d["key"] == key]
    ring = d["area"]["coordinates"][0]
    return (min(p[1] for p in ring) + max(p[1] for p in ring)) / 2, (min(p[0] for p in ring) + max(p[0] for p in ring)) / 2


@pytest.fixture
def mapped(tmp_path):
    """The service with a map: tiles from the test's own server on loopback."""
    with TileServer() as tiles:
        s = Service(tmp_path, extra_config={"map": {"tile_url": tiles.url,
                                                      "attribution": "© Testkaart"}})
        s.coordinator = s.token("coordinator", "coordinator-place")
        s.start()
        try:
            yield s, tiles
        finally:
            s.stop()


def api_get(service, path, token):
    r = requests.get(service.base + path, headers={"Authorization": "Bearer " + token}, timeout=10)
    assert r.status_code == 200, (r.status_code, r.text)
    return r.json()


def pick_suggestion(driver, want=None):
    """Touches the suggestion whose address is `want` (else the first); returns (every address shown, the one chosen).
    The list is read and touched in one go, retried while typing still replaces it."""
    def attempt(d):
        buttons = d.find_elements(By.CSS_SELECTOR, "#address-suggestions .suggestion")
        shown = [b.find_element(By.CLASS_NAME, "suggestion__address").text for b in buttons]
        if not shown or (want and want not in shown):
            return None
        i = shown.index(want) if want else 0
        assert buttons[i].size["height"] >= 44
        buttons[i].click()
        return shown, shown[i]
    shown, chosen = wait_for(driver, attempt, 10, f"the suggestion {want or ''}")
    wait_for(driver, lambda d: d.find_elements(By.ID, "place-chosen"), 10, "the chosen address")
    return shown, chosen


def tile_of(lat, lon, zoom):
    """"x/y" of the Web Mercator tile holding a point (the slippy-map formula Leaflet uses)."""
    n = 2 ** zoom
    phi = math.radians(lat)
    return f"{int((lon + 180) / 360 * n)}/{int((1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi) / 2 * n)}"


def pin_text(driver):
    return css(driver, "#place-chosen-text").text


# -- the website on a phone: a pin and a photo -------------------------------------------------
def test_a_citizen_on_a_phone_reports_with_a_pin_and_a_photo(mapped):
    service, tiles = mapped
    config = requests.get(service.base + "/api/v1/config", timeout=10).json()
    assert config["map"]["tile_url"].startswith(f"http://127.0.0.1:{tiles.port}/")
    driver = make_driver(390, 844)
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
        driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
        gps_lat, gps_lon = rect_centre("stene")
        driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": service.base, "permissions": ["geolocation"]})
        driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": gps_lat, "longitude": gps_lon, "accuracy": 10})
        audit = Audit(driver, targets=True, minimum=44)
        main, sub = pick_category(config)
        driver.get(service.base + "/")
        wait_screen(driver, "start")
        description = unique("Losliggende tegel op de stoep")
        walk_to_location(driver, config, kind="report", main=main, sub=sub, description=description)
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#map .leaflet-tile-loaded"), 15, "map tiles")
        assert tiles.paths, "no tile was asked of the configured tile server"
        # Without a point the map opens at zoom 14 on the config's centre: the tile that holds it was asked.
        centre = config["map"]["center"]
        assert f"/14/{tile_of(centre['lat'], centre['lon'], 14)}.png" in tiles.paths, tiles.paths[:8]
        audit("location with the map")
        # "Gebruik mijn locatie": the phone's position becomes the pin.
        click(driver, "[data-action=gps]")
        wait_for(driver, lambda d: d.find_elements(By.ID, "place-chosen-text"), 10, "the place from the phone's position")
        assert f"{gps_lat:.5f}" in pin_text(driver) and f"{gps_lon:.5f}" in pin_text(driver)
        assert not driver.find_elements(By.CSS_SELECTOR, "input[name=district]"), "a point needs no district tiles"
        # A touch on the map moves the pin there.
        before = pin_text(driver)
        the_map = css(driver, "#map")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", the_map)
        ActionChains(driver).move_to_element_with_offset(the_map, 40, -30).click().perform()
        wait_for(driver, lambda d: pin_text(d) != before, 10, "the pin moved by a touch on the map")
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#map .leaflet-marker-icon"), 10, "the marker")
        audit("location with a pin")
        answers = json.loads(driver.execute_script("return sessionStorage.getItem('opunt.form')"))["answers"]
        lat, lon = answers["lat"], answers["lon"]
        assert (lat, lon) != (gps_lat, gps_lon)
        assert abs(lat - gps_lat) < 0.002 and abs(lon - gps_lon) < 0.003  # near the phone's position, at street zoom
        continue_(driver)
        # Photos: the fixture, and the consent to show them.
        wait_screen(driver, "photos")
        assert css(driver, "#f-photos").get_attribute("accept") == "image/jpeg,image/png"
        assert css(driver, "#f-camera").get_attribute("capture") == "environment"  # a phone offers its camera
        css(driver, "#f-photos").send_keys(str(PHOTO))
        wait_for(driver, lambda d: "wide.jpg" in css(d, "#photo-list").text, 10, "the chosen photo listed")
        click(driver, "label[for=f-photos-public]")
        assert css(driver, "#f-photos-public").is_selected()
        audit("photos")
        continue_(driver)
        wait_screen(driver, "experience")
        continue_(driver)
        wait_screen(driver, "contact")
        continue_(driver)
        wait_screen(driver, "check")
        assert "wide.jpg" in css(driver, ".summary").text
        audit("check")
        reference = submit_and_wait_done(driver, timeout=30)
        wait_for(driver, lambda d: d.find_elements(By.ID, "done-photos"), 10, "what became of the photos")
        assert "1" in css(driver, "#done-photos").text
        audit("done")
        # Through the API: the point, its district (computed here from the config's areas), the photo.
        signal = api_get(service, f"/api/v1/signals/{reference}", service.coordinator)
        assert signal["description"] == description and signal["channel"] == "web"
        assert abs(signal["lat"] - lat) < 1e-9 and abs(signal["lon"] - lon) < 1e-9
        expected = district_of(lat, lon)
        assert expected is not None and signal["district"] == expected
        name = next(d["name"] for d in OSTEND["districts"] if d["key"] == expected)
        assert (name if isinstance(name, str) else name["nl"]) in css(driver, "#done-place").text  # the pin's district, from the service
        assert signal["photos_public"] is True
        photos = api_get(service, f"/api/v1/signals/{reference}/photos", service.coordinator)["items"]
        assert len(photos) == 1 and photos[0]["media_type"] == "image/jpeg"
        assert (photos[0]["width"], photos[0]["height"]) == (80, 30)
        audit.check()
    finally:
        driver.quit()


def test_without_a_tile_url_the_website_works_by_address(backend, config):
    """The bundled config has no map: no Leaflet is loaded; a chosen suggestion places the signal."""
    driver = make_driver(1280, 1000)
    try:
        audit = Audit(driver, targets=True, minimum=44)
        assert config["map"] is None
        main, sub = pick_category(config)
        driver.get(backend.base + "/")
        wait_screen(driver, "start")
        walk_to_location(driver, config, kind="suggestion", main=main, sub=sub, description=unique("Meer fietsenstallingen"))
        typed = "wapen"  # the sample's Wapenplein
        css(driver, "#f-address").send_keys(typed)
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#address-suggestions .suggestion"), 10, "suggestions")
        audit("suggestions")
        assert not driver.find_elements(By.ID, "map")
        assert not driver.execute_script("return typeof window.L !== 'undefined'")
        shown, chosen = pick_suggestion(driver)
        matching = [r["address"] for r in sample_addresses() if fold(r["street"]).startswith(typed)]
        assert matching
        assert set(shown) <= set(matching) and len(shown) == min(len(matching), OSTEND["addresses"]["suggestions"])
        audit("chosen address")
        assert css(driver, "#f-address").get_attribute("value") == chosen
        continue_(driver)
        wait_for(driver, lambda d: screen(d) not in (None, "location"), 10, "next screen")
        while screen(driver) != "check":
            current = screen(driver)
            continue_(driver)
            wait_for(driver, lambda d, c=current: screen(d) != c, 10, "next screen")
        reference = submit_and_wait_done(driver)
        signal = get_signal(backend, reference)
        [row] = [r for r in sample_addresses() if r["address"] == chosen]
        assert signal["address"] == chosen
        assert abs(signal["lat"] - row["lat"]) < 1e-6 and abs(signal["lon"] - row["lon"]) < 1e-6
        assert signal["district"] == district_of(row["lat"], row["lon"])
        audit.check()
    finally:
        driver.quit()


# -- already reported nearby -------------------------------------------------------------------
def test_dit_is_hetzelfde_stores_same_as(backend, config):
    main, sub = pick_category(config)
    category = f"{main}/{sub}" if sub else main
    rows = [r for r in sample_addresses() if r["street"] == "Kapellestraat"]
    near, here = rows[0], rows[1]
    earlier = requests.post(backend.base + "/api/v1/signals", timeout=10, json={
        "kind": "report", "category": category, "description": unique("Kapotte straatlamp"),
        "lat": near["lat"], "lon": near["lon"], "contact": {"email": "eerdere.melder@example.be", "language": "nl"}})
    assert earlier.status_code == 201, earlier.text
    ref = earlier.json()["reference"]
    driver = make_driver(1280, 1000)
    try:
        audit = Audit(driver, targets=True, minimum=44)
        driver.get(backend.base + "/")
        wait_screen(driver, "start")
        walk_to_location(driver, config, kind="report", main=main, sub=sub, description=unique("De straatlamp brandt niet"))
        css(driver, "#f-address").send_keys(here["address"].split(",")[0])
        pick_suggestion(driver, here["address"])
        continue_(driver)
        wait_screen(driver, "nearby")
        items = driver.find_elements(By.CSS_SELECTOR, ".nearby__item")
        assert ref in [i.get_attribute("data-reference") for i in items]
        assert "eerdere.melder" not in driver.page_source  # no personal data of the earlier reporter
        audit("nearby")
        click(driver, f"[data-action=same][data-ref='{ref}']")
        wait_screen(driver, "photos")
        while screen(driver) != "check":
            current = screen(driver)
            continue_(driver)
            wait_for(driver, lambda d, c=current: screen(d) != c, 10, "next screen")
        assert ref in css(driver, ".summary").text
        audit("check")
        reference = submit_and_wait_done(driver)
        signal = get_signal(backend, reference)
        assert signal["same_as"] == ref
        assert abs(signal["lat"] - here["lat"]) < 1e-6 and abs(signal["lon"] - here["lon"]) < 1e-6
        nearby = requests.get(backend.base + "/api/v1/signals/nearby", params={"category": category, "lat": near["lat"], "lon": near["lon"]}, timeout=10).json()
        assert next(i for i in nearby["items"] if i["reference"] == ref)["same_count"] >= 1
        audit.check()
    finally:
        driver.quit()


# -- the kiosk: three letters on the on-screen keyboard ------------------------------------------------
def test_a_kiosk_citizen_finds_an_address_by_typing_three_letters(driver, backend, config):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1080, "height": 1920, "deviceScaleFactor": 1, "mobile": False})
    audit = Audit(driver, **KIOSK)
    enroll(driver, backend)
    open_kiosk(driver, backend.base)
    main, sub = pick_category(config)
    click(driver, "[data-action=fast]")
    wait_screen(driver, "quick")
    choose(driver, "quick", f"{main}/{sub}" if sub else main)
    continue_(driver)
    wait_screen(driver, "location")
    click(driver, "#f-address")
    wait_for(driver, lambda d: css(d, "#keyboard").is_displayed(), 5, "the on-screen keyboard")
    letters = "kap"
    for ch in letters:
        css(driver, f"#keyboard [data-key=\"{ch}\"]").click()
    assert css(driver, "#f-address").get_attribute("value").lower() == letters
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#address-suggestions .suggestion"), 10, "suggestions")
    heights = driver.execute_script("return [...document.querySelectorAll('#address-suggestions .suggestion')].map(b => b.getBoundingClientRect().height)")
    assert heights and min(heights) >= 64, heights
    audit("kiosk suggestions")
    shown, chosen = pick_suggestion(driver)
    matching = [r["address"] for r in sample_addresses() if fold(r["street"]).startswith(letters)]
    assert matching and set(shown) <= set(matching) and len(shown) == min(len(matching), OSTEND["addresses"]["suggestions"])
    assert not driver.find_elements(By.CSS_SELECTOR, "input[name=district]")
    audit("kiosk chosen address")
    continue_(driver)
    wait_for(driver, lambda d: screen(d) in ("nearby", "description"), 10, "after the place")
    if screen(driver) == "nearby":
        audit("kiosk nearby")
        continue_(driver)
        wait_screen(driver, "description")
    fill(driver, "f-description", unique("Zwerfvuil op de stoep"))
    click(driver, "[data-action=submit]")
    wait_screen(driver, "done", 20)
    reference = css(driver, "#reference").text.strip()
    signal = get_signal(backend, reference)
    [row] = [r for r in sample_addresses() if r["address"] == chosen]
    assert signal["channel"] == "kiosk" and signal["address"] == chosen
    assert abs(signal["lat"] - row["lat"]) < 1e-6 and abs(signal["lon"] - row["lon"]) < 1e-6
    assert signal["district"] == district_of(row["lat"], row["lon"])
    audit.check()


# -- photos that cannot be taken: told in the citizen's language, the signal stored all the same -------------
def test_a_refused_photo_is_explained_and_the_signal_is_kept(backend, config, tmp_path):
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    renamed = tmp_path / "scan.jpg"   # a PDF named .jpg: the browser calls it image/jpeg, the service looks at its bytes
    renamed.write_bytes(pdf)
    document = tmp_path / "brief.pdf"  # refused by the form itself
    document.write_bytes(pdf)
    texts = json.loads((ROOT / "Static" / "assets" / "i18n" / "web" / "en.json").read_text(encoding="utf8"))
    driver = make_driver(1280, 1000)
    try:
        audit = Audit(driver, targets=True, minimum=44)
        main, sub = pick_category(config)
        driver.get(backend.base + "/?lang=en")
        wait_screen(driver, "start")
        description = unique("Graffiti on the wall")
        walk_to_location(driver, config, kind="report", main=main, sub=sub, description=description)
        continue_(driver)
        wait_screen(driver, "photos")
        css(driver, "#f-photos").send_keys(f"{document}\n{renamed}")
        wait_for(driver, lambda d: d.find_elements(By.ID, "photo-problems"), 10, "the refusal")
        assert css(driver, "#photo-problems").text == texts["photos.error.type"].replace("{name}", "brief.pdf")
        assert "scan.jpg" in css(driver, "#photo-list").text and "brief.pdf" not in css(driver, "#photo-list").text
        audit("photos with a refusal")
        while screen(driver) != "check":
            current = screen(driver)
            continue_(driver)
            wait_for(driver, lambda d, c=current: screen(d) != c, 10, "next screen")
        reference = submit_and_wait_done(driver, timeout=30)
        wait_for(driver, lambda d: d.find_elements(By.ID, "done-photos"), 10, "what became of the photos")
        told = css(driver, "#done-photos").text
        assert texts["done.photos.failed"] in told and texts["photos.error.type"].replace("{name}", "scan.jpg") in told, told
        audit("done with a refused photo")
        signal = get_signal(backend, reference)
        assert signal["description"] == description
        status, photos = backend.api("GET", f"/api/v1/signals/{reference}/photos", token=backend.tokens["coordinator"])
        assert status == 200 and photos["items"] == []
        audit.check()
    finally:
        driver.quit()
