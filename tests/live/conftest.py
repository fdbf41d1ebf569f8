"""Fixtures of the live tests; the helpers they use are in tests/harness.py."""

from __future__ import annotations

import pytest

from harness import Service, SMTPSink, serve


@pytest.fixture
def service(tmp_path):
    yield from serve(Service(tmp_path, extra_config={"limits": {"max_body_bytes": 1048576, "public_per_minute": 0}}))


@pytest.fixture
def smtp_server():
    sink = SMTPSink()
    sink.start()
    yield sink
    sink.stop()
