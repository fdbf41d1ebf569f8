"""Issue 9: bodies built to make the parsers work hard (items 1, 8 and 15) against the real binary.

Nested JSON that cost quadratic CPU, a duplicate key whose first value won, and a "1-character"
text of a megabyte of combining marks: each is refused with a problem document at once, costs
the service little CPU, stores nothing, and a normal client elsewhere is answered meanwhile.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
import requests

from harness import SIGNAL, Service, auth, probe, cpu_seconds, problem, serve


# A body limit well above the attacks, so that what refuses them is the parser's or the field's rule.
LIMITS = {"limits": {"max_body_bytes": 4 << 20, "public_per_minute": 0}}
COMBINING = "\u0301".encode() * 500_000  # U+0301 COMBINING ACUTE ACCENT, 2 bytes each: 1 MB


@pytest.fixture
def svc(tmp_path):
    yield from serve(Service(tmp_path, extra_config=LIMITS))


def rows(svc, table: str) -> int:
    with sqlite3.connect(svc.db) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def nested(numbers: int) -> bytes:
    """The issue's body: {"x": 500 × [, the numbers, 500 × ]}."""
    return b'{"x":' + b"[" * 500 + b",".join([b"1"] * numbers) + b"]" * 500 + b"}"


def post_json(svc, path: str, body: bytes, token: str | None = None) -> requests.Response:
    return requests.post(svc.url(path), data=body, headers={"Content-Type": "application/json", **auth(token)},
                         timeout=30)


@pytest.mark.parametrize("numbers,size", [(8_000, 17_000), (200_000, 400_000)])
def test_nested_body_twice_at_once_is_refused_at_once(svc, numbers, size):
    body = nested(numbers)
    assert abs(len(body) - size) < size // 10
    results: list[tuple[requests.Response, float]] = []

    def attack():
        start = time.monotonic()
        r = post_json(svc, "/api/v1/signals", body)
        results.append((r, time.monotonic() - start))

    cpu_before = cpu_seconds(svc)
    threads = [threading.Thread(target=attack) for _ in range(2)]
    for t in threads:
        t.start()
    # A normal client from another address is answered while the attacks run.
    assert probe(svc, "/healthz", source="127.0.0.2") == 200
    for t in threads:
        t.join(timeout=30)
    assert len(results) == 2
    for r, seconds in results:
        assert r.status_code == 400, r.text
        assert problem(r)["detail"] == "The body is not valid JSON: nested deeper than 4 levels at byte 8."
        assert seconds < 5
    # Before: 18.7 s of CPU for one 17 KB body. Now the parse stops at the fifth bracket.
    assert cpu_seconds(svc) - cpu_before < 2.0
    assert probe(svc, "/api/v1/config", source="127.0.0.2") == 200
    assert rows(svc, "signal") == 0


def test_duplicate_key_is_400_and_nothing_is_stored(svc):
    body = b'{"kind": "report", "category": "overlast", "description": "x", "kind": "question"}'
    r = post_json(svc, "/api/v1/signals", body)
    assert r.status_code == 400, r.text
    assert problem(r)["detail"] == 'The body is not valid JSON: duplicate key "kind" at byte 63.'
    assert rows(svc, "signal") == 0
    # The same body without the second "kind" is a valid signal: it is the duplicate that is refused.
    ok = post_json(svc, "/api/v1/signals", body.replace(b', "kind": "question"', b""))
    assert ok.status_code == 201, ok.text


def test_description_of_combining_marks_is_422_naming_the_byte_limit(svc):
    body = b'{"kind": "report", "category": "overlast", "description": "a' + COMBINING + b'"}'
    assert len(body) > 1_000_000
    cpu_before = cpu_seconds(svc)
    r = post_json(svc, "/api/v1/signals", body)
    assert r.status_code == 422, r.text
    assert problem(r)["errors"] == [{"field": "description", "message": "must be at most 20000 bytes"}]
    assert cpu_seconds(svc) - cpu_before < 2.0
    assert rows(svc, "signal") == 0


def test_cti_form_field_of_combining_marks_is_422_naming_the_byte_limit(svc):
    pbx = svc.token("pbx", "exchange")
    body = b"event=newCall&callId=hostile-1&from=1" + COMBINING
    r = requests.post(svc.url(f"/api/v1/cti/{pbx}"), data=body,
                      headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
    assert r.status_code == 422, r.text
    assert problem(r)["errors"] == [{"field": "from", "message": "must be at most 512 bytes"}]
    assert rows(svc, "call") == 0


def test_cti_json_with_a_duplicate_key_is_400(svc):
    pbx = svc.token("pbx", "exchange")
    body = b'{"event": "newCall", "callId": "1", "callId": "2"}'
    r = post_json(svc, f"/api/v1/cti/{pbx}", body)
    assert r.status_code == 400, r.text
    assert problem(r)["detail"] == 'The body is not valid JSON: duplicate key "callId" at byte 36.'
    assert rows(svc, "call") == 0


def test_patch_answer_of_combining_marks_is_422_and_changes_nothing(svc):
    coordinator = svc.token("coordinator", "coordinator 1")
    created = requests.post(svc.url("/api/v1/signals"), json=SIGNAL, timeout=10)
    assert created.status_code == 201, created.text
    reference = created.json()["reference"]
    changes = rows(svc, "signal_change")
    body = b'{"answer": "a' + COMBINING + b'"}'
    r = requests.patch(svc.url(f"/api/v1/signals/{reference}"), data=body,
                       headers={"Content-Type": "application/json", **auth(coordinator)}, timeout=30)
    assert r.status_code == 422, r.text
    assert problem(r)["errors"] == [{"field": "answer", "message": "must be at most 40000 bytes"}]
    stored = requests.get(svc.url(f"/api/v1/signals/{reference}"), headers=auth(coordinator), timeout=10)
    assert stored.status_code == 200
    assert stored.json().get("answer") is None
    assert rows(svc, "signal_change") == changes


def test_draft_answers_of_combining_marks_are_422(svc):
    kiosk = svc.token("kiosk", "kiosk 1", "stadhuis")
    body = b'{"answers": {"contact": {"name": "a' + COMBINING + b'"}}, "language": "nl"}'
    r = post_json(svc, "/api/v1/drafts", body, token=kiosk)
    assert r.status_code == 422, r.text
    assert problem(r)["errors"] == [{"field": "answers.contact.name", "message": "must be at most 20000 bytes"}]
    assert rows(svc, "draft") == 0
