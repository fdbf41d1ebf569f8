"""Issue 10, what is said (docs/interface.md §11): every message is queued in the transaction of its
cause, in the recipient's language, and says what its row of the table says. Read back from
the service's own `outbox_message` table (the delivery worker and its SMTP tests are the mail
helper's part); the status and feedback links are followed on the running service."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
import requests

from harness import BIN, CONFIG, ROOT, SIGNAL, Service, auth, problem

REPORTER = {"name": "Jan Peeters", "email": "jan.peeters@example.com", "phone": "0471 12 34 56"}


def recipients_config() -> dict:
    """Reserved addresses for every department and external party, so each message has a recipient."""
    data = json.loads(CONFIG.read_text())
    for d in data["departments"]:
        d["email"] = f"{d['key']}@stad.example.invalid"
    for p in data["external_parties"]:
        p["email"] = f"{p['key']}@partij.example.invalid"
    return {"departments": data["departments"], "external_parties": data["external_parties"],
            "limits": {"max_body_bytes": 1048576, "public_per_minute": 0}}


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    s = Service(tmp_path_factory.mktemp("messages"), extra_config=recipients_config())
    s.start()
    s.tokens = {role: s.token(role, f"{role} 1") for role in ("coordinator", "agent")}
    s.tokens["desk"] = s.token("desk", "desk 1", "stadhuis")
    yield s
    s.kill()


def rows(svc, reference: str | None = None) -> list[dict]:
    with sqlite3.connect(svc.db) as db:
        db.row_factory = sqlite3.Row
        if reference is None:
            return [dict(r) for r in db.execute("SELECT * FROM outbox_message ORDER BY id")]
        return [dict(r) for r in db.execute("SELECT * FROM outbox_message WHERE signal_reference = ? ORDER BY id", (reference,))]


def status_key(svc, reference: str) -> str:
    with sqlite3.connect(svc.db) as db:
        return db.execute("SELECT status_key FROM signal WHERE reference = ?", (reference,)).fetchone()[0]


def create(svc, contact: dict | None = REPORTER, language: str = "nl", **extra) -> str:
    body = {**SIGNAL, **extra}
    if contact is not None:
        body["contact"] = {**contact, "language": language}
    r = requests.post(svc.url("/api/v1/signals"), json=body, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()["reference"]


def patch(svc, reference: str, body: dict) -> requests.Response:
    return requests.patch(svc.url(f"/api/v1/signals/{reference}"), json=body,
                          headers=auth(svc.tokens["coordinator"]), timeout=10)


def only(messages: list[dict], kind: str) -> dict:
    found = [m for m in messages if m["kind"] == kind]
    assert len(found) == 1, [m["kind"] for m in messages]
    return found[0]


def status_link(svc, reference: str) -> str:
    return f"{svc.base}/status/{reference}?key={status_key(svc, reference)}"


def follow(svc, link: str) -> None:
    """The link's page answers 200, and so does the API behind it (same path under /api/v1)."""
    assert link.startswith(svc.base + "/")
    assert requests.get(link, timeout=10).status_code == 200, link
    api = requests.get(link.replace(svc.base + "/", svc.base + "/api/v1/", 1), timeout=10)
    assert api.status_code == 200, (link, api.text)


def test_acknowledgement_in_the_reporters_language_with_the_status_link(svc):
    body = {**SIGNAL, "kind": "complaint", "contact": {**REPORTER, "language": "fr"}}
    created = requests.post(svc.url("/api/v1/signals"), json=body, timeout=10)
    assert created.status_code == 201, created.text
    reference = created.json()["reference"]
    assert created.json()["status_key"] == status_key(svc, reference)
    message = only(rows(svc, reference), "acknowledgement")
    assert message["recipient"] == REPORTER["email"]
    assert message["language"] == "fr" and message["status"] == "queued"
    assert reference in message["subject"] and "plainte" in message["subject"]
    key = status_key(svc, reference)
    assert len(key) == 20
    for body in (message["body_text"], message["body_html"]):
        assert status_link(svc, reference) in body
        assert "0800 1 8400" in body and "opunt@oostende.be" in body
        assert "au plus tard le" in body  # the due date, 45 days for a complaint
    follow(svc, status_link(svc, reference))
    assert re.fullmatch(r"<[0-9a-f-]{36}@kiosk-backend\.invalid>", message["message_id"])


def test_every_channel_acknowledges_and_nothing_without_an_email_address(svc):
    phone = requests.post(svc.url("/api/v1/signals"), json={**SIGNAL, "channel": "phone", "contact": {**REPORTER, "language": "en"}},
                          headers=auth(svc.tokens["agent"]), timeout=10)
    assert phone.status_code == 201, phone.text
    assert only(rows(svc, phone.json()["reference"]), "acknowledgement")["language"] == "en"

    letter = requests.post(svc.url("/api/v1/signals"), json={**SIGNAL, "channel": "letter", "contact": {"name": "An Peeters"}},
                           headers=auth(svc.tokens["desk"]), timeout=10)
    assert letter.status_code == 201, letter.text
    assert rows(svc, letter.json()["reference"]) == []
    assert rows(svc, create(svc, contact=None)) == []


def test_a_refused_signal_queues_nothing(svc):
    before = len(rows(svc))
    r = requests.post(svc.url("/api/v1/signals"), json={**SIGNAL, "category": "bestaat-niet", "contact": REPORTER}, timeout=10)
    assert r.status_code == 422, r.text
    assert len(rows(svc)) == before


def test_answer_with_feedback_link_once_and_the_preview_equals_it(svc):
    reference = create(svc, language="en")
    answer = "We cleaned the bus stop on Monday.\nThank you for telling us. <b>not bold</b>"
    preview = requests.post(svc.url(f"/api/v1/signals/{reference}/answer-preview"), json={"answer": answer},
                            headers=auth(svc.tokens["coordinator"]), timeout=10)
    assert preview.status_code == 200, preview.text
    shown = preview.json()
    assert shown["to"] == REPORTER["email"] and shown["channel"] == "email" and shown["language"] == "en"
    assert rows(svc, reference)[-1]["kind"] == "acknowledgement"  # a preview stores nothing

    assert patch(svc, reference, {"status": "in_progress"}).status_code == 200
    r = patch(svc, reference, {"status": "answered", "answer": answer})
    assert r.status_code == 200, r.text
    message = only(rows(svc, reference), "answer")
    assert message["recipient"] == REPORTER["email"] and message["language"] == "en"
    assert reference in message["subject"]
    assert "We cleaned the bus stop on Monday." in message["body_text"]
    assert "&lt;b&gt;not bold&lt;/b&gt;" in message["body_html"] and "<b>not bold</b>" in message["body_text"]
    assert status_link(svc, reference) in message["body_text"]
    tokens = re.findall(re.escape(svc.base) + r"/feedback/([0-9A-Z]+)", message["body_text"])
    assert len(tokens) == 1 and len(tokens[0]) == 40
    with sqlite3.connect(svc.db) as db:
        asked = db.execute("SELECT token_hash FROM feedback WHERE signal_reference = ?", (reference,)).fetchall()
    assert asked == [(hashlib.sha256(tokens[0].encode()).hexdigest(),)]
    follow(svc, f"{svc.base}/feedback/{tokens[0]}")
    follow(svc, status_link(svc, reference))

    # The preview is the message, secrets shown as "…".
    def hide(text: str) -> str:
        return text.replace(status_key(svc, reference), "…").replace(tokens[0], "…")
    assert shown["subject"] == message["subject"]
    assert shown["text"] == hide(message["body_text"])
    assert shown["html"] == hide(message["body_html"])

    # Saving the same state again is no new cause.
    assert patch(svc, reference, {"status": "answered", "answer": answer}).status_code == 200
    assert len([m for m in rows(svc, reference) if m["kind"] == "answer"]) == 1


def test_external_route_forwards_with_consent_and_the_answer_names_the_party(svc):
    reference = create(svc, language="de", category="mobiliteit/openbaar-vervoer")
    r = patch(svc, reference, {"route": "external", "external_party": "de-lijn", "consent_forward": True})
    assert r.status_code == 200, r.text
    forward = only(rows(svc, reference), "forward")
    assert forward["recipient"] == "de-lijn@partij.example.invalid"
    assert forward["language"] == "nl"  # the city's first language
    for field in REPORTER.values():
        assert field in forward["body_text"] and field in forward["body_html"]
    assert SIGNAL["description"] in forward["body_text"] and reference in forward["subject"]
    # The same route again: no second forward.
    assert patch(svc, reference, {"route": "external", "external_party": "de-lijn", "consent_forward": True}).status_code == 200
    assert len([m for m in rows(svc, reference) if m["kind"] == "forward"]) == 1

    assert patch(svc, reference, {"status": "in_progress"}).status_code == 200
    assert patch(svc, reference, {"status": "answered", "answer": "Dafür ist De Lijn zuständig."}).status_code == 200
    answer = only(rows(svc, reference), "answer")
    assert answer["language"] == "de"
    for detail in ("De Lijn", "070 220 200", "https://www.delijn.be"):
        assert detail in answer["body_text"] and detail in answer["body_html"]


def test_no_forward_without_consent(svc):
    reference = create(svc, category="mobiliteit/openbaar-vervoer")
    assert patch(svc, reference, {"route": "external", "external_party": "de-lijn", "consent_forward": False}).status_code == 200
    assert [m["kind"] for m in rows(svc, reference)] == ["acknowledgement"]


def test_department_message_holds_no_contact_details(svc):
    reference = create(svc, description=f"Vuil aan de bushalte. Bel mij: {REPORTER['phone']}, {REPORTER['email']}")
    r = patch(svc, reference, {"route": "opunt", "department": "wegen"})
    assert r.status_code == 200, r.text
    message = only(rows(svc, reference), "department")
    assert message["recipient"] == "wegen@stad.example.invalid" and message["language"] == "nl"
    for body in (message["subject"], message["body_text"], message["body_html"]):
        for personal in ("Jan", "Peeters", REPORTER["email"], "0471", "12 34 56"):
            assert personal not in body, personal
    assert f"{svc.base}/backoffice#{reference}" in message["body_text"]
    assert "Kapellestraat 12" in message["body_text"] and "Zwerfvuil" in message["body_text"]
    assert "Vuil aan de bushalte." in message["body_text"]
    # Re-saving the route queues nothing; another department is a new cause.
    assert patch(svc, reference, {"route": "opunt", "department": "wegen"}).status_code == 200
    assert len([m for m in rows(svc, reference) if m["kind"] == "department"]) == 1
    assert patch(svc, reference, {"route": "special_procedure", "special_procedure": "gas-verweer"}).status_code == 200
    latest = [m for m in rows(svc, reference) if m["kind"] == "department"]
    assert [m["recipient"] for m in latest] == ["wegen@stad.example.invalid", "gas@stad.example.invalid"]


def test_a_refused_change_queues_nothing(svc):
    reference = create(svc)
    before = rows(svc, reference)
    r = patch(svc, reference, {"route": "opunt", "department": "bestaat-niet"})
    assert r.status_code == 422, r.text
    # received → answered skips a step: 409, and neither the answer nor the department's message goes out.
    r = patch(svc, reference, {"route": "opunt", "department": "wegen", "status": "answered", "answer": "Te vroeg."})
    assert r.status_code == 409, r.text
    assert rows(svc, reference) == before
    with sqlite3.connect(svc.db) as db:
        assert db.execute("SELECT count(*) FROM feedback WHERE signal_reference = ?", (reference,)).fetchone() == (0,)


def test_ombuds_referral_sends_the_ombudsmans_details_once(svc):
    reference = create(svc, language="nl")
    path = svc.url(f"/api/v1/signals/{reference}/ombuds-referral")
    assert requests.post(path, headers=auth(svc.tokens["coordinator"]), timeout=10).status_code == 201
    message = only(rows(svc, reference), "ombudsman")
    assert message["recipient"] == REPORTER["email"] and message["language"] == "nl"
    for detail in ("Vlaamse Ombudsdienst", "klachten@vlaamseombudsdienst.be", "1700"):
        assert detail in message["body_text"] and detail in message["body_html"]
    assert requests.post(path, headers=auth(svc.tokens["coordinator"]), timeout=10).status_code == 200
    assert len([m for m in rows(svc, reference) if m["kind"] == "ombudsman"]) == 1


def test_the_reporters_own_referral_on_the_feedback_page_sends_the_ombudsmans_details(svc):
    reference = create(svc, language="en")
    assert patch(svc, reference, {"status": "in_progress"}).status_code == 200
    assert patch(svc, reference, {"status": "answered", "answer": "No."}).status_code == 200
    token = re.findall(r"/feedback/([0-9A-Z]+)", only(rows(svc, reference), "answer")["body_text"])[0]
    r = requests.post(svc.url(f"/api/v1/feedback/{token}"),
                      json={"satisfied": False, "reasons": [], "text": "", "ombudsman": True}, timeout=10)
    assert r.status_code in (200, 201), r.text
    message = only(rows(svc, reference), "ombudsman")
    assert message["recipient"] == REPORTER["email"] and message["language"] == "en"
    assert "klachten@vlaamseombudsdienst.be" in message["body_text"]


def test_answer_preview_rules(svc):
    reference = create(svc, contact=None)
    path = svc.url(f"/api/v1/signals/{reference}/answer-preview")
    coordinator = auth(svc.tokens["coordinator"])
    r = requests.post(path, json={"answer": "Opgeruimd."}, headers=coordinator, timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["to"] is None and r.json()["channel"] == "none"
    assert "/feedback/" not in r.json()["text"]  # no e-mail, no satisfaction question

    # A postal address and no e-mail: the answer goes out as a printed letter, which carries the
    # real status link (the reporter needs the key); without an address it cannot be delivered.
    letter_body = {**SIGNAL, "channel": "letter",
                   "contact": {"name": "An Peeters", "postal_address": "Kapellestraat 12\n8400 Oostende"}}
    letter_signal = requests.post(svc.url("/api/v1/signals"), json=letter_body,
                                  headers=auth(svc.tokens["desk"]), timeout=10).json()
    letter = letter_signal["reference"]
    r = requests.post(svc.url(f"/api/v1/signals/{letter}/answer-preview"), json={"answer": "Opgeruimd."}, headers=coordinator, timeout=10)
    assert r.status_code == 200 and r.json()["channel"] == "letter" and r.json()["to"] is None
    assert f"/status/{letter}?key={letter_signal['status_key']}" in r.json()["text"]
    bare = requests.post(svc.url("/api/v1/signals"), json={**SIGNAL, "channel": "letter"},
                         headers=auth(svc.tokens["desk"]), timeout=10).json()["reference"]
    r = requests.post(svc.url(f"/api/v1/signals/{bare}/answer-preview"), json={"answer": "Opgeruimd."}, headers=coordinator, timeout=10)
    assert r.status_code == 200 and r.json()["channel"] == "none"

    assert requests.post(path, json={"answer": "x"}, headers=auth(svc.tokens["desk"]), timeout=10).status_code == 403
    assert requests.post(path, json={"answer": "x"}, timeout=10).status_code == 401
    for body, field in (({"answer": ""}, "answer"), ({}, "answer"), ({"answer": "x", "status": "answered"}, "status"),
                        ({"answer": "é" * 10_001}, "answer")):
        r = requests.post(path, json=body, headers=coordinator, timeout=10)
        assert r.status_code == 422, (body, r.text)
        assert [e["field"] for e in problem(r)["errors"]] == [field]
    r = requests.post(svc.url("/api/v1/signals/ZZZZZZZZ/answer-preview"), json={"answer": "x"}, headers=coordinator, timeout=10)
    assert r.status_code == 404
    r = requests.post(path, data=b'{"answer": "x"}', headers={**coordinator, "Content-Type": "text/plain"}, timeout=10)
    assert r.status_code == 415
    assert rows(svc, reference) == [] and rows(svc, letter) == []


def templates_service(workdir: Path, templates: Path) -> Service:
    """The service with `--templates-dir`."""
    return Service(workdir, extra_config={"limits": {"max_body_bytes": 1048576, "public_per_minute": 0}},
                   extra_args=["--templates-dir", str(templates)])


def test_templates_are_checked_at_start_up(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    broken = templates / "mail" / "fr" / "answer.html.mustache"
    broken.write_text("<p>{{#answer_lines}}{{.}}</p>\n")
    db = tmp_path / "kiosk.sqlite"
    out = subprocess.run([BIN, "serve", "--db", str(db), "--port", "0", "--templates-dir", str(templates)],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 78, out
    assert f"{broken}:" in out.stderr and "does not parse" in out.stderr

    broken.unlink()
    out = subprocess.run([BIN, "serve", "--db", str(db), "--port", "0", "--templates-dir", str(templates)],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 78, out
    assert f"{broken}: cannot read the mail template" in out.stderr


def test_a_language_without_templates_falls_back_to_dutch(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    shutil.rmtree(templates / "mail" / "de")
    s = templates_service(tmp_path, templates)
    s.start()
    try:
        reference = create(s, language="de")
        message = only(rows(s, reference), "acknowledgement")
        assert message["language"] == "nl" and "is goed ontvangen" in message["subject"]
        assert "mail.language=de" in s.stderr.read_text()
    finally:
        s.stop()


def test_delivered_mail_is_the_queued_message(tmp_path, smtp_server):
    """Through the real SMTP client to a real server: the message that arrives is the row
    that was queued (recipient, subject, Message-ID, both bodies), links and all."""
    config = recipients_config()
    config["mail"] = {"smtp_url": f"smtp://127.0.0.1:{smtp_server.port}", "from": "O-punt Oostende <o-punt@oostende.be>"}
    s = Service(tmp_path, extra_config=config)
    s.start()
    s.tokens = {"coordinator": s.token("coordinator", "coordinator 1")}
    try:
        reference = create(s, language="de")
        assert patch(s, reference, {"route": "opunt", "department": "netheid"}).status_code == 200
        queued = rows(s, reference)
        delivered = smtp_server.wait_for(len(queued))
        by_id = {parsed["Message-ID"]: (envelope, parsed) for envelope, parsed in delivered}
        for row in queued:
            envelope, parsed = by_id[row["message_id"]]
            assert row["message_id"].endswith("@oostende.be>")
            assert envelope.rcpt_tos == [row["recipient"]]
            assert parsed["Subject"] == row["subject"] and reference in parsed["Subject"]
            text = parsed.get_body(("plain",)).get_content()
            html = parsed.get_body(("html",)).get_content()
            assert text.replace("\r\n", "\n").rstrip("\n") == row["body_text"].rstrip("\n")
            assert html.replace("\r\n", "\n").rstrip("\n") == row["body_html"].rstrip("\n")
        ack = by_id[only(queued, "acknowledgement")["message_id"]][1]
        assert "Eingangsbestätigung" in ack["Subject"]
        follow(s, re.findall(re.escape(s.base) + r"/status/\S+", ack.get_body(("plain",)).get_content())[0])
        department = by_id[only(queued, "department")["message_id"]][1]
        assert department["To"] == "netheid@stad.example.invalid"
        for part in (department.get_body(("plain",)).get_content(), department.get_body(("html",)).get_content(), department["Subject"]):
            assert "Peeters" not in part and REPORTER["email"] not in part and REPORTER["phone"] not in part
    finally:
        s.stop()
