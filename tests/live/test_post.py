"""Issue 10, replies by post and the receipt's QR code, against the real binary: the postal
address is stored, shown by role, exported, purged and erased; the QR code of the status link
decodes back to the link, and guessing keys through it gets the status API's 404 and 429."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests

from harness import SIGNAL, Service, auth, cli, decode_qr, probe, problem, serve

ADDRESS = "Burgerstraat 7 bus 2\n8400 Oostende"
LETTER = {**SIGNAL, "kind": "complaint", "channel": "letter", "description": "Brief over de zwerfvuilbakken"}


def post(service, body, token=None, status=201):
    r = requests.post(service.url("/api/v1/signals"), json=body, headers=auth(token), timeout=10)
    assert r.status_code == status, r.text
    return r.json()


def get(service, ref, token):
    r = requests.get(service.url(f"/api/v1/signals/{ref}"), headers=auth(token), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def status_key(service, ref: str, created: dict) -> str:
    """The key from the 201 where the service hands it out, else from the database."""
    if created.get("status_key"):
        return created["status_key"]
    with sqlite3.connect(service.db) as db:
        return db.execute("SELECT status_key FROM signal WHERE reference = ?", (ref,)).fetchone()[0]


def test_a_desk_records_a_dated_letter_with_a_postal_address_shown_only_where_the_role_rule_allows(service):
    cavell = service.token("desk", "balie cavell", "edith-cavell")
    stadhuis = service.token("desk", "balie stadhuis", "stadhuis")
    agent = service.token("agent", "0800")
    coordinator = service.token("coordinator", "mia")
    dated = (datetime.now(timezone.utc) - timedelta(days=3)).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = {**LETTER, "received_at": dated,
            "contact": {"name": "Marie Peeters", "postal_address": "  Burgerstraat 7 bus 2 \r\n\r\n8400 Oostende\r\n", "language": "fr"}}
    created = post(service, body, cavell)
    ref = created["reference"]
    assert created["channel"] == "letter" and created["received_at"] == dated
    # Stored as lines without the form's CR LF, blank lines or spaces around them.
    for token in (cavell, coordinator):
        shown = get(service, ref, token)
        assert shown["contact"] == {"name": "Marie Peeters", "email": None, "phone": None, "language": "fr", "postal_address": ADDRESS}
    # Another site's desk and the 0800 line do not see it (docs/interface.md §3), in the signal or its history.
    for token in (stadhuis, agent):
        shown = get(service, ref, token)
        assert shown["contact"] is None and shown["personal_data_withheld"] is True
        hist = requests.get(service.url(f"/api/v1/signals/{ref}/history"), headers=auth(token), timeout=10)
        assert "Burgerstraat" not in hist.text
    listed = requests.get(service.url("/api/v1/signals"), headers=auth(stadhuis), timeout=10)
    assert listed.status_code == 200 and "Burgerstraat" not in listed.text
    with sqlite3.connect(service.db) as db:
        assert db.execute("SELECT contact_postal_address FROM signal WHERE reference = ?", (ref,)).fetchone()[0] == ADDRESS


@pytest.mark.parametrize("address, message", [
    ("Burgerstraat\t7\n8400 Oostende", "must not contain control characters other than line breaks"),
    ("\n".join(f"Regel {i}" for i in range(7)), "must be at most 6 lines (it is printed in an envelope's window)"),
    ("Burgerstraat 7\n" + "x" * 61, "line 2 must be at most 60 characters (it is printed in an envelope's window)"),
    ("x" * 301, "must be at most 300 characters"),
    ("e\u0301\u0301\u0301\u0301\u0301" * 200, "must be at most 1200 bytes"),
    (["Burgerstraat 7"], "must be a string, not an array"),
])
def test_a_postal_address_that_breaks_a_rule_is_a_422_naming_it_and_nothing_is_stored(service, address, message):
    desk = service.token("desk", "balie", "stadhuis")
    before = sqlite3.connect(service.db).execute("SELECT COUNT(*) FROM signal").fetchone()[0]
    body = problem(requests.post(service.url("/api/v1/signals"), json={**LETTER, "contact": {"postal_address": address}},
                                 headers=auth(desk), timeout=10))
    assert body["status"] == 422
    assert body["errors"] == [{"field": "contact.postal_address", "message": message}]
    assert sqlite3.connect(service.db).execute("SELECT COUNT(*) FROM signal").fetchone()[0] == before


def test_the_postal_address_is_exported_purged_and_erased_with_the_other_contact_details(service):
    admin = service.token("admin", "admin")
    person = {"name": "Marie Peeters", "email": "marie.peeters@example.be", "postal_address": ADDRESS, "language": "nl"}
    kept, purged = (post(service, {**LETTER, "contact": person}, admin)["reference"] for _ in range(2))
    # Access request: found by the e-mail of the same signal, the postal address comes with it.
    exported = json.loads(cli("export-person", "--email", person["email"], "--db", str(service.db)).stdout)
    assert {s["reference"]: s["contact"]["postal_address"] for s in exported["signals"]} == {kept: ADDRESS, purged: ADDRESS}
    # Retention: a signal closed more than retention_days ago loses it.
    with sqlite3.connect(service.db) as db:
        db.execute("UPDATE signal SET status='closed', closed_at=? WHERE reference=?",
                   (int(time.time() * 1000) - 731 * 86_400_000, purged))
    out = json.loads(cli("purge", "--db", str(service.db), "--config", str(service.config)).stdout)
    assert out["signals_cleared"] == 1
    assert get(service, purged, admin)["contact"]["postal_address"] is None
    assert get(service, kept, admin)["contact"]["postal_address"] == ADDRESS
    # A signal with only a postal address left is still purged (it is contact data on its own).
    only = post(service, {**LETTER, "contact": {"postal_address": ADDRESS}}, admin)["reference"]
    with sqlite3.connect(service.db) as db:
        db.execute("UPDATE signal SET status='closed', closed_at=? WHERE reference=?",
                   (int(time.time() * 1000) - 731 * 86_400_000, only))
    assert json.loads(cli("purge", "--db", str(service.db), "--config", str(service.config)).stdout)["signals_cleared"] == 1
    assert get(service, only, admin)["contact"] is None
    # Erasure: gone from every signal of the person.
    cli("export-person", "--email", person["email"], "--erase", "--db", str(service.db))
    assert get(service, kept, admin)["contact"]["postal_address"] is None
    with sqlite3.connect(service.db) as db:
        left = db.execute("SELECT COUNT(*) FROM signal WHERE contact_postal_address IS NOT NULL").fetchone()[0]
        assert left == 0
        assert db.execute("SELECT COUNT(*) FROM signal_change WHERE old_value LIKE '%Burgerstraat%' OR new_value LIKE '%Burgerstraat%'").fetchone()[0] == 0


# -- the receipt's QR code -------------------------------------------------------------------

@pytest.fixture
def guarded(tmp_path):
    yield from serve(Service(tmp_path, extra_config={"limits": {"public_per_minute": 0, "status_per_minute": 12},
                                                     "public_url": "https://meldingen.oostende.example"}))


def test_the_qr_code_decodes_to_the_status_link_from_the_configured_base(guarded, tmp_path):
    kiosk = guarded.token("kiosk", "kiosk 1", "stadhuis")
    created = post(guarded, SIGNAL, kiosk)
    ref = created["reference"]
    key = status_key(guarded, ref, created)
    r = requests.get(guarded.url(f"/status/{ref}/qr.svg"), params={"key": key}, timeout=10)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert r.headers["Cache-Control"] == "no-store"
    assert decode_qr(r.content, tmp_path) == f"https://meldingen.oostende.example/status/{ref}?key={key}"
    # The key as a person types it from the receipt: lower case, with spaces.
    typed = " ".join(key[i:i + 5] for i in range(0, 20, 5)).lower()
    assert requests.get(guarded.url(f"/status/{ref.lower()}/qr.svg"), params={"key": typed}, timeout=10).content == r.content


def test_a_wrong_key_and_an_unknown_reference_get_the_same_404_and_guessing_gets_429(guarded):
    created = post(guarded, SIGNAL)
    ref = created["reference"]
    key = status_key(guarded, ref, created)
    wrong = key[:-1] + ("A" if key[-1] != "A" else "B")
    answers = [
        requests.get(guarded.url(f"/status/{ref}/qr.svg"), params={"key": wrong}, timeout=10),
        requests.get(guarded.url("/status/OP-2222-2222/qr.svg"), params={"key": key}, timeout=10),
        requests.get(guarded.url(f"/status/{ref}/qr.svg"), params={"key": "kort"}, timeout=10),
        requests.get(guarded.url(f"/status/{ref}/qr.svg"), timeout=10),
    ]
    for a in answers:
        assert a.status_code == 404
        assert problem(a) == problem(answers[0])
        assert a.headers["Cache-Control"] == "no-store"
    assert "qrcode" not in answers[0].text.lower() and key not in answers[0].text
    # Keep guessing from 127.0.0.1: the budget (12 a minute here) runs out, then 429 with Retry-After.
    statuses = [requests.get(guarded.url(f"/status/{ref}/qr.svg"), params={"key": wrong}, timeout=10) for _ in range(12)]
    limited = [s for s in statuses if s.status_code == 429]
    assert limited, [s.status_code for s in statuses]
    assert int(limited[0].headers["Retry-After"]) >= 1
    assert problem(limited[0])["status"] == 429
    # Even the right key waits now from that address; another client is still served.
    assert requests.get(guarded.url(f"/status/{ref}/qr.svg"), params={"key": key}, timeout=10).status_code == 429
    assert probe(guarded, f"/status/{ref}/qr.svg?key={key}", source="127.0.0.2") == 200


def test_the_public_config_names_the_base_of_the_status_link(guarded, service):
    assert requests.get(guarded.url("/api/v1/config"), timeout=10).json()["link_base"] == "https://meldingen.oostende.example"
    # Without public_url or mail.public_url: the address the service listens on.
    assert requests.get(service.url("/api/v1/config"), timeout=10).json()["link_base"] == service.base
