"""Issue 6 operations against the running service: purge, access requests, backup,
metrics, and no personal data or token in the logs."""

from __future__ import annotations

import json
import re
import sqlite3
import time

import requests

from harness import CONFIG, SIGNAL, auth, cli

PERSON = {"name": "Marie Peeters", "email": "marie.peeters@example.be", "phone": "+32 59 12 34 56", "language": "nl"}


def post(service, body, token=None):
    r = requests.post(service.url("/api/v1/signals"), json=body, headers=auth(token), timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def test_no_personal_data_or_token_in_the_logs(service):
    kiosk = service.token("kiosk", "kiosk 1", "stadhuis")
    admin = service.token("admin", "admin")
    refs = [post(service, {**SIGNAL, "contact": PERSON, "description": "Mijn buur Jan Janssens laat vuil liggen"}, kiosk)["reference"]
            for _ in range(3)]
    requests.get(service.url(f"/api/v1/signals/{refs[0]}"), headers=auth(admin), timeout=5)
    requests.post(service.url("/api/v1/signals"), json={**SIGNAL, "contact": {"email": "kapot"}}, timeout=5)
    requests.get(service.url("/api/v1/signals"), headers=auth("kb_wrong-token-value"), timeout=5)
    service.stop()
    # The whole of both streams: the first admin token is in its file, not on standard output.
    logs = service.stderr.read_text() + service.stdout.read_text()
    first_admin = (service.db.parent / "first-admin-token").read_text().strip()
    assert "request" in logs  # the log did capture the requests
    for secret in [PERSON["name"], PERSON["email"], "59 12 34 56", "Jan Janssens", kiosk, admin, "kb_wrong-token-value", "kapot", first_admin, *refs]:
        assert secret not in logs, f"{secret!r} reached a log line"


def test_purge_removes_contact_details_of_long_closed_signals_only(service):
    admin = service.token("admin", "admin")
    old = post(service, {**SIGNAL, "contact": PERSON}, None)["reference"]
    recent = post(service, {**SIGNAL, "contact": PERSON}, None)["reference"]
    open_old = post(service, {**SIGNAL, "contact": PERSON}, None)["reference"]
    day = 86_400_000
    now = int(time.time() * 1000)
    with sqlite3.connect(service.db) as db:
        db.execute("UPDATE signal SET status='closed', closed_at=? WHERE reference=?", (now - 731 * day, old))
        db.execute("UPDATE signal SET status='closed', closed_at=? WHERE reference=?", (now - 10 * day, recent))
        db.execute("UPDATE signal SET received_at=? WHERE reference=?", (now - 900 * day, open_old))
    before = requests.get(service.url("/api/v1/signals"), headers=auth(admin), timeout=5).json()["items"]
    out = json.loads(cli("purge", "--db", str(service.db), "--config", str(service.config)).stdout)
    assert out["signals_cleared"] == 1
    get = lambda ref: requests.get(service.url(f"/api/v1/signals/{ref}"), headers=auth(admin), timeout=5).json()
    assert get(old)["contact"] == {"name": None, "email": None, "phone": None, "language": "nl", "postal_address": None}
    assert get(recent)["contact"]["email"] == PERSON["email"]
    assert get(open_old)["contact"]["email"] == PERSON["email"]
    with sqlite3.connect(service.db) as db:
        fields = [r[0] for r in db.execute(
            "SELECT field FROM signal_change JOIN signal ON signal.id = signal_id WHERE reference=? ORDER BY signal_change.id", (old,))]
        assert fields[-1] == "personal_data_removed"
        assert db.execute("SELECT COUNT(*) FROM signal_change WHERE old_value LIKE '%marie%' OR new_value LIKE '%marie%'").fetchone()[0] == 0
    after = requests.get(service.url("/api/v1/signals"), headers=auth(admin), timeout=5).json()["items"]
    strip = lambda items: sorted((s["reference"], s["kind"], s["channel"], s["category"], s["district"], s["status"]) for s in items)
    assert strip(before) == strip(after)
    # Running it again finds nothing more to do.
    assert json.loads(cli("purge", "--db", str(service.db), "--config", str(service.config)).stdout)["signals_cleared"] == 0


def test_export_person_and_erase(service):
    admin = service.token("admin", "admin")
    mine = [post(service, {**SIGNAL, "contact": PERSON})["reference"] for _ in range(2)]
    other = post(service, {**SIGNAL, "contact": {"email": "iemand.anders@example.be"}})["reference"]
    by_phone = json.loads(cli("export-person", "--phone", "059 12 34 56", "--db", str(service.db)).stdout)
    assert sorted(s["reference"] for s in by_phone["signals"]) == sorted(mine)
    exported = json.loads(cli("export-person", "--email", "MARIE.peeters@example.be", "--erase", "--db", str(service.db)).stdout)
    assert sorted(s["reference"] for s in exported["signals"]) == sorted(mine)
    assert all(s["contact"]["name"] == PERSON["name"] for s in exported["signals"])
    after = json.loads(cli("export-person", "--email", PERSON["email"], "--db", str(service.db)).stdout)
    assert after["signals"] == []
    got = requests.get(service.url(f"/api/v1/signals/{mine[0]}"), headers=auth(admin), timeout=5).json()
    assert got["contact"]["email"] is None and got["description"] == SIGNAL["description"]
    assert requests.get(service.url(f"/api/v1/signals/{other}"), headers=auth(admin), timeout=5).json()["contact"]["email"] == "iemand.anders@example.be"
    both = cli("export-person", "--email", "a@b.be", "--phone", "1", "--db", str(service.db), check=False)
    assert both.returncode != 0 and "exactly one of --email or --phone" in both.stderr


def test_backup_while_running_restores_equal(service, tmp_path):
    admin = service.token("admin", "admin")
    for i in range(40):
        post(service, {**SIGNAL, "description": f"melding {i}"})
    copy = tmp_path / "backup.sqlite"
    assert "Backed up" in cli("backup", str(copy), "--db", str(service.db)).stdout
    assert "exists already" in cli("backup", str(copy), "--db", str(service.db), check=False).stderr
    query = "SELECT reference, kind, channel, description, received_at FROM signal ORDER BY id"
    with sqlite3.connect(service.db) as a, sqlite3.connect(copy) as b:
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
        assert b.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The copy serves: start a service on it.
    from harness import Service
    (tmp_path / "restored").mkdir()
    restored = Service(tmp_path / "restored")
    copy.rename(restored.db)
    restored.start()
    try:
        refs = requests.get(restored.url("/api/v1/signals"), params={"limit": 100}, headers=auth(admin), timeout=5).json()["items"]
        assert len(refs) == 40
    finally:
        restored.stop()


def test_metrics(service):
    admin = service.token("admin", "admin")
    for _ in range(3):
        post(service, SIGNAL)
    requests.post(service.url("/api/v1/signals"), data=b"{", headers={"Content-Type": "application/json"}, timeout=5)
    assert requests.get(service.url("/metrics"), timeout=5).status_code == 401
    assert requests.get(service.url("/metrics"), headers=auth(service.token("agent", "a")), timeout=5).status_code == 403
    text = requests.get(service.url("/metrics"), headers=auth(admin), timeout=5).text
    assert 'kiosk_http_requests_total{method="POST",route="/api/v1/signals",status="201"} 3' in text
    assert 'kiosk_http_requests_total{method="POST",route="/api/v1/signals",status="400"} 1' in text
    assert 'kiosk_signals{channel="web"} 3' in text and 'kiosk_signals{channel="kiosk"} 0' in text
    assert re.search(r'kiosk_http_request_duration_seconds_count\{route="/api/v1/signals"\} 4', text)
    assert re.search(r"kiosk_database_bytes \d+", text)


def test_caller_numbers_in_access_requests_erasure_and_purge(service):
    pbx = service.token("pbx", "exchange")
    cti = service.url(f"/api/v1/cti/{pbx}")
    for call_id, number in [("c-old", "0471 23 45 67"), ("c-new", "+32 471 23 45 67"), ("c-other", "059 99 88 77")]:
        for event in ["newCall", "answer", "hangup"]:
            r = requests.post(cti, data={"event": event, "callId": call_id, "from": number, "to": "080018400",
                                         "direction": "in", "user[]": "An", "cause": "normalClearing"}, timeout=5)
            assert r.status_code == 200, r.text
    exported = json.loads(cli("export-person", "--phone", "0471234567", "--db", str(service.db)).stdout)
    assert sorted(c["call_id"] for c in exported["calls"]) == ["c-new", "c-old"]
    day = 86_400_000
    with sqlite3.connect(service.db) as db:
        db.execute("UPDATE call SET arrived_at = arrived_at - ?, answered_at = answered_at - ?, ended_at = ended_at - ? WHERE call_id = 'c-old'",
                   (731 * day, 731 * day, 731 * day))
    out = json.loads(cli("purge", "--db", str(service.db), "--config", str(service.config)).stdout)
    assert out["calls_cleared"] == 1
    with sqlite3.connect(service.db) as db:
        numbers = dict(db.execute("SELECT call_id, from_number FROM call"))
    assert numbers["c-old"] is None and numbers["c-new"] == "+32 471 23 45 67"
    cli("export-person", "--phone", "+32471234567", "--erase", "--db", str(service.db))
    with sqlite3.connect(service.db) as db:
        numbers = dict(db.execute("SELECT call_id, from_number FROM call"))
    assert numbers == {"c-old": None, "c-new": None, "c-other": "059 99 88 77"}


def test_every_command_that_reads_the_config_stops_on_a_broken_one_before_opening_the_database(tmp_path):
    """One way to read --config (`ConfigOptions`): exit 78 and the file, path and rule, as `serve`
    does, and the database is not touched. `token create` used to go on without the checks."""
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**json.loads(CONFIG.read_text()), "retention_days": "long"}))
    db = tmp_path / "x.sqlite"
    for command in (["purge"], ["token", "create", "--role", "kiosk", "--name", "k", "--site", "stadhuis"],
                    ["kiosk", "enrol-code", "--site", "stadhuis", "--name", "k"], ["addresses", "import", str(bad)]):
        out = cli(*command, "--config", str(bad), "--db", str(db), check=False)
        assert out.returncode == 78, (command, out.stderr)
        assert f"{bad}: retention_days: " in out.stderr, (command, out.stderr)
        assert out.stdout == "" and not db.exists(), command


def test_help_names_the_database_everywhere_and_the_config_where_it_is_read():
    reads_config = [["serve"], ["token", "create"], ["kiosk", "enrol-code"], ["purge"], ["addresses", "import"]]
    database_only = [["token", "list"], ["token", "revoke"], ["export-person"], ["backup"]]
    for command in reads_config + database_only:
        text = " ".join(cli(*command, "--help").stdout.split())  # help wraps its lines
        assert "--db <db>" in text and "The SQLite database file" in text, command
        assert ("--config <config>" in text) == (command in reads_config), command
        if command in reads_config:
            assert "The city's config file (JSON). Default: the bundled Ostend config." in text, command
