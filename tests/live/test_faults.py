"""Faults: SIGKILL at random moments under a 32-connection intake load, and slow clients.

FAULT_KILLS sets the number of kills (default 10, as `make test` runs it);
bench/faults.sh runs the long form (100) and writes the result to bench/RESULTS.md."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import threading
import time

import requests

from harness import SIGNAL, Service, SourceAddressAdapter, trickling


def test_sigkill_during_load_loses_no_acknowledged_signal_and_doubles_none(tmp_path):
    kills = int(os.environ.get("FAULT_KILLS", "10"))
    rng = random.Random(int(os.environ.get("FAULT_SEED", "20261129")))
    # 32 clients that all come from 127.0.0.1 here: lift the per-address connection cap.
    service = Service(tmp_path, extra_config={"limits": {"max_body_bytes": 1048576, "public_per_minute": 0,
                                                         "connections_per_client": 0}})
    service.start()
    acknowledged: dict[str, str] = {}   # Idempotency-Key → reference
    lock = threading.Lock()
    counter = iter(range(10**9))
    stop = threading.Event()

    def client(n: int):
        session = requests.Session()
        pending = None  # a request that got no answer is retried with the same key
        while not stop.is_set():
            if pending is None:
                with lock:
                    pending = f"c{n}-{next(counter)}"
            body = {**SIGNAL, "description": f"melding {pending}"}
            try:
                r = session.post(service.url("/api/v1/signals"), json=body, timeout=5,
                                 headers={"Idempotency-Key": pending})
            except requests.RequestException:
                session = requests.Session()
                time.sleep(0.02)
                continue
            if r.status_code == 201:
                with lock:
                    acknowledged[pending] = r.json()["reference"]
                pending = None

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(32)]
    for t in threads:
        t.start()
    try:
        for _ in range(kills):
            time.sleep(rng.uniform(0.2, 0.8))
            service.stop(signal.SIGKILL)
            service.start()
        time.sleep(0.5)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=10)
        if service.proc is not None:
            service.stop()

    assert len(acknowledged) > kills * 10, "the load did not get going"
    with sqlite3.connect(service.db) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute("SELECT reference, description FROM signal").fetchall()
    stored = {ref for ref, _ in rows}
    descriptions = [d for _, d in rows]
    missing = [k for k, ref in acknowledged.items() if ref not in stored]
    assert not missing, f"{len(missing)} acknowledged signals lost"
    doubled = len(descriptions) - len(set(descriptions))
    assert doubled == 0, f"{doubled} signals stored twice"
    result = {"kills": kills, "acknowledged": len(acknowledged), "stored": len(rows), "lost": len(missing), "doubled": doubled}
    print("FAULT-RESULT " + json.dumps(result))
    if os.environ.get("FAULT_RESULT_FILE"):
        with open(os.environ["FAULT_RESULT_FILE"], "w") as f:
            json.dump(result, f)


def test_slow_clients_do_not_stop_a_normal_client(service):
    """500 connections from 127.0.0.1 that send a byte every few seconds; a normal client at
    127.0.0.2 is still served within a second (one address may hold only its own share)."""
    slow: list[socket.socket] = []
    for _ in range(500):
        try:
            s = socket.create_connection(("127.0.0.1", service.port), timeout=5)
            s.sendall(b"POST /api/v1/signals HTTP/1.1\r\nHost: x\r\n")
            slow.append(s)
        except OSError:
            pass  # past the per-address limit the service refuses the connection
    try:
        with trickling(slow, b"X", every=2):
            worst = 0.0
            normal = requests.Session()
            normal.mount("http://", SourceAddressAdapter("127.0.0.2"))
            for _ in range(10):
                started = time.monotonic()
                r = normal.post(service.url("/api/v1/signals"), json=SIGNAL, timeout=5)
                worst = max(worst, time.monotonic() - started)
                assert r.status_code == 201
                time.sleep(0.3)
            assert worst < 1.0, f"a normal client waited {worst:.2f} s"
    finally:
        for s in slow:
            s.close()
