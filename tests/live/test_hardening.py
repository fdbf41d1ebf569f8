"""Issue 6 hardening: rate limits, CORS, security headers, path traversal."""

from __future__ import annotations

import json
import socket

import pytest
import requests

from harness import CONFIG, SIGNAL, Service, auth


@pytest.fixture
def limited(tmp_path):
    s = Service(tmp_path, extra_config={"limits": {"max_body_bytes": 1048576, "public_per_minute": 5},
                                        "cors_origins": ["https://www.oostende.be"]})
    s.start()
    yield s
    if s.proc is not None:
        s.stop()


def test_public_posts_are_rate_limited_per_address_with_retry_after(limited):
    codes = [requests.post(limited.url("/api/v1/signals"), json=SIGNAL, timeout=5).status_code for _ in range(5)]
    assert codes == [201] * 5
    r = requests.post(limited.url("/api/v1/signals"), json=SIGNAL, timeout=5)
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) >= 1
    assert r.json()["title"] == "Too many requests"
    # A kiosk's token is not the public form: it is not limited by address.
    kiosk = limited.token("kiosk", "kiosk 1", "stadhuis")
    assert requests.post(limited.url("/api/v1/signals"), json=SIGNAL, headers=auth(kiosk), timeout=5).status_code == 201


def test_cors_only_for_configured_origins(limited):
    ok = requests.get(limited.url("/api/v1/config"), headers={"Origin": "https://www.oostende.be"}, timeout=5)
    assert ok.headers["Access-Control-Allow-Origin"] == "https://www.oostende.be"
    assert "Origin" in ok.headers["Vary"]
    other = requests.get(limited.url("/api/v1/config"), headers={"Origin": "https://evil.example"}, timeout=5)
    assert "Access-Control-Allow-Origin" not in other.headers
    pre = requests.options(limited.url("/api/v1/signals"), timeout=5, headers={
        "Origin": "https://www.oostende.be", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,idempotency-key"})
    assert pre.status_code == 204
    assert pre.headers["Access-Control-Allow-Origin"] == "https://www.oostende.be"
    assert "Idempotency-Key" in pre.headers["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("path", ["/", "/kiosk", "/desk", "/api/v1/config", "/healthz", "/nope"])
def test_security_headers_on_every_answer(service, path):
    r = requests.get(service.url(path), timeout=5)
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"


def test_personal_data_is_never_cached(service):
    admin = service.token("admin", "admin")
    ref = requests.post(service.url("/api/v1/signals"), json={**SIGNAL, "contact": {"email": "a@b.be"}}, timeout=5)
    assert ref.headers["Cache-Control"] == "no-store"
    got = requests.get(service.url(f"/api/v1/signals/{ref.json()['reference']}"), headers=auth(admin), timeout=5)
    assert got.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("raw", [
    "/assets/../config/ostend.json", "/assets/%2e%2e/%2e%2e/config/ostend.json", "/assets/js/..%2F..%2FPackage.swift",
    "/assets/.hidden", "/assets/%00",
])
def test_static_files_refuse_traversal(service, raw):
    with socket.create_connection(("127.0.0.1", service.port), timeout=5) as s:
        s.sendall(f"GET {raw} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    assert status in (400, 404), data[:200]
    assert b"time_zone" not in data and b"PackageDescription" not in data


def test_the_public_config_names_departments_and_keeps_their_addresses_inside(tmp_path):
    """GET /api/v1/config (no token) names each department of the config, so that pages can show a
    signal's department by name; the e-mail addresses the service tells them on stay out of it."""
    departments = [{**d, "email": f"dienst-{d['key']}@stad.example"} for d in json.loads(CONFIG.read_text())["departments"]]
    svc = Service(tmp_path, extra_config={"departments": departments})
    svc.start()
    try:
        public = requests.get(svc.url("/api/v1/config"), timeout=5).json()
    finally:
        svc.stop()
    assert [d["key"] for d in public["departments"]] == [d["key"] for d in departments]
    assert all(set(d) == {"key", "name"} for d in public["departments"])
    assert "@stad.example" not in json.dumps(public)
