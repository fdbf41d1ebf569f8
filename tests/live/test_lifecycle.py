"""Start, restart, stop: durability and a clean shutdown, and the command line an operator uses."""

from __future__ import annotations

import signal
import sqlite3
import threading
import time

import pytest
import requests

from harness import CONFIG, SIGNAL, Service, auth, cli


def all_references(service, token) -> set[str]:
    refs, cursor = set(), None
    while True:
        params = {"limit": 500, **({"cursor": cursor} if cursor else {})}
        page = requests.get(service.url("/api/v1/signals"), params=params, headers=auth(token), timeout=10).json()
        refs |= {s["reference"] for s in page["items"]}
        cursor = page["next_cursor"]
        if not cursor:
            return refs


def test_signal_survives_a_restart(service):
    admin = service.token("admin", "admin")
    ref = requests.post(service.url("/api/v1/signals"), json=SIGNAL, timeout=5).json()["reference"]
    assert service.stop(signal.SIGTERM) == 0
    service.start()
    got = requests.get(service.url(f"/api/v1/signals/{ref}"), headers=auth(admin), timeout=5)
    assert got.status_code == 200 and got.json()["description"] == SIGNAL["description"]


# Repeated: a race between stopping and a request arriving on a kept-alive connection
# once aborted the process (libmicrohttpd refuses to stop with a suspended connection).
@pytest.mark.parametrize("attempt", range(4))
def test_sigterm_during_a_burst_loses_no_acknowledged_signal(service, attempt):
    admin = service.token("admin", "admin")
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client():
        session = requests.Session()
        while not stop.is_set():
            try:
                r = session.post(service.url("/api/v1/signals"), json=SIGNAL, timeout=5)
            except requests.RequestException:
                time.sleep(0.01)
                continue
            if r.status_code == 201:
                with lock:
                    acknowledged.append(r.json()["reference"])

    threads = [threading.Thread(target=client) for _ in range(16)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    code = service.stop(signal.SIGTERM)
    time.sleep(0.3)
    stop.set()
    for t in threads:
        t.join()
    assert code == 0, service.stderr.read_text()[-2000:]
    assert len(acknowledged) > 50, "the burst did not get going"
    assert "stopped" in service.stderr.read_text()

    service.start()
    stored = all_references(service, admin)
    missing = set(acknowledged) - stored
    assert not missing, f"{len(missing)} acknowledged signals were lost"
    assert len(set(acknowledged)) == len(acknowledged)


def test_database_is_wal_with_full_sync_and_created_on_first_start(tmp_path):
    s = Service(tmp_path)
    assert not s.db.exists()
    s.start()
    try:
        assert s.db.exists()
        out = s.stdout.read_text()
        assert "First start: an admin token was created" in out
        token = (tmp_path / "first-admin-token").read_text().strip()
        assert requests.get(s.url("/api/v1/session"), headers=auth(token), timeout=5).json()["role"] == "admin"
        with sqlite3.connect(s.db) as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            # Only a hash of the token is stored.
            hashes = [r[0] for r in db.execute("SELECT hash FROM token")]
            assert token not in hashes and all(len(h) == 64 for h in hashes)
    finally:
        s.stop()
    # A second start creates no new admin token.
    s.start()
    try:
        assert s.stdout.read_text().count("First start") == 1
    finally:
        s.stop()


def test_token_cli(tmp_path):
    db = str(tmp_path / "t.sqlite")
    out = cli("token", "create", "--role", "kiosk", "--site", "stadhuis", "--name", "kiosk 1", "--db", db)
    assert out.stdout.count("\n") == 1 and out.stdout.startswith("kb_")
    missing_site = cli("token", "create", "--role", "desk", "--name", "desk", "--db", db, check=False)
    assert missing_site.returncode != 0 and "must be bound to a site: add --site SITE" in missing_site.stderr
    bad_site = cli("token", "create", "--role", "desk", "--name", "desk", "--site", "brugge", "--db", db, check=False)
    assert "unknown site 'brugge' (known: stadhuis, edith-cavell)" in bad_site.stderr
    bad_role = cli("token", "create", "--role", "mayor", "--name", "x", "--db", db, check=False)
    assert bad_role.returncode != 0
    assert ("Error: The value 'mayor' is invalid for '--role <role>'. Please provide one of the following:\n"
            + "".join(f"  - {r}\n" for r in ["kiosk", "agent", "desk", "staff", "coordinator", "admin", "open311", "pbx"])
            ) in bad_role.stderr
    bad_durability = cli("serve", "--durability", "fast", "--db", db, check=False)
    assert bad_durability.returncode != 0
    assert "The value 'fast' is invalid for '--durability <durability>'. Please provide one of 'full' and 'normal'." in bad_durability.stderr
    listing = cli("token", "list", "--db", db).stdout
    assert "kiosk 1" in listing and "stadhuis" in listing and out.stdout.strip() not in listing
    assert "Revoked 1 token" in cli("token", "revoke", "kiosk 1", "--db", db).stdout
    assert "no active token" in cli("token", "revoke", "kiosk 1", "--db", db, check=False).stderr
    assert "serve" in cli("--help").stdout


def test_broken_config_stops_start_up_naming_file_path_and_rule(tmp_path):
    import json
    data = json.loads(CONFIG.read_text())
    data["time_zone"] = "Europe/Oostende"
    data["special_procedures"][0]["department"] = "nergens"
    data["districts"].append(dict(data["districts"][0]))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    out = cli("serve", "--config", str(bad), "--db", str(tmp_path / "x.sqlite"), "--port", "0", check=False)
    assert out.returncode == 78
    assert f'{bad}: time_zone: unknown time zone "Europe/Oostende"' in out.stderr
    assert f'{bad}: special_procedures[0].department: unknown department "nergens"' in out.stderr
    assert f'{bad}: districts[8].key: duplicate key "centrum"' in out.stderr
