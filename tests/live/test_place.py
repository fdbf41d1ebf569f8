"""Issue 12 (docs/interface.md §14): addresses, districts from coordinates, nearby signals and
photos, against the real service on loopback with a real SQLite file."""

from __future__ import annotations

import base64
import json
import math
import sqlite3
import struct
import unicodedata
from pathlib import Path

import pytest
import requests

from harness import CONFIG, ROOT, SIGNAL, Service, auth, cli, problem

FIXTURES = ROOT / "tests" / "fixtures" / "photos"
OSTEND = json.loads(CONFIG.read_text())


def create(service, body=None, token=None, **extra):
    r = requests.post(service.url("/api/v1/signals"), json={**(body or SIGNAL), **extra}, headers=auth(token))
    return r


# ---------------------------------------------------------------- districts from coordinates

def inside_rect(key):
    """A point computed from the bundled config's own rectangle for `key`: its centre."""
    [d] = [d for d in OSTEND["districts"] if d["key"] == key]
    ring = d["area"]["coordinates"][0]
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2, ring


def test_a_point_chooses_its_district_and_wins_over_a_given_one(service):
    lat, lon, _ = inside_rect("stene")
    r = create(service, lat=lat, lon=lon, district="centrum")
    assert r.status_code == 201, r.text
    assert r.json()["district"] == "stene"
    # Without coordinates the given district stays.
    r = create(service)
    assert r.status_code == 201 and r.json()["district"] == "centrum"


def test_a_point_on_an_edge_counts_as_inside(service):
    _, _, ring = inside_rect("raversijde")
    # The middle of Raversijde's west edge: no other district lies there.
    (lon0, lat0), (lon1, lat1) = ring[3], ring[0]
    assert lon0 == lon1
    r = create(service, lat=(lat0 + lat1) / 2, lon=lon0)
    assert r.status_code == 201, r.text
    assert r.json()["district"] == "raversijde"


def test_a_point_outside_the_city_is_422(service):
    r = create(service, lat=50.8467, lon=4.3525)  # Brussels, Grote Markt
    assert r.status_code == 422
    p = problem(r)
    assert p["errors"] == [{"field": "lat", "message":
                            "the point (50.8467, 4.3525) lies outside every district of Oostende; check the pin or the address"}]


def test_without_areas_coordinates_do_not_place(tmp_path):
    data = json.loads(CONFIG.read_text())
    for d in data["districts"]:
        d.pop("area")
    path = tmp_path / "noareas.json"
    data["addresses"]["file"] = str(CONFIG.parent / data["addresses"]["file"])
    path.write_text(json.dumps(data))
    s = Service(tmp_path, config=path, extra_config={"limits": {"public_per_minute": 0}})
    s.start()
    try:
        r = create(s, lat=50.8467, lon=4.3525)
        assert r.status_code == 201 and r.json()["district"] == "centrum"
    finally:
        s.stop()


def test_a_broken_area_stops_start_up_naming_the_ring(tmp_path):
    data = json.loads(CONFIG.read_text())
    data["districts"][0]["area"]["coordinates"][0].pop()  # no longer closed
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data))
    out = cli("serve", "--config", str(path), "--db", str(tmp_path / "x.sqlite"), "--port", "0", check=False)
    assert out.returncode == 78
    assert "districts[0].area.coordinates[0]: a ring must be closed: its last position must repeat its first" in out.stderr


# ---------------------------------------------------------------- addresses

def fold(s):
    return "".join(c for c in unicodedata.normalize("NFD", s.lower()) if not unicodedata.combining(c))


def suggest(service, q, **kw):
    r = requests.get(service.url("/api/v1/addresses"), params={"q": q}, **kw)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_the_bundled_sample_answers_suggestions_tolerant_of_case_accents_and_abbreviations(service):
    sample = [l for l in (CONFIG.parent / "ostend-addresses-sample.csv").read_text().splitlines()
              if l and not l.startswith("#")][1:]
    kapelle = [l.split(",") for l in sample if l.startswith("Kapellestraat,")]
    expected = sorted(int(row[1]) for row in kapelle if row[1].startswith("1"))[:10]
    for q in ["Kapellestraat 1", "KAPELLESTR. 1", "kapellestr 1", "Kapéllestraat 1"]:
        items = suggest(service, q)
        assert [int(i["house_number"]) for i in items] == expected, q
        assert all(i["street"] == "Kapellestraat" for i in items)
    first = suggest(service, "kapellestraat 1")[0]
    [row] = [r for r in kapelle if r[1] == first["house_number"]]
    assert (first["lat"], first["lon"]) == (float(row[5]), float(row[6]))
    assert first["address"] == f"Kapellestraat {row[1]}, 8400 Oostende"
    assert first["district"] == "centrum"
    torhout = suggest(service, "Torhoutsestwg 3")
    assert {i["street"] for i in torhout} == {"Torhoutsesteenweg"} and torhout[0]["house_number"] == "3"
    assert suggest(service, "k") == []  # one letter lists nothing
    assert suggest(service, "Bestaatnietstraat") == []


def test_suggestions_are_bounded(service):
    r = requests.get(service.url("/api/v1/addresses"), params={"q": "a" * 201})
    assert r.status_code == 422
    assert problem(r)["errors"] == [{"field": "q", "message": "must be at most 200 bytes"}]
    assert len(suggest(service, "st")) <= 10


CSV_HEADER = "street,house_number,box,postcode,municipality,lat,lon,district\n"


def import_file(service, path, fmt=None):
    args = ["addresses", "import", str(path), "--db", str(service.db), "--config", str(service.config)]
    if fmt:
        args += ["--format", fmt]
    return cli(*args, check=False)


def test_import_csv_replaces_and_bad_rows_import_nothing(service, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(CSV_HEADER + "Rögierlaan,5,2,8400,Oostende,51.2250,2.9180,\n"
                    "\"Straat, met komma\",7,,8400,Oostende,51.2100,2.8800,stene\n")
    out = import_file(service, good)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"Imported 2 addresses from {good}."
    [a] = suggest(service, "rogierlaan")
    assert a["address"] == "Rögierlaan 5 bus 2, 8400 Oostende" and a["district"] == "centrum"
    assert suggest(service, "kapellestraat") == []  # the sample was replaced
    [b] = suggest(service, "straat met komma 7")
    assert b["district"] == "stene"

    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_HEADER + "Vrijhavenstraat,1,,8400,Oostende,51.23,2.93,\n"
                   "Vrijhavenstraat,2,,8400,Oostende,95,2.93,\n"
                   "Vrijhavenstraat,3,,8400,Oostende,51.23,2.93,nergens\n"
                   + "Vrijhavenstraat," + "9" * 5000 + ",,8400,Oostende,51.23,2.93,\n"
                   "Vrijhavenstraat,5,,8400,Oostende,51.23,2.93,\n")
    out = import_file(service, bad)
    assert out.returncode == 65
    assert out.stderr.splitlines() == [
        f"Nothing was imported from {bad}:",
        "line 3: lat: must be a number from -90 to 90",
        'line 4: district: unknown district "nergens" (known: ' + ", ".join(d["key"] for d in OSTEND["districts"]) + ")",
        "line 5: longer than 4096 bytes",
    ]
    assert suggest(service, "vrijhavenstraat") == []  # not even line 2
    assert len(suggest(service, "rogierlaan")) == 1  # the previous import is intact


def test_import_the_address_register_format_in_lambert72(service, tmp_path):
    # Ostend city hall (Vindictivelaan 1) at about 51.2265 N, 2.9155 E, written as the register
    # writes it: Lambert 72 metres, computed here by PROJ, independently of the service.
    import pyproj
    t = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:31370", always_xy=True)
    x, y = t.transform(2.9155, 51.2265)
    f = tmp_path / "adressen.csv"
    f.write_text("ID;STRAATNMID;STRAATNM;HUISNR;APPTNR;BUSNR;HNRLABEL;NISCODE;GEMEENTE;POSTCODE;HERKOMST;X;Y\n"
                 f"1;100;Vindictivelaan;1;;;1;35013;Oostende;8400;manueleAanduidingVanIngang;{x:.2f};{y:.2f}\n"
                 f"2;100;Vindictivelaan;3;;A;3;35013;Oostende;8400;manueleAanduidingVanIngang;{x + 10:.2f};{y:.2f}\n")
    out = import_file(service, f, "adressenregister")
    assert out.returncode == 0, out.stderr
    items = suggest(service, "vindictiveln. 1")
    assert [i["address"] for i in items] == ["Vindictivelaan 1, 8400 Oostende"]
    a = items[0]
    metres = math.hypot((a["lat"] - 51.2265) * 111_195, (a["lon"] - 2.9155) * 111_195 * math.cos(math.radians(51.2265)))
    assert metres < 1.0, metres
    assert a["district"] == "centrum"
    assert suggest(service, "vindictivelaan 3")[0]["box"] == "A"

    bad = tmp_path / "bad-register.csv"
    bad.write_text("STRAATNM;HUISNR;POSTCODE;GEMEENTE;X;Y\nVindictivelaan;5;8400;Oostende;abc;200000\n")
    out = import_file(service, bad, "adressenregister")
    assert out.returncode == 65
    assert "line 2: X: must be a Lambert 72 easting in metres (0 to 300000)" in out.stderr
    missing = tmp_path / "noheader.csv"
    missing.write_text("STRAATNM;HUISNR\n")
    out = import_file(service, missing, "adressenregister")
    assert out.returncode == 65 and "line 1: the header lacks POSTCODE, GEMEENTE, X, Y" in out.stderr


# ---------------------------------------------------------------- nearby

def test_nearby_lists_open_signals_of_the_category_without_personal_data(service):
    lat, lon = 51.2300, 2.9200
    first = create(service, lat=lat, lon=lon, description="Zwerfvuil, bel mij op 0470 12 34 56 of jan@voorbeeld.be",
                   contact={"name": "Jan", "email": "jan@voorbeeld.be"}).json()
    create(service, lat=lat + 0.01, lon=lon)  # about 1.1 km away
    create(service, category="overlast/graffiti", lat=lat, lon=lon)  # another category
    r = requests.get(service.url("/api/v1/signals/nearby"),
                     params={"category": "overlast/zwerfvuil", "lat": lat + 0.0003, "lon": lon})
    assert r.status_code == 200, r.text
    [item] = r.json()["items"]
    assert set(item) == {"reference", "category", "description", "distance_m", "received_on", "same_count"}
    assert item["reference"] == first["reference"]
    assert item["distance_m"] == round(0.0003 * math.pi / 180 * 6_371_008.8)
    assert "jan@voorbeeld.be" not in r.text and "0470" not in r.text and "Jan" not in r.text
    assert item["same_count"] == 0

    # "Mine is the same": stored as a signal, counted, linked.
    same = create(service, lat=lat, lon=lon, same_as=first["reference"].lower())
    assert same.status_code == 201 and same.json()["same_as"] == first["reference"]
    r = requests.get(service.url("/api/v1/signals/nearby"), params={"category": "overlast/zwerfvuil", "lat": lat, "lon": lon})
    counts = {i["reference"]: i["same_count"] for i in r.json()["items"]}
    assert counts[first["reference"]] == 1
    bad = create(service, same_as="OP-ZZZZ-ZZZZ")
    assert bad.status_code == 422 and problem(bad)["errors"][0]["field"] == "same_as"


@pytest.mark.parametrize("params, field", [
    ({"lat": "51.23", "lon": "2.92"}, "category"),
    ({"category": "nope", "lat": "51.23", "lon": "2.92"}, "category"),
    ({"category": "overlast", "lat": "91", "lon": "2.92"}, "lat"),
    ({"category": "overlast", "lat": "51.23", "lon": "1e999"}, "lon"),
    ({"category": "overlast", "lat": "51.23"}, "lon"),
])
def test_nearby_refuses_bad_queries(service, params, field):
    r = requests.get(service.url("/api/v1/signals/nearby"), params=params)
    assert r.status_code == 422
    assert field in [e["field"] for e in problem(r)["errors"]]


# ---------------------------------------------------------------- photos

def exif_with_orientation_and_gps(orientation=6):
    """A minimal APP1 Exif segment (big-endian TIFF): IFD0 with Orientation and a GPS IFD pointer;
    the GPS IFD holds GPSLatitudeRef 'N' and GPSLatitude 51/1, 13/1, 48/1."""
    entries0 = [(0x0112, 3, 1, struct.pack(">HH", orientation, 0)), (0x8825, 4, 1, None)]
    ifd0_off = 8
    ifd0_size = 2 + 12 * len(entries0) + 4
    gps_off = ifd0_off + ifd0_size
    gps_entries = 2
    gps_size = 2 + 12 * gps_entries + 4
    rationals_off = gps_off + gps_size
    tiff = b"MM\x00\x2a" + struct.pack(">I", ifd0_off)
    tiff += struct.pack(">H", len(entries0))
    tiff += struct.pack(">HHI", 0x0112, 3, 1) + struct.pack(">HH", orientation, 0)
    tiff += struct.pack(">HHII", 0x8825, 4, 1, gps_off)
    tiff += struct.pack(">I", 0)
    tiff += struct.pack(">H", gps_entries)
    tiff += struct.pack(">HHI", 0x0001, 2, 2) + b"N\x00\x00\x00"
    tiff += struct.pack(">HHII", 0x0002, 5, 3, rationals_off)
    tiff += struct.pack(">I", 0)
    tiff += struct.pack(">IIIIII", 51, 1, 13, 1, 48, 1)
    payload = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_exif():
    plain = (FIXTURES / "wide.jpg").read_bytes()
    assert plain[:2] == b"\xff\xd8"
    return plain[:2] + exif_with_orientation_and_gps() + plain[2:]


def jpeg_size(data):
    """Width and height from the first SOF marker."""
    i = 2
    while i < len(data):
        assert data[i] == 0xFF
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + length
    raise AssertionError("no SOF marker")


def markers(data):
    out, i = [], 2
    while i < len(data) and data[i] == 0xFF and data[i + 1] != 0xDA:
        out.append(data[i + 1])
        i += 2 + struct.unpack(">H", data[i + 2:i + 4])[0]
    return out


def upload(service, ref, data, key=None, token=None, ctype="image/jpeg"):
    headers = {"Content-Type": ctype, **auth(token)}
    if key:
        headers["X-Status-Key"] = key
    return requests.post(service.url(f"/api/v1/signals/{ref}/photos"), data=data, headers=headers)


def test_a_jpeg_with_gps_comes_back_upright_without_metadata(service):
    coordinator = service.token("coordinator", "co")
    s = create(service).json()
    original = jpeg_with_exif()
    assert b"Exif" in original and jpeg_size(original) == (80, 30)
    r = upload(service, s["reference"], original, key=s["status_key"])
    assert r.status_code == 201, r.text
    photo = r.json()
    assert (photo["width"], photo["height"]) == (30, 80)  # orientation 6: turned a quarter clockwise
    got = requests.get(service.url(photo["url"]), headers=auth(coordinator))
    assert got.status_code == 200 and got.headers["Content-Type"] == "image/jpeg"
    assert got.headers["Cache-Control"] == "no-store"
    body = got.content
    assert jpeg_size(body) == (30, 80)
    assert 0xE1 not in markers(body) and b"Exif" not in body and b"GPS" not in body
    thumb = requests.get(service.url(photo["thumbnail_url"]), headers=auth(coordinator))
    assert thumb.status_code == 200 and jpeg_size(thumb.content) == (30, 80)  # small: not enlarged
    listed = requests.get(service.url(f"/api/v1/signals/{s['reference']}/photos"), headers=auth(coordinator)).json()
    assert [p["id"] for p in listed["items"]] == [photo["id"]]
    # On disk beside the database, named by a random id, also without metadata.
    folder = Path(str(service.db) + ".photos")
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 2 and all(s["reference"] not in f for f in files)
    assert all(b"Exif" not in (folder / f).read_bytes() for f in files)


def test_photo_limits_count_size_and_type(service):
    s = create(service).json()
    ref, key = s["reference"], s["status_key"]
    plain = (FIXTURES / "wide.jpg").read_bytes()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    r = upload(service, ref, pdf, key=key)  # a PDF renamed .jpg, sent as image/jpeg
    assert r.status_code == 415
    assert problem(r)["detail"] == "The body is not a JPEG or PNG image (its first bytes say otherwise)."
    r = upload(service, ref, plain, key=key, ctype="application/pdf")
    assert r.status_code == 415
    big = plain + b"\0" * (10 * 1024 * 1024 + 1 - len(plain))
    r = upload(service, ref, big, key=key)
    assert r.status_code == 413
    assert problem(r)["detail"] == f"The request body is larger than {10 * 1024 * 1024} bytes."
    for _ in range(3):
        assert upload(service, ref, plain, key=key).status_code == 201
    r = upload(service, ref, plain, key=key)
    assert r.status_code == 413 and problem(r)["detail"] == "A signal takes at most 3 photos."
    png = bytes.fromhex("89504e470d0a1a0a") + b"broken"
    other = create(service).json()
    r = upload(service, other["reference"], png, key=other["status_key"], ctype="image/png")
    assert r.status_code == 422


def test_photo_role_rules(service):
    desk_stadhuis = service.token("desk", "balie-stadhuis", site="stadhuis")
    desk_cavell = service.token("desk", "balie-cavell", site="edith-cavell")
    agent = service.token("agent", "agent")
    staff = service.token("staff", "veld")
    web = create(service).json()
    plain = (FIXTURES / "wide.jpg").read_bytes()
    ref = web["reference"]
    assert upload(service, ref, plain).status_code == 401
    assert upload(service, ref, plain, key="X" * len(web["status_key"])).status_code == 404
    assert upload(service, "OP-ZZZZ-ZZZZ", plain, key=web["status_key"]).status_code == 404
    assert upload(service, ref, plain, token=staff).status_code == 403
    assert upload(service, ref, plain, token=agent).status_code == 403  # not a phone signal
    photo = upload(service, ref, plain, key=web["status_key"]).json()
    for token, status in [(staff, 403), (agent, 403), (desk_cavell, 403), (None, 401)]:
        assert requests.get(service.url(photo["url"]), headers=auth(token)).status_code == status
        assert requests.get(service.url(photo["thumbnail_url"]), headers=auth(token)).status_code == status
    counter = create(service, token=desk_stadhuis, channel="counter").json()
    assert upload(service, counter["reference"], plain, token=desk_stadhuis).status_code == 201
    assert upload(service, counter["reference"], plain, token=desk_cavell).status_code == 403
    listed = requests.get(service.url(f"/api/v1/signals/{counter['reference']}/photos"), headers=auth(desk_stadhuis))
    assert listed.status_code == 200 and len(listed.json()["items"]) == 1
    phone = create(service, token=agent).json()
    assert upload(service, phone["reference"], plain, token=agent).status_code == 201
    wrong = requests.get(service.url(f"/api/v1/signals/{phone['reference']}/photos/{photo['id']}"), headers=auth(agent))
    assert wrong.status_code == 404  # a photo of another signal


def open311_media_url(service, ref):
    r = requests.get(service.url(f"/open311/v2/requests/{ref}.json"))
    assert r.status_code == 200, r.text
    return r.json()[0]["media_url"]


def test_open311_media_url_only_with_consent(service):
    plain = (FIXTURES / "wide.jpg").read_bytes()
    private = create(service).json()
    public = create(service, photos_public=True).json()
    assert public["photos_public"] is True and private["photos_public"] is False
    p1 = upload(service, private["reference"], plain, key=private["status_key"]).json()
    p2 = upload(service, public["reference"], jpeg_with_exif(), key=public["status_key"]).json()
    assert open311_media_url(service, private["reference"]) is None
    url = open311_media_url(service, public["reference"])
    assert url == service.url(f"/api/v1/photos/{p2['id']}")
    r = requests.get(url)
    assert r.status_code == 200 and b"Exif" not in r.content and jpeg_size(r.content) == (30, 80)
    assert requests.get(service.url(f"/api/v1/photos/{p1['id']}")).status_code == 404


def test_purge_export_and_backup_cover_photos(service, tmp_path):
    coordinator = service.token("coordinator", "co")
    plain = (FIXTURES / "wide.jpg").read_bytes()
    s = create(service, contact={"name": "An", "email": "an@voorbeeld.be"}).json()
    photo = upload(service, s["reference"], plain, key=s["status_key"]).json()
    folder = Path(str(service.db) + ".photos")
    assert len(list(folder.iterdir())) == 2

    backup = tmp_path / "backup.sqlite"
    out = cli("backup", str(backup), "--db", str(service.db))
    assert out.stdout.strip() == f"Backed up {service.db} to {backup} and 1 photo to {backup}.photos."
    assert sorted(p.name for p in Path(str(backup) + ".photos").iterdir()) == sorted(p.name for p in folder.iterdir())

    out = cli("export-person", "--email", "an@voorbeeld.be", "--db", str(service.db))
    doc = json.loads(out.stdout)
    [exported] = doc["signals"][0]["photos"]
    assert exported["id"] == photo["id"]
    stored = requests.get(service.url(photo["url"]), headers=auth(coordinator)).content
    assert base64.b64decode(exported["data_base64"]) == stored

    # Close the signal long ago, then purge: the photo's row and files go.
    for status in ["in_progress", "answered", "closed"]:
        body = {"status": status, **({"answer": "Opgeruimd."} if status == "answered" else {})}
        r = requests.patch(service.url(f"/api/v1/signals/{s['reference']}"), json=body, headers=auth(coordinator))
        assert r.status_code == 200, r.text
    service.stop()
    with sqlite3.connect(service.db) as db:
        db.execute("UPDATE signal SET closed_at = 0 WHERE reference = ?", (s["reference"],))
    out = cli("purge", "--db", str(service.db), "--config", str(service.config))
    assert json.loads(out.stdout)["photos_deleted"] == 1
    assert list(folder.iterdir()) == []
    with sqlite3.connect(service.db) as db:
        assert db.execute("SELECT COUNT(*) FROM photo").fetchone() == (0,)


# ---------------------------------------------------------------- leaflet and config

def test_leaflet_is_served_from_debian_and_the_map_is_off_by_default(service):
    js = requests.get(service.url("/assets/leaflet/leaflet.js"))
    assert js.status_code == 200 and js.content == Path("/usr/share/javascript/leaflet/leaflet.js").read_bytes()
    assert requests.get(service.url("/assets/leaflet/leaflet.css")).status_code == 200
    assert requests.get(service.url("/assets/leaflet/../../../etc/passwd")).status_code == 404
    config = requests.get(service.url("/api/v1/config")).json()
    assert config["map"] is None
    assert config["nearby"] == {"distance_m": 100, "days": 30}
    assert config["photos"] == {"max_per_signal": 3, "max_bytes": 10 * 1024 * 1024, "media_types": ["image/jpeg", "image/png"]}


def test_a_tile_url_is_public_and_allowed_by_the_csp(tmp_path):
    s = Service(tmp_path, extra_config={"map": {"tile_url": "https://{s}.tile.example.be/{z}/{x}/{y}.png",
                                                "attribution": "© Voorbeeld"}})
    s.start()
    try:
        r = requests.get(s.url("/api/v1/config"))
        # The map opens on the middle of the box around the bundled districts' areas.
        points = [p for d in OSTEND["districts"] if d.get("area") for ring in polygons(d["area"]) for p in ring]
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        centre = {"lat": (min(lats) + max(lats)) / 2, "lon": (min(lons) + max(lons)) / 2}
        assert r.json()["map"] == {"tile_url": "https://{s}.tile.example.be/{z}/{x}/{y}.png", "attribution": "© Voorbeeld",
                                   "center": pytest.approx(centre)}
        assert "img-src 'self' data: https://*.tile.example.be;" in r.headers["Content-Security-Policy"]
    finally:
        s.stop()


def polygons(area):
    """The rings of a GeoJSON Polygon or MultiPolygon."""
    return area["coordinates"] if area["type"] == "Polygon" else [ring for poly in area["coordinates"] for ring in poly]


def test_the_map_centre_comes_from_the_config_or_is_null(tmp_path):
    tiles = {"tile_url": "https://tile.example.be/{z}/{x}/{y}.png", "attribution": "© Voorbeeld"}
    (tmp_path / "a").mkdir()
    s = Service(tmp_path / "a", extra_config={"map": {**tiles, "center": {"lat": 51.2, "lon": 2.9}}})
    s.start()
    try:
        assert requests.get(s.url("/api/v1/config")).json()["map"]["center"] == {"lat": 51.2, "lon": 2.9}
    finally:
        s.stop()
    districts = [{k: v for k, v in d.items() if k != "area"} for d in OSTEND["districts"]]
    (tmp_path / "b").mkdir()
    s = Service(tmp_path / "b", extra_config={"districts": districts, "map": tiles})
    s.start()
    try:
        assert requests.get(s.url("/api/v1/config")).json()["map"]["center"] is None
    finally:
        s.stop()


@pytest.mark.parametrize("center, words", [
    ({"lat": 91, "lon": 2.9}, "map.center.lat: must be"),
    ({"lat": 51.2}, "map.center.lon: is required"),
    ({"lat": 51.2, "lon": 2.9, "zoom": 3}, "map.center.zoom"),
])
def test_a_bad_map_centre_stops_start_up(tmp_path, center, words):
    data = json.loads(CONFIG.read_text())
    data["map"] = {"tile_url": "https://tile.example.be/{z}/{x}/{y}.png", "attribution": "©", "center": center}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    out = cli("serve", "--config", str(path), "--db", str(tmp_path / "x.sqlite"), "--port", "0", check=False)
    assert out.returncode == 78 and words in out.stderr, out.stderr
