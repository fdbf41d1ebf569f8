"""Outbound mail (issue 10, docs/interface.md §11): the delivery worker inside `serve` hands what the
outbox holds to a real SMTP server on loopback (aiosmtpd), retries, gives up, and a
coordinator sees each signal's messages and retries a failed one.

Messages are put in the outbox with sqlite3, as the intake and back-office code does in its
own transaction (the compose branch queues them from the real causes)."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import ssl
import subprocess
import time
import uuid

import pytest
import requests

from harness import BIN, CONFIG, ROOT, SIGNAL, SMTPSink, Service, auth, problem

FROM = "O-punt Oostende <o-punt@oostende.be>"
LIMITS = {"max_body_bytes": 1048576, "public_per_minute": 0}


def mail_service(tmp_path, smtp_port: int, give_up_hours: int = 72, **mail) -> Service:
    config = {"limits": LIMITS, "mail": {"smtp_url": f"smtp://127.0.0.1:{smtp_port}", "from": FROM,
                                         "give_up_hours": give_up_hours, **mail}}
    return Service(tmp_path, extra_config=config)


def new_signal(service: Service, token: str) -> str:
    r = requests.post(service.url("/api/v1/signals"), json={**SIGNAL, "channel": "email"}, headers=auth(token), timeout=10)
    assert r.status_code == 201, r.text
    return r.json()["reference"]


def queue(service: Service, reference: str, *, to: str = "an@voorbeeld.be", kind: str = "acknowledgement",
          subject: str | None = None, text: str | None = None, html: str | None = None,
          queued_ago_s: float = 0) -> dict:
    """One outbox row, as Outbox.enqueue writes it."""
    now_ms = int(time.time() * 1000) - int(queued_ago_s * 1000)
    row = {
        "signal_reference": reference, "kind": kind, "recipient": to, "language": "nl",
        "subject": subject or f"Uw melding {reference}: goed ontvangen — wij antwoorden binnen 30 dagen",
        "body_text": text or f"Beste,\n\nUw melding {reference} is goed ontvangen.\nVolg ze op: https://meldingen.oostende.be/status/{reference}\n\nGroeten,\nO-punt Oostende",
        "body_html": html or f"<p>Beste,</p><p>Uw melding <strong>{reference}</strong> is goed ontvangen — één keer.</p>",
        "message_id": f"<{uuid.uuid4()}@meldingen.oostende.be>", "status": "queued", "attempts": 0,
        "queued_at": now_ms, "next_attempt_at": now_ms,
    }
    with sqlite3.connect(service.db, timeout=10) as db:
        cur = db.execute(f"INSERT INTO outbox_message ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                         list(row.values()))
        row["id"] = cur.lastrowid
    return row


def messages(service: Service, reference: str, token: str) -> list[dict]:
    r = requests.get(service.url(f"/api/v1/signals/{reference}/messages"), headers=auth(token), timeout=10)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["next_cursor"] is None
    return body["items"]


def wait_until(predicate, timeout: float = 30, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} not reached within {timeout} s")


def text_of(msg, subtype: str) -> str:
    part = msg.get_body(preferencelist=(subtype,))
    assert part is not None, f"no text/{subtype} part"
    assert part.get_content_charset() == "utf-8"
    return part.get_content().replace("\r\n", "\n")  # the parser keeps the wire's CRLF


@pytest.fixture
def mailed(tmp_path, smtp_server):
    service = mail_service(tmp_path, smtp_server.port)
    service.start()
    service.coordinator = service.token("coordinator", "Coördinator Els")
    yield service
    service.kill()


def test_queued_message_arrives_once_with_headers_and_both_parts(mailed, smtp_server):
    reference = new_signal(mailed, mailed.coordinator)
    row = queue(mailed, reference)
    [(envelope, msg)] = smtp_server.wait_for(1)
    assert envelope.mail_from == "o-punt@oostende.be"
    assert envelope.rcpt_tos == ["an@voorbeeld.be"]
    assert msg["Subject"] == row["subject"], "UTF-8 subject decodes to what was queued"
    assert msg["From"] == FROM
    assert msg["To"] == "an@voorbeeld.be"
    assert msg["Reply-To"] == "o-punt@oostende.be"
    assert msg["Message-ID"] == row["message_id"]
    assert msg["X-Kiosk-Reference"] == reference
    assert msg["MIME-Version"] == "1.0"
    assert msg["Date"].datetime.timestamp() == pytest.approx(row["queued_at"] / 1000, abs=1)
    assert msg.get_content_type() == "multipart/alternative"
    assert text_of(msg, "plain").rstrip("\n") == row["body_text"]
    assert text_of(msg, "html").rstrip("\n") == row["body_html"]
    raw = envelope.original_content
    assert all(len(line) <= 78 for line in raw.split(b"\r\n")), "folded and quoted-printable: short lines"
    [item] = wait_until(lambda: [m for m in messages(mailed, reference, mailed.coordinator) if m["status"] == "sent"],
                        what="status sent")
    assert item == {**item, "id": row["id"], "kind": "acknowledgement", "to": "an@voorbeeld.be", "language": "nl",
                    "subject": row["subject"], "status": "sent", "attempts": 1, "last_error": None}
    assert item["queued_at"].endswith("Z") and item["sent_at"].endswith("Z")
    time.sleep(2.5)  # the worker wakes every second: it must not send it again
    assert len(smtp_server.messages) == 1
    log = mailed.stderr.read_text()
    assert "mail sent" in log
    assert "an@voorbeeld.be" not in log and "goed ontvangen" not in log, "no address or content in the log"


def test_smtp_down_messages_queue_then_each_arrives_once(mailed, smtp_server):
    smtp_server.stop()
    reference = new_signal(mailed, mailed.coordinator)
    rows = [queue(mailed, reference, to=f"lezer{i}@voorbeeld.be") for i in range(3)]
    items = wait_until(lambda: (lambda ms: ms if all(m["attempts"] >= 1 for m in ms) else None)(
        messages(mailed, reference, mailed.coordinator)), what="a first failed attempt")
    assert [m["status"] for m in items] == ["queued"] * 3
    assert all(m["last_error"] == "could not connect to the SMTP server" for m in items), items
    assert all(m["sent_at"] is None for m in items)
    status = requests.get(mailed.url("/api/v1/mail/status"), headers=auth(mailed.coordinator), timeout=10).json()
    assert status["configured"] is True and status["queued"] == 3 and status["failed"] == 0
    assert status["oldest_queued_at"] == items[0]["queued_at"]

    smtp_server.start()  # same port; the first retry comes within 30 s
    arrived = smtp_server.wait_for(3, timeout=40)
    time.sleep(2.5)
    assert len(smtp_server.messages) == 3, "each exactly once"
    assert sorted(m["Message-ID"] for _, m in arrived) == sorted(r["message_id"] for r in rows)
    assert sorted(e.rcpt_tos[0] for e, _ in arrived) == sorted(r["recipient"] for r in rows)
    # The server has the bytes before the worker records "sent": wait for the record, not the mail.
    items = wait_until(lambda: (lambda ms: ms if all(m["status"] == "sent" for m in ms) else None)(
        messages(mailed, reference, mailed.coordinator)), what="every message recorded as sent")
    assert all(m["attempts"] >= 2 and m["last_error"] is None for m in items)


def test_a_retry_that_repeats_a_message_keeps_its_message_id(mailed, smtp_server):
    smtp_server.refuse_next = 1  # the server reads the whole message, then answers 451
    reference = new_signal(mailed, mailed.coordinator)
    row = queue(mailed, reference)
    smtp_server.wait_for(1, timeout=40)
    assert len(smtp_server.seen) == 2
    (first_envelope, first), (second_envelope, second) = smtp_server.seen
    assert first["Message-ID"] == second["Message-ID"] == row["message_id"]
    assert first_envelope.original_content == second_envelope.original_content, "the same bytes on every retry"
    # The server has the bytes before the worker records "sent" (CI once read "queued" in between).
    [item] = wait_until(lambda: [m for m in messages(mailed, reference, mailed.coordinator) if m["status"] == "sent"],
                        what="status sent")
    assert item["attempts"] == 2 and item["last_error"] is None


def test_kill_9_with_messages_queued_loses_none(mailed, smtp_server):
    smtp_server.stop()
    reference = new_signal(mailed, mailed.coordinator)
    rows = [queue(mailed, reference, to=f"bewoner{i}@voorbeeld.be") for i in range(2)]
    wait_until(lambda: all(m["attempts"] >= 1 for m in messages(mailed, reference, mailed.coordinator)),
               what="a first failed attempt")
    assert mailed.stop(signal.SIGKILL) == -signal.SIGKILL
    smtp_server.start()
    mailed.start()
    arrived = smtp_server.wait_for(2, timeout=40)
    time.sleep(2.5)
    assert len(smtp_server.messages) == 2
    assert sorted(m["Message-ID"] for _, m in arrived) == sorted(r["message_id"] for r in rows)


def test_give_up_then_a_coordinator_retries_and_it_arrives(tmp_path, smtp_server):
    smtp_server.stop()
    service = mail_service(tmp_path, smtp_server.port, give_up_hours=1)
    service.start()
    try:
        coordinator = service.token("coordinator", "Coördinator Els")
        reference = new_signal(service, coordinator)
        # Queued two hours ago (the service was down, say): one attempt, then given up.
        row = queue(service, reference, kind="answer", queued_ago_s=7200)
        [item] = wait_until(lambda: [m for m in messages(service, reference, coordinator) if m["status"] == "failed"],
                            what="status failed")
        assert item["attempts"] == 1 and item["last_error"] == "could not connect to the SMTP server"
        status = requests.get(service.url("/api/v1/mail/status"), headers=auth(coordinator), timeout=10).json()
        assert status == {"configured": True, "queued": 0, "failed": 1, "oldest_queued_at": None}

        smtp_server.start()
        time.sleep(2)
        assert smtp_server.messages == [], "a failed message waits for a person"
        r = requests.post(service.url(f"/api/v1/messages/{row['id']}/retry"), headers=auth(coordinator), timeout=10)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "queued" and r.json()["attempts"] == 0
        [(_, msg)] = smtp_server.wait_for(1)
        assert msg["Message-ID"] == row["message_id"]
        [item] = wait_until(lambda: [m for m in messages(service, reference, coordinator) if m["status"] == "sent"],
                            what="status sent")
        history = requests.get(service.url(f"/api/v1/signals/{reference}/history"), headers=auth(coordinator),
                               timeout=10).json()["items"]
        [entry] = [h for h in history if h["field"] == "message_retry"]
        assert entry["who"] == "Coördinator Els" and entry["new_value"] == "queued"
        assert entry["old_value"] == (f"answer message {row['id']} failed after 1 attempt: "
                                      "could not connect to the SMTP server")

        again = requests.post(service.url(f"/api/v1/messages/{row['id']}/retry"), headers=auth(coordinator), timeout=10)
        assert again.status_code == 409
        assert problem(again)["detail"] == "Only a failed message can be retried; this one is sent."
        for unknown in ["999999", "abc", "-1", "0", "1" * 40]:
            r = requests.post(service.url(f"/api/v1/messages/{unknown}/retry"), headers=auth(coordinator), timeout=10)
            assert r.status_code == 404, unknown
            problem(r)
        r = requests.post(service.url(f"/api/v1/messages/{row['id']}/retry"), headers=auth(coordinator),
                          json={"force": True}, timeout=10)
        assert r.status_code == 422 and problem(r)["errors"][0]["field"] == "force"
    finally:
        service.stop()


def test_role_rules_on_the_message_endpoints(mailed):
    reference = new_signal(mailed, mailed.coordinator)
    row = queue(mailed, reference, to="")  # no recipient: fails at once, so it can be retried (409 then)
    tokens = {
        "desk": mailed.token("desk", "balie", site="stadhuis"), "agent": mailed.token("agent", "lijn"),
        "kiosk": mailed.token("kiosk", "zuil", site="stadhuis"), "staff": mailed.token("staff", "veld"),
        "open311": mailed.token("open311", "app"), "pbx": mailed.token("pbx", "centrale"),
    }
    endpoints = [("GET", f"/api/v1/signals/{reference}/messages"), ("POST", f"/api/v1/messages/{row['id']}/retry"),
                 ("GET", "/api/v1/mail/status")]
    for method, path in endpoints:
        r = requests.request(method, mailed.url(path), timeout=10)
        assert r.status_code == 401, (method, path)
        problem(r)
        for role, token in tokens.items():
            r = requests.request(method, mailed.url(path), headers=auth(token), timeout=10)
            assert r.status_code == 403, (role, method, path, r.status_code)
            problem(r)
    admin = mailed.token("admin", "beheer")
    for token in (mailed.coordinator, admin):
        assert requests.get(mailed.url(f"/api/v1/signals/{reference}/messages"), headers=auth(token), timeout=10).status_code == 200
        assert requests.get(mailed.url("/api/v1/mail/status"), headers=auth(token), timeout=10).status_code == 200
    r = requests.get(mailed.url("/api/v1/signals/ZZZZZZZZ/messages"), headers=auth(admin), timeout=10)
    assert r.status_code == 404
    problem(r)
    wait_until(lambda: messages(mailed, reference, admin)[0]["status"] == "failed", what="failed")
    r = requests.post(mailed.url(f"/api/v1/messages/{row['id']}/retry"), headers=auth(admin), timeout=10)
    assert r.status_code == 409
    assert problem(r)["detail"] == "This message's recipient was removed with the signal's personal data."


def test_serve_without_mail_starts_and_keeps_messages_queued(tmp_path):
    service = Service(tmp_path, extra_config={"limits": LIMITS})
    service.start()
    try:
        coordinator = service.token("coordinator", "Els")
        reference = new_signal(service, coordinator)
        queue(service, reference)
        time.sleep(2.5)
        [item] = messages(service, reference, coordinator)
        assert item["status"] == "queued" and item["attempts"] == 0
        status = requests.get(service.url("/api/v1/mail/status"), headers=auth(coordinator), timeout=10).json()
        assert status["configured"] is False and status["queued"] == 1
        assert status["oldest_queued_at"] == item["queued_at"]
    finally:
        assert service.stop() == 0
    assert service.stderr.read_text().count("mail is not configured") == 1, "said once, at start-up"


@pytest.mark.parametrize("mail, path, words", [
    ({"smtp_url": "ftp://relay.oostende.be", "from": FROM}, "mail.smtp_url", "must be smtp://host:port"),
    ({"smtp_url": "smtp://user:geheim@relay.oostende.be:25", "from": FROM}, "mail.smtp_url", "KIOSK_SMTP_USER"),
    ({"smtp_url": "smtp://relay.oostende.be:25", "from": "O-punt"}, "mail.from", "must be an address"),
    ({"smtp_url": "smtp://relay.oostende.be:25", "from": FROM, "give_up_hours": 0}, "mail.give_up_hours", "1 to 720"),
    ({"smtp_url": "smtp://relay.oostende.be:25", "from": FROM, "retries": 3}, "mail.retries", "not a known"),
])
def test_a_broken_mail_section_stops_start_up_with_exit_78(tmp_path, mail, path, words):
    config = json.loads(CONFIG.read_text())
    config["mail"] = mail
    (tmp_path / "config.json").write_text(json.dumps(config))
    out = subprocess.run([BIN, "serve", "--config", str(tmp_path / "config.json"), "--db", str(tmp_path / "k.sqlite"),
                          "--port", "0"], capture_output=True, text=True, timeout=30, cwd=ROOT)
    assert out.returncode == 78, out.stderr
    assert path in out.stderr and words in out.stderr and "config.json" in out.stderr, out.stderr
    assert "geheim" not in out.stderr


# -- TLS: STARTTLS with a private CA (KIOSK_SMTP_CA_FILE), and a login from the environment --

@pytest.fixture
def certificate(tmp_path):
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed to make a test certificate")
    cert, key = tmp_path / "relay.pem", tmp_path / "relay.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def tls_sink(certificate, **kwargs) -> SMTPSink:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return SMTPSink(tls_context=context, require_starttls=True, **kwargs)


def test_starttls_with_a_private_ca_and_a_login(tmp_path, certificate, monkeypatch):
    from aiosmtpd.smtp import AuthResult
    logins = []

    def authenticator(server, session, envelope, mechanism, data):
        logins.append((session.ssl is not None, data.login, data.password))
        return AuthResult(success=data.login == b"opunt" and data.password == b"g3heim wachtwoord")

    sink = tls_sink(certificate, authenticator=authenticator, auth_required=True)
    sink.start()
    monkeypatch.setenv("KIOSK_SMTP_CA_FILE", str(certificate[0]))
    monkeypatch.setenv("KIOSK_SMTP_USER", "opunt")
    monkeypatch.setenv("KIOSK_SMTP_PASSWORD", "g3heim wachtwoord")
    service = mail_service(tmp_path, sink.port)
    service.start()
    try:
        coordinator = service.token("coordinator", "Els")
        row = queue(service, new_signal(service, coordinator))
        [(_, msg)] = sink.wait_for(1)
        assert msg["Message-ID"] == row["message_id"]
        assert sink.sessions_with_tls == [True], "the message went over TLS"
        assert logins and all(tls for tls, _, _ in logins), "the password only crossed inside TLS"
    finally:
        service.stop()
        sink.stop()
    assert "g3heim" not in service.stderr.read_text() + service.stdout.read_text()


def test_an_untrusted_certificate_is_refused(tmp_path, certificate):
    sink = tls_sink(certificate)
    sink.start()
    service = mail_service(tmp_path, sink.port)  # no KIOSK_SMTP_CA_FILE: the system's CAs only
    service.start()
    try:
        coordinator = service.token("coordinator", "Els")
        reference = new_signal(service, coordinator)
        queue(service, reference)
        [item] = wait_until(lambda: [m for m in messages(service, reference, coordinator) if m["attempts"] >= 1],
                            what="an attempt")
        assert item["status"] == "queued"
        assert item["last_error"].startswith("the SMTP server's certificate is not trusted"), item
        assert sink.messages == []
    finally:
        service.stop()
        sink.stop()


def test_a_relay_that_never_answers_blocks_no_request_and_no_shutdown(tmp_path):
    """A server that accepts the connection and then says nothing: HTTP answers stay quick, the
    attempt ends at the connect timeout (~10 s), and SIGTERM during a send stops at once."""
    import socket
    import threading
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                pass

    threading.Thread(target=accept, daemon=True).start()
    service = mail_service(tmp_path, listener.getsockname()[1])
    service.start()
    try:
        coordinator = service.token("coordinator", "Els")
        reference = new_signal(service, coordinator)
        queue(service, reference)
        wait_until(lambda: held, timeout=5, what="a connection to the silent relay")
        slowest = 0.0
        for _ in range(20):
            started = time.monotonic()
            assert requests.get(service.url("/healthz"), timeout=5).status_code == 200
            messages(service, reference, coordinator)
            slowest = max(slowest, time.monotonic() - started)
            time.sleep(0.1)
        assert slowest < 1.0, f"a request took {slowest:.2f} s while the relay was silent"
        [item] = wait_until(lambda: [m for m in messages(service, reference, coordinator) if m["attempts"] >= 1],
                            timeout=20, what="the attempt to time out")
        assert item["status"] == "queued"
        assert item["last_error"] == "the SMTP server did not answer in time", item
        # The retry 10 s later connects again and waits; stopping now must not wait for curl's timeout.
        held.clear()
        wait_until(lambda: held, timeout=15, what="the retry's connection")
        started = time.monotonic()
        assert service.stop() == 0
        assert time.monotonic() - started < 5, "SIGTERM aborts the send in flight"
        with sqlite3.connect(service.db) as db:
            assert db.execute("SELECT status FROM outbox_message").fetchone() == ("queued",), "it goes out after a restart"
    finally:
        stop.set()
        service.kill()
        for conn in held:
            conn.close()
        listener.close()


def test_export_person_lists_messages_and_erase_blanks_them(mailed, smtp_server):
    from harness import cli
    reference = new_signal(mailed, mailed.coordinator)
    row = queue(mailed, reference, to="Marie.Peeters@voorbeeld.be")
    smtp_server.wait_for(1)
    wait_until(lambda: messages(mailed, reference, mailed.coordinator)[0]["status"] == "sent", what="sent")
    exported = json.loads(cli("export-person", "--email", "marie.peeters@voorbeeld.be", "--db", str(mailed.db)).stdout)
    [message] = exported["messages"]
    assert message["subject"] == row["subject"] and message["body_text"] == row["body_text"]
    assert message["status"] == "sent" and message["signal_reference"] == reference
    cli("export-person", "--email", "marie.peeters@voorbeeld.be", "--erase", "--db", str(mailed.db))
    [item] = messages(mailed, reference, mailed.coordinator)
    assert item["to"] is None and item["subject"] is None
    assert item["status"] == "sent" and item["sent_at"] is not None, "kind, status and times stay for the figures"
    again = json.loads(cli("export-person", "--email", "marie.peeters@voorbeeld.be", "--db", str(mailed.db)).stdout)
    assert again["messages"] == []
