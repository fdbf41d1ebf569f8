"""Issue 9: attacks on the HTTP edge, replayed against the real binary.

Slow headers and bodies, idle connections, half-sent bodies that hold memory,
request-smuggling building blocks, oversize request lines and headers, hostile
methods in /metrics, and rate-limit keys (IPv6 /64, trusted proxies). While an
attack runs, a normal client at 127.0.0.2 must still be answered. Bounds are
generous: they prove responsiveness, not speed (speed belongs in bench/)."""

from __future__ import annotations

import json
import socket
import time

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from harness import SIGNAL, Service, auth, probe, problem, rss_kib, trickling

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options")


def edge_service(tmp_path, **limits) -> Service:
    config = {"limits": {"public_per_minute": 0, "header_timeout_seconds": 3, "body_timeout_seconds": 3, **limits}}
    s = Service(tmp_path, extra_config=config)
    s.start()
    return s


@pytest.fixture
def edge(tmp_path):
    s = edge_service(tmp_path)
    yield s
    s.kill()


def connect(service: Service, source: str = "127.0.0.1", timeout: float = 10) -> socket.socket:
    return socket.create_connection(("127.0.0.1", service.port), timeout=timeout, source_address=(source, 0))


def read_all(sock: socket.socket, timeout: float = 10) -> bytes:
    """Everything the service sends until it closes the connection (or `timeout`)."""
    sock.settimeout(timeout)
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return data


def responses(raw: bytes) -> list[tuple[int, dict, bytes]]:
    """Splits a byte stream into HTTP responses (status, headers, body); bodies by Content-Length."""
    out = []
    while raw.startswith(b"HTTP/"):
        head, _, rest = raw.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(b":")
            headers[k.decode().strip().lower()] = v.decode().strip()
        n = int(headers.get("content-length", "0"))
        out.append((status, headers, rest[:n]))
        raw = rest[n:]
    return out


def closed_within(sock: socket.socket, seconds: float) -> bool:
    """Whether the service closed (or reset) the connection within `seconds`."""
    sock.settimeout(seconds)
    try:
        while True:
            if not sock.recv(65536):
                return True
    except socket.timeout:
        return False
    except OSError:
        return True


def assert_probe_ok(service: Service, within: float = 5) -> None:
    assert probe(service, timeout=within) == 200, "a normal client at 127.0.0.2 was not answered"


# 4. Slow clients -----------------------------------------------------------------------------

def test_slow_header_lines_are_cut_off_and_others_are_served(edge):
    """1,100 connections each trickling a header line: one address gets its 32, the rest are
    refused at once; the trickling ones are closed at the header deadline, not kept alive by
    their trickle; a client at 127.0.0.2 is answered throughout."""
    socks = []
    for _ in range(1100):
        try:
            s = connect(edge, timeout=2)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            socks.append(s)
        except OSError:
            pass
    try:
        with trickling(socks, b"X-Slow: 1\r\n", every=1):
            started = time.monotonic()
            for _ in range(3):
                assert_probe_ok(edge)
                time.sleep(0.5)
            # Every trickling connection is gone a little after the 3 s header deadline.
            deadline = started + 10
            for s in socks:
                assert closed_within(s, max(0.1, deadline - time.monotonic())), "a slow-header connection was kept open"
            assert time.monotonic() - started < 12
            assert_probe_ok(edge)
    finally:
        for s in socks:
            s.close()


def test_slow_body_is_cut_off_at_the_body_deadline(edge):
    socks = []
    for _ in range(20):
        s = connect(edge)
        s.sendall(b"POST /api/v1/signals HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 2000\r\n\r\n{")
        socks.append(s)
    started = time.monotonic()
    try:
        with trickling(socks, b" ", every=1):
            assert_probe_ok(edge)
            for s in socks:
                assert closed_within(s, max(0.1, started + 10 - time.monotonic())), "a slow body was kept open"
    finally:
        for s in socks:
            s.close()
    assert_probe_ok(edge)
    count = requests.get(edge.url("/api/v1/signals"), headers=auth(edge.token("coordinator", "c")), timeout=5).json()
    assert count["items"] == [], "a half-sent body was stored"


def test_idle_connections_do_not_starve_other_addresses(edge):
    socks = []
    for _ in range(2000):
        try:
            socks.append(connect(edge, timeout=2))
        except OSError:
            pass
    try:
        for _ in range(3):
            assert_probe_ok(edge)
        started = time.monotonic()
        for s in socks:
            assert closed_within(s, max(0.1, started + 10 - time.monotonic())), "an idle connection was kept open"
    finally:
        for s in socks:
            s.close()


def test_keep_alive_between_requests_still_works(edge):
    """The header deadline restarts after each answer, so a quick client keeps its connection."""
    with requests.Session() as session:
        for _ in range(5):
            assert session.get(edge.url("/healthz"), timeout=5).status_code == 200
            time.sleep(0.5)


# 5. Unfinished bodies hold memory ------------------------------------------------------------

def test_a_signal_route_refuses_a_megabyte_before_it_arrives(edge):
    s = connect(edge)
    s.sendall(b"POST /api/v1/signals HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 1048575\r\n\r\n")
    [(status, headers, body)] = responses(read_all(s))
    s.close()
    assert status == 413
    assert json.loads(body)["detail"] == "The request body is larger than 65536 bytes."
    assert headers["content-type"] == "application/problem+json"
    for h in SECURITY_HEADERS:
        assert h.lower() in headers


def test_half_sent_bodies_are_bounded_in_total_and_memory_comes_back(tmp_path):
    """1,000 connections each declare a body within the route's limit and send all but one
    byte. Only the pending-body budget's worth is held; the rest get 503 at once; a client at
    127.0.0.2 is served; once they close, memory comes back near where it started."""
    service = edge_service(tmp_path, max_body_bytes=1 << 20, pending_body_bytes=16 << 20,
                           connections_per_client=0, body_timeout_seconds=60)
    try:
        for _ in range(20):
            requests.get(service.url("/healthz"), timeout=5)
        before = rss_kib(service)
        length = (1 << 20) - 1
        head = (b"POST /api/v1/signals HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n" % length)
        chunk = b"x" * (length - 1)
        socks, refused = [], 0
        for _ in range(1000):
            s = connect(service)
            s.sendall(head)
            s.settimeout(0.05)
            try:
                data = s.recv(4096)  # a 503 comes at once when the budget is spent
                if data.startswith(b"HTTP/1.1 503"):
                    refused += 1
                    s.close()
                    continue
            except socket.timeout:
                pass
            s.settimeout(10)
            try:
                s.sendall(chunk)
            except OSError:
                pass
            socks.append(s)
        held = len(socks)
        assert held <= 16, f"{held} bodies of 1 MiB held against a 16 MiB budget"
        assert refused >= 1000 - 16 - 5
        assert_probe_ok(service)
        peak = rss_kib(service)
        assert peak - before < 128 * 1024, f"RSS grew by {(peak - before) // 1024} MiB"
        for s in socks:
            s.close()
        time.sleep(2)  # the watchdog gives memory back within a second
        after = rss_kib(service)
        assert after - before < 48 * 1024, f"RSS stayed {(after - before) // 1024} MiB above its start"
        assert_probe_ok(service)
    finally:
        service.kill()


# 7. Request smuggling building blocks --------------------------------------------------------

SMUGGLED = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.mark.parametrize("headers,detail", [
    (b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
     "The request has both Content-Length and Transfer-Encoding."),
    (b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
     "The request has both Content-Length and Transfer-Encoding."),
    (b"Content-Length: 5\r\nContent-Length: 40\r\n", "The request has more than one Content-Length header."),
    (b"Content-Length: 5\r\nContent-Length: 5\r\n", "The request has more than one Content-Length header."),
    (b"Transfer-Encoding: gzip, chunked\r\n", 'The only transfer encoding accepted is a single "chunked".'),
])
def test_ambiguous_body_length_gets_one_400_and_the_connection_closes(edge, headers, detail):
    s = connect(edge)
    s.sendall(b"POST /api/v1/signals HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + headers +
              b"\r\n0\r\n\r\n" + SMUGGLED)
    got = responses(read_all(s))
    s.close()
    assert len(got) == 1, f"a second, smuggled response followed: {got}"
    status, h, body = got[0]
    assert status == 400
    assert h["content-type"] == "application/problem+json"
    assert h.get("connection", "").lower() == "close"
    assert json.loads(body)["detail"] == detail
    for name in SECURITY_HEADERS:
        assert name.lower() in h
    assert_probe_ok(edge)


# 17. The server's own refusals are problem documents with the security headers ---------------

def test_long_url_gets_our_414(edge):
    r = requests.get(edge.url("/api/v1/signals/" + "A" * 10_000), timeout=5)
    assert r.status_code == 414
    assert problem(r)["title"] == "URI too long"
    for h in SECURITY_HEADERS:
        assert h in r.headers


def test_large_headers_get_our_431(edge):
    r = requests.get(edge.url("/healthz"), headers={"X-Big": "b" * 20_000}, timeout=5)
    assert r.status_code == 431
    assert problem(r)["title"] == "Request header fields too large"
    r = requests.get(edge.url("/healthz"), headers={f"X-H{i}": "1" for i in range(150)}, timeout=5)
    assert r.status_code == 431
    for h in SECURITY_HEADERS:
        assert h in r.headers


def test_a_body_on_a_get_is_refused_before_it_arrives(edge):
    s = connect(edge)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
    [(status, _, body)] = responses(read_all(s))
    s.close()
    assert status == 413
    assert json.loads(body)["title"] == "Body too large"


# 3. Hostile methods in /metrics --------------------------------------------------------------

def raw_request(service: Service, method: bytes) -> int:
    s = connect(service)
    s.sendall(method + b" /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = read_all(s, timeout=5)
    s.close()
    return int(data.split()[1]) if data.startswith(b"HTTP/") else 0


def metric_samples(service: Service, token: str) -> list:
    r = requests.get(service.url("/metrics"), headers=auth(token), timeout=10)
    assert r.status_code == 200
    # The official client's parser reads every line, or raises.
    return [s for f in text_string_to_metric_families(r.text) for s in f.samples]


def test_methods_cannot_break_or_grow_metrics(edge):
    admin = edge.token("admin", "prometheus")
    assert raw_request(edge, b'A"B') in (404, 405, 501)
    assert raw_request(edge, b"A\\B") in (404, 405, 501)
    first = metric_samples(edge, admin)
    before = rss_kib(edge)
    for i in range(2000):
        raw_request(edge, b"M%05d" % i + b"X" * 4000)
    samples = metric_samples(edge, admin)
    methods = {s.labels["method"] for s in samples if "method" in s.labels}
    assert methods <= {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"}, methods
    others = [s for s in samples if s.name == "kiosk_http_requests_total" and s.labels.get("method") == "other"]
    assert sum(s.value for s in others) >= 2002
    # 2,000 unique methods added no series beyond the one "other" row per route and status.
    assert len(samples) - len(first) < 20, (len(first), len(samples))
    assert rss_kib(edge) - before < 20 * 1024
    assert_probe_ok(edge)


# 16. Rate-limit keys ---------------------------------------------------------------------------

def post_as(service: Service, forwarded: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    return requests.post(service.url("/api/v1/signals"), data=json.dumps(SIGNAL), headers=headers, timeout=5).status_code


def test_behind_a_trusted_proxy_ipv6_clients_are_counted_per_64(tmp_path):
    s = Service(tmp_path, extra_config={"limits": {"public_per_minute": 3}, "trusted_proxies": ["127.0.0.1/32"]})
    s.start()
    try:
        # Three from one /64 (different addresses) use up that /64's budget.
        assert [post_as(s, f"2001:db8:1:2::{i}") for i in (1, 2, 3)] == [201, 201, 201]
        assert post_as(s, "2001:db8:1:2:ffff:ffff:ffff:ffff") == 429
        # Another /64, and an IPv4 client, have their own.
        assert post_as(s, "2001:db8:1:3::1") == 201
        assert post_as(s, "198.51.100.7") == 201
        # The proxy appends what it saw: a client's own claim to the left is not believed.
        assert post_as(s, "203.0.113.9, 2001:db8:1:2::9") == 429
    finally:
        s.stop()


def test_forwarded_for_from_an_untrusted_peer_is_ignored(tmp_path):
    s = Service(tmp_path, extra_config={"limits": {"public_per_minute": 3}})
    s.start()
    try:
        codes = [post_as(s, f"198.51.100.{i}") for i in range(1, 6)]
        assert codes == [201, 201, 201, 429, 429], codes
        assert_probe_ok(s)
    finally:
        s.stop()
