"""References as people type them (CONTRACT §4, issue 13): Crockford base 32 has no O, I, L or U,
and a look-up reads O as 0 and I/L as 1, a zero typed for the prefix's O, any dash, and the
hyphens left out, on the staff API and on the reporter's status API alike."""

from __future__ import annotations

import pytest
import requests

from harness import Service, auth

SIGNAL = {"kind": "report", "category": "overlast/zwerfvuil", "description": "Zwerfvuil aan de Visserskaai"}
LOOK_ALIKES = set("OILU")


def typings(ref: str) -> list[str]:
    """What a person may type for ref, each built from it independently of the service's rule."""
    body = ref[3:]  # XXXX-XXXX
    plain = body.replace("-", "")
    return [
        ref.lower(),
        "OP-" + body.replace("0", "O").replace("1", "I"),
        "op-" + body.lower().replace("1", "l"),
        "0P-" + body,
        "OP" + plain,
        "op " + plain[:4] + " " + plain[4:],
        "OP\u2013" + plain[:4] + "\u2013" + plain[4:],
    ]


@pytest.fixture
def service(tmp_path):
    """The service with the per-address limits off: this test makes many look-ups from one address."""
    s = Service(tmp_path, extra_config={"limits": {"public_per_minute": 0, "status_per_minute": 0}})
    s.start()
    yield s
    s.stop()


def test_references_avoid_look_alikes_and_typed_forms_find_the_signal(service):
    kiosk = service.token("kiosk", "kiosk ref 1", "stadhuis")
    agent = service.token("agent", "agent ref 1")
    made = []
    for _ in range(40):
        r = requests.post(service.url("/api/v1/signals"), json=SIGNAL, headers=auth(kiosk), timeout=5)
        assert r.status_code == 201, r.text
        made.append((r.json()["reference"], r.json()["status_key"]))
    for ref, _ in made:
        assert not set(ref[3:]) & LOOK_ALIKES, ref
    # Enough references to hold a 0 or a 1, so the O/I/L reading is exercised.
    with_digits = [(ref, key) for ref, key in made if set(ref[3:]) & set("01")][:5] or made[:5]
    for ref, key in with_digits:
        for typed in typings(ref):
            got = requests.get(service.url(f"/api/v1/signals/{requests.utils.quote(typed)}"), headers=auth(agent), timeout=5)
            assert got.status_code == 200 and got.json()["reference"] == ref, (typed, got.status_code)
            status = requests.get(service.url(f"/api/v1/status/{requests.utils.quote(typed)}"), params={"key": key}, timeout=5)
            assert status.status_code == 200 and status.json()["reference"] == ref, (typed, status.status_code)
    # Look-alikes that no reading turns into this reference still miss it.
    ref = made[0][0]
    wrong = "OP-" + ("Z" if ref[3] != "Z" else "Y") + ref[4:]
    assert requests.get(service.url(f"/api/v1/signals/{wrong}"), headers=auth(agent), timeout=5).status_code == 404
    for garbage in ("OP-7K3M-9XQU", "OP-7K3M9XQ22", "XP-7K3M-9XQ2", "OP" + "-" * 40):
        r = requests.get(service.url(f"/api/v1/signals/{requests.utils.quote(garbage)}"), headers=auth(agent), timeout=5)
        assert r.status_code == 404, (garbage, r.status_code)
