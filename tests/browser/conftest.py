"""Fixtures for the browser tests: a running service, its tokens, and headless Chromium.

The service is the built kiosk-backend (the real one: there is no stand-in), started on a
free loopback port with a fresh database:

    KIOSK_BIN  path to kiosk-backend (default: .build/debug/kiosk-backend)
    KIOSK_CONFIG  config file (default: config/ostend.json)
    CHROMIUM, CHROMEDRIVER  browser and driver (default: Debian's)
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from harness import ROOT, Service
from helpers import make_driver


def _config_path() -> Path:
    return Path(os.environ.get("KIOSK_CONFIG") or ROOT / "config" / "ostend.json")


class Backend(Service):
    """The service for the browser tests (tests/harness.py's `Service`), with the tokens the tests
    share; a test may stop it and start it again on the same port and database."""

    def __init__(self, workdir: Path):
        super().__init__(workdir, config=_config_path())
        self.config_file = self.config
        self.tokens: dict[str, str] = {}

    def create_token(self, role: str, name: str, site: str | None = None) -> str:
        return self.token(role, name, site)

    def enrol_code(self, name: str = "kiosk-test", site: str | None = None) -> str:
        return super().enrol_code(site or self.site, name)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                super().stop(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None
        # Wait until the port refuses connections.
        for _ in range(50):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.1)

    def api(self, method: str, path: str, token: str | None = None, body=None, headers=None):
        """(status, parsed JSON or None) for one request."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", "Bearer " + token)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                raw = r.read()
                return r.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw) if raw else None
            except ValueError:
                return e.code, None


@pytest.fixture(scope="session")
def backend(tmp_path_factory):
    b = Backend(tmp_path_factory.mktemp("service"))
    config = json.loads(b.config_file.read_text())
    sites = [s["key"] for s in config["sites"]]
    site = "stadhuis" if "stadhuis" in sites else sites[0]
    other = next((s for s in sites if s != site), None)
    b.site = site
    b.other_site = other
    b.tokens["kiosk"] = b.create_token("kiosk", "kiosk-test-1", site)
    b.tokens["desk"] = b.create_token("desk", "balie-test-1", site)
    b.tokens["coordinator"] = b.create_token("coordinator", "coordinator-test")
    if other:
        b.tokens["desk_other"] = b.create_token("desk", "balie-test-2", other)
    b.start()
    yield b
    b.stop()


@pytest.fixture(scope="session")
def config(backend):
    status, doc = backend.api("GET", "/api/v1/config")
    assert status == 200, doc
    return doc


@pytest.fixture
def driver():
    """A portrait counter screen (1080 × 1920)."""
    d = make_driver(1080, 1920)
    yield d
    d.quit()


@pytest.fixture
def desk_driver():
    """A desk computer screen (1366 × 900)."""
    d = make_driver(1366, 900)
    yield d
    d.quit()


@pytest.fixture
def wide_driver():
    """An office or agent's screen (1920 × 1080): the back office, department inbox and agent console."""
    d = make_driver(1920, 1080)
    yield d
    d.quit()


@pytest.fixture
def web_driver():
    """A home computer's browser window (1280 × 1000): the website form and the status page."""
    d = make_driver(1280, 1000)
    yield d
    d.quit()
