"""Fixtures of the live tests; the helpers they use are in tests/harness.py."""

from __future__ import annotations

import pytest

from harness import Service, SMTPSink


@pytest.fixture
def service(tmp_path):
    s = Service(tmp_path, extra_config={"limits": {"max_body_bytes": 1048576, "public_per_minute": 0}})
    s.start()
    yield s
    if s.proc is not None:
        s.proc.kill()
        s.proc.wait()


@pytest.fixture
def smtp_server():
    sink = SMTPSink()
    sink.start()
    yield sink
    sink.stop()
