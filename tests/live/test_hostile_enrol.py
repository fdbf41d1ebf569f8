"""Issue 9: kiosk enrolment with a one-time code, cross-site posts, the first admin token.

Items 10, 11 and 14 replayed against the real binary: a kiosk token never travels in a URL
(a code typed on the device is exchanged once), another site's page cannot file signals
through its visitors' browsers, and the first admin token does not go to standard output.
"""

from __future__ import annotations

import json
import re
import sqlite3
import stat
import threading

import pytest
import requests

from harness import SIGNAL, Service, auth, cli, probe, problem

CODE = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}$")
UNKNOWN = "This enrolment code is unknown, expired or already used. Make a new one with 'kiosk-backend kiosk enrol-code'."


def enrol_code(service: Service, site: str = "stadhuis", name: str = "kiosk hal 1") -> str:
    out = cli("kiosk", "enrol-code", "--site", site, "--name", name, "--db", str(service.db), "--config", str(service.config))
    lines = out.stdout.splitlines()
    assert len(lines) == 1, out.stdout
    return lines[0]


def exchange(service: Service, code: str, **headers) -> requests.Response:
    return requests.post(service.url("/api/v1/kiosk/enrolment"), json={"code": code}, headers=headers, timeout=10)


def rows(service: Service, sql: str) -> list:
    with sqlite3.connect(service.db) as db:
        return db.execute(sql).fetchall()


def kiosk_tokens(service: Service) -> int:
    return rows(service, "SELECT COUNT(*) FROM token WHERE role = 'kiosk'")[0][0]


def signal_count(service: Service) -> int:
    return rows(service, "SELECT COUNT(*) FROM signal")[0][0]


# -- item 10: enrolment --------------------------------------------------------------------

def test_a_code_is_exchanged_once_for_a_kiosk_token_bound_to_its_site(service):
    code = enrol_code(service)
    assert len(code) <= 10 and CODE.match(code), code
    # Only a hash is kept: the code is nowhere in the database.
    assert code.replace("-", "") not in json.dumps(rows(service, "SELECT * FROM enrolment_code"))

    r = exchange(service, code.lower().replace("-", " "))  # typed loosely on a touchscreen
    assert r.status_code == 200, r.text
    assert r.headers["Cache-Control"] == "no-store"
    granted = r.json()
    assert set(granted) == {"token", "site"} and granted["site"] == "stadhuis"
    token = granted["token"]

    session = requests.get(service.url("/api/v1/session"), headers=auth(token), timeout=5).json()
    assert session["role"] == "kiosk" and session["site"] == "stadhuis" and session["name"] == "kiosk hal 1"
    filed = requests.post(service.url("/api/v1/signals"), json=SIGNAL, headers=auth(token), timeout=5)
    assert filed.status_code == 201, filed.text
    assert filed.json()["channel"] == "kiosk" and filed.json()["site"] == "stadhuis"
    elsewhere = requests.post(service.url("/api/v1/signals"), json={**SIGNAL, "site": "edith-cavell"}, headers=auth(token), timeout=5)
    assert elsewhere.status_code == 403
    assert signal_count(service) == 1

    # The same code again: the same 404 as a code that never existed.
    again = exchange(service, code)
    assert again.status_code == 404 and problem(again)["detail"] == UNKNOWN
    never = exchange(service, "ABCD-EFGH")
    assert never.status_code == 404 and problem(never)["detail"] == UNKNOWN
    assert kiosk_tokens(service) == 1

    # A normal kiosk token: listed, and revocable.
    listed = json.loads(cli("token", "list", "--json", "--db", str(service.db)).stdout)
    assert [(t["site"], t["name"]) for t in listed if t["role"] == "kiosk"] == [("stadhuis", "kiosk hal 1")]
    cli("token", "revoke", "kiosk hal 1", "--db", str(service.db))
    assert requests.get(service.url("/api/v1/session"), headers=auth(token), timeout=5).status_code == 401


def test_two_concurrent_exchanges_of_one_code_yield_exactly_one_token(service):
    for round_ in range(2):
        code = enrol_code(service, name=f"kiosk race {round_}")
        barrier = threading.Barrier(5)
        results: list[requests.Response] = []
        lock = threading.Lock()

        def go():
            barrier.wait()
            r = exchange(service, code)
            with lock:
                results.append(r)

        threads = [threading.Thread(target=go) for _ in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sorted(r.status_code for r in results) == [200] + [404] * 4
    assert kiosk_tokens(service) == 2


def test_the_cli_refuses_an_unknown_site_and_an_empty_name(service):
    out = cli("kiosk", "enrol-code", "--site", "atlantis", "--name", "k", "--db", str(service.db), "--config", str(service.config), check=False)
    assert out.returncode != 0 and "unknown site 'atlantis' (known: stadhuis, edith-cavell)" in out.stderr and out.stdout == ""
    out = cli("kiosk", "enrol-code", "--site", "stadhuis", "--name", " ", "--db", str(service.db), "--config", str(service.config), check=False)
    assert out.returncode != 0 and "--name must not be empty" in out.stderr and out.stdout == ""
    assert rows(service, "SELECT COUNT(*) FROM enrolment_code")[0][0] == 0


def test_guessing_codes_is_rate_limited_per_address_while_others_are_served(service):
    code = enrol_code(service)
    statuses = []
    for i in range(14):
        r = exchange(service, f"{i:0>4}-ZZZZ".replace("0", "A").replace("1", "B"))
        statuses.append(r.status_code)
        if r.status_code == 429:
            assert int(r.headers["Retry-After"]) >= 1
            assert problem(r)["title"] == "Too many requests"
    assert statuses[:10] == [404] * 10 and statuses[10:] == [429] * 4, statuses
    # Past the limit even the right code is refused, and it is not used up by that.
    assert exchange(service, code).status_code == 429
    assert kiosk_tokens(service) == 0
    assert rows(service, "SELECT used_at FROM enrolment_code") == [(None,)]
    # Another address is still answered.
    assert probe(service, "/healthz", source="127.0.0.2") == 200
    assert probe(service, "/api/v1/config", source="127.0.0.2") == 200


# -- item 11: cross-site posts --------------------------------------------------------------

@pytest.fixture
def public(tmp_path):
    s = Service(tmp_path, extra_config={"limits": {"max_body_bytes": 1048576, "public_per_minute": 0},
                                        "public_url": "https://meldingen.oostende.be",
                                        "cors_origins": ["https://www.oostende.be"]})
    s.start()
    yield s
    if s.proc is not None:
        s.stop()


@pytest.mark.parametrize("content_type", ["text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None])
def test_a_json_endpoint_refuses_other_media_types_with_415(public, content_type):
    headers = {"Origin": public.base}
    if content_type:
        headers["Content-Type"] = content_type
    r = requests.post(public.url("/api/v1/signals"), data=json.dumps(SIGNAL).encode(), headers=headers, timeout=5)
    assert r.status_code == 415, r.text
    assert "application/json" in problem(r)["detail"]
    code = enrol_code(public)
    r = requests.post(public.url("/api/v1/kiosk/enrolment"), data=json.dumps({"code": code}).encode(), headers=headers, timeout=5)
    assert r.status_code == 415
    assert signal_count(public) == 0 and kiosk_tokens(public) == 0
    # A staff JSON endpoint too (with a token: the same media type rule).
    kiosk = public.token("kiosk", "kiosk 1", "stadhuis")
    r = requests.post(public.url("/api/v1/drafts"), data=b'{"answers": {}}', headers={**headers, **auth(kiosk)}, timeout=5)
    assert r.status_code == 415


@pytest.mark.parametrize("origin, host", [
    ("https://evil.example", None),
    ("null", None),  # a sandboxed frame or a file
    ("https://meldingen.oostende.be.evil.example", None),
    ("http://www.oostende.be", None),  # the configured origin is https
    ("http://evil.example:{port}", "evil.example:{port}"),  # DNS rebinding: Host and Origin agree, on a name
])
def test_a_token_less_post_from_another_site_is_refused_with_403(public, origin, host):
    headers = {"Origin": origin.format(port=public.port)}
    if host:
        headers["Host"] = host.format(port=public.port)
    r = requests.post(public.url("/api/v1/signals"), json=SIGNAL, headers=headers, timeout=5)
    assert r.status_code == 403, r.text
    assert "another site" in problem(r)["detail"]
    code = enrol_code(public)
    assert exchange(public, code, **headers).status_code == 403
    assert signal_count(public) == 0 and kiosk_tokens(public) == 0
    # The code was not used up by the refused request.
    assert exchange(public, code).status_code == 200
    assert probe(public, "/healthz") == 200


@pytest.mark.parametrize("origin", [
    "{base}",  # the page the service served itself (the address it listens on)
    "http://localhost:{port}",
    "https://meldingen.oostende.be",  # public_url
    "https://MELDINGEN.oostende.be:443",
    "https://www.oostende.be",  # cors_origins
    None,  # curl, a server: no Origin at all
])
def test_a_post_from_the_services_own_origins_or_without_origin_is_taken(public, origin):
    headers = {}
    if origin:
        headers["Origin"] = origin.format(base=public.base, port=public.port)
        if "localhost" in origin:
            headers["Host"] = f"localhost:{public.port}"
    r = requests.post(public.url("/api/v1/signals"), json=SIGNAL, headers=headers, timeout=5)
    assert r.status_code == 201, r.text
    assert signal_count(public) == 1


def test_origin_is_not_checked_for_requests_with_a_token_or_for_reads(public):
    # A page elsewhere cannot send a bearer token without a CORS preflight the service refuses.
    kiosk = public.token("kiosk", "kiosk 1", "stadhuis")
    r = requests.post(public.url("/api/v1/signals"), json=SIGNAL, headers={"Origin": "https://evil.example", **auth(kiosk)}, timeout=5)
    assert r.status_code == 201
    assert requests.get(public.url("/api/v1/config"), headers={"Origin": "https://evil.example"}, timeout=5).status_code == 200


# -- item 14: the first admin token --------------------------------------------------------

def test_the_first_admin_token_goes_to_an_owner_only_file_not_to_stdout(tmp_path):
    s = Service(tmp_path)
    s.start()
    try:
        path = tmp_path / "first-admin-token"
        assert path.exists()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        token = path.read_text().strip()
        assert token.startswith("kb_") and len(token) > 40
        assert requests.get(s.url("/api/v1/session"), headers=auth(token), timeout=5).json()["role"] == "admin"
        out = s.stdout.read_text()
        assert "First start: an admin token was created and written to" in out and str(path) in out
        # Standard output is not a terminal here (it is a file, as under a service manager).
        assert token not in out and "kb_" not in out
        assert token not in s.stderr.read_text()
    finally:
        s.stop()
    # A second start makes no new token and leaves the file alone.
    s.start()
    try:
        assert s.stdout.read_text().count("First start") == 1
        assert (tmp_path / "first-admin-token").read_text().strip() == token
    finally:
        s.stop()
