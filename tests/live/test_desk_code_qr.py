"""The kiosk's help slip carries the desk code as a QR code, GET /kiosk/desk-code/{code}/qr.svg
(docs/interface.md §10): no token, no look-up, only six characters of the drafts' alphabet, and
the per-address limit of the status routes."""

from __future__ import annotations


import pytest
import requests

from harness import Service, auth, decode_qr, problem

DRAFT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


@pytest.fixture
def limited(tmp_path):
    s = Service(tmp_path, extra_config={"limits": {"public_per_minute": 0, "status_per_minute": 20}})
    s.start()
    yield s
    s.stop()


def test_the_desk_code_qr_decodes_to_the_code_and_needs_no_token(limited, tmp_path):
    kiosk = limited.token("kiosk", "kiosk qr", "stadhuis")
    r = requests.post(limited.url("/api/v1/drafts"), json={"answers": {"description": "Hulp nodig"}, "language": "nl"},
                      headers=auth(kiosk), timeout=10)
    assert r.status_code == 201, r.text
    code = r.json()["code"]
    got = requests.get(limited.url(f"/kiosk/desk-code/{code}/qr.svg"), timeout=10)
    assert got.status_code == 200, got.text
    assert got.headers["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert got.headers["Cache-Control"] == "no-store"
    assert decode_qr(got.content, tmp_path) == code
    # Typed in lower case: the same image.
    assert requests.get(limited.url(f"/kiosk/desk-code/{code.lower()}/qr.svg"), timeout=10).content == got.content
    # No look-up: a well-formed code no draft has gets its image too, so the route tells nothing.
    other = next(c * 6 for c in DRAFT_ALPHABET if c * 6 != code)
    unknown = requests.get(limited.url(f"/kiosk/desk-code/{other}/qr.svg"), timeout=10)
    assert unknown.status_code == 200 and decode_qr(unknown.content, tmp_path) == other


def test_anything_but_a_desk_code_gets_404_and_guessing_gets_429(limited):
    bad = ["ABC", "ABCDEFG", "ABCDE0", "ABCDEI", "ABCDEO", "ÄBCDEF", "%00BCDEF", "AB%2FDEF", "A" * 2_000]
    answers = [requests.get(limited.url(f"/kiosk/desk-code/{b}/qr.svg"), timeout=10) for b in bad]
    for b, a in zip(bad, answers):
        assert a.status_code in (404, 414), (b[:20], a.status_code)
        assert a.headers["Content-Type"].startswith("application/problem+json"), (b[:20], a.headers["Content-Type"])
        assert problem(a)["status"] == a.status_code
    # The budget (20 a minute here) runs out: 429 with Retry-After, never a 5xx.
    # (One kept-alive connection: the service also limits how many connections one address opens.)
    with requests.Session() as session:
        statuses = [session.get(limited.url("/kiosk/desk-code/ABCDEF/qr.svg"), timeout=10) for _ in range(25)]
    codes = [s.status_code for s in statuses]
    assert set(codes) <= {200, 429} and 429 in codes, codes
    assert next(s for s in statuses if s.status_code == 429).headers.get("Retry-After")
