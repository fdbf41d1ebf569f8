"""Fixtures for the browser tests: a running service, its tokens, and headless Chromium.

The service is the built kiosk-backend named by the KIOSK_BIN environment
variable, or, when it is unset, the mock in mock_api.py, which speaks the same
command line. Both are started on a free loopback port with a fresh database:

    KIOSK_BIN  path to kiosk-backend (optional)
    KIOSK_CONFIG  config file (default: config/ostend.json for the real
                  service, tests/browser/mock_config.json for the mock)
    CHROMIUM, CHROMEDRIVER  browser and driver (default: Debian's)
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _config_path(real: bool) -> Path:
    if os.environ.get("KIOSK_CONFIG"):
        return Path(os.environ["KIOSK_CONFIG"])
    if real and (ROOT / "config" / "ostend.json").exists():
        return ROOT / "config" / "ostend.json"
    return HERE / "mock_config.json"


class Backend:
    """One service process on a fixed port and database, which a test may stop and restart."""

    def __init__(self, workdir: Path):
        self.bin = os.environ.get("KIOSK_BIN")
        self.is_mock = not self.bin
        self.cmd = [self.bin] if self.bin else [sys.executable, str(HERE / "mock_api.py")]
        self.config_file = _config_path(real=not self.is_mock)
        self.workdir = workdir
        self.db = workdir / ("kiosk.sqlite" if self.bin else "mock-db.json")
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log = workdir / "service.log"
        self.tokens: dict[str, str] = {}

    def create_token(self, role: str, name: str, site: str | None = None) -> str:
        args = self.cmd + ["token", "create", "--role", role, "--name", name, "--db", str(self.db)]
        if site:
            args += ["--site", site]
        out = subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=ROOT)
        if out.returncode != 0:
            raise RuntimeError(f"token create failed: {out.stderr.strip()}")
        return out.stdout.strip().splitlines()[-1].strip()

    def enrol_code(self, name: str = "kiosk-test", site: str | None = None) -> str:
        """A one-time kiosk enrolment code from the command line (CONTRACT 10)."""
        args = self.cmd + ["kiosk", "enrol-code", "--site", site or self.site, "--name", name, "--db", str(self.db),
                           "--config", str(self.config_file)]
        out = subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=ROOT)
        if out.returncode != 0:
            raise RuntimeError(f"kiosk enrol-code failed: {out.stderr.strip()}")
        return out.stdout.strip().splitlines()[-1].strip()

    def start(self, timeout: float = 60) -> None:
        args = self.cmd + ["serve", "--config", str(self.config_file), "--db", str(self.db),
                           "--port", str(self.port), "--host", "127.0.0.1"]
        log = open(self.log, "ab")
        self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"service exited with {self.proc.returncode}: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.2)
        raise RuntimeError("service did not answer /healthz in time")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
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


def _chromium() -> str:
    for c in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if c and Path(c).exists():
            return c
    pytest.skip("chromium is not installed (apt-get install chromium chromium-driver)")


def _chromedriver() -> str:
    for c in (os.environ.get("CHROMEDRIVER"), "/usr/bin/chromedriver", shutil.which("chromedriver")):
        if c and Path(c).exists():
            return c
    pytest.skip("chromedriver is not installed (apt-get install chromium-driver)")


def make_driver(width: int, height: int):
    opts = webdriver.ChromeOptions()
    opts.binary_location = _chromium()
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
              f"--window-size={width},{height}", "--lang=nl-BE", "--disable-extensions",
              "--no-first-run", "--disable-background-networking"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=ChromeService(_chromedriver()), options=opts)
    d.set_script_timeout(60)
    return d


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
