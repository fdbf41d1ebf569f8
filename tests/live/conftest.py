"""Live tests: the real kiosk-backend binary on a free loopback port with a
temporary SQLite file. KIOSK_BIN names the binary (default .build/debug/kiosk-backend)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("KIOSK_BIN", str(ROOT / ".build/debug/kiosk-backend"))
CONFIG = ROOT / "config" / "ostend.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    out = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60, cwd=ROOT)
    if check and out.returncode != 0:
        raise AssertionError(f"{args} failed ({out.returncode}): {out.stderr}")
    return out


class Service:
    """One service process; a test may stop it (SIGTERM or SIGKILL) and start it again on the same database."""

    def __init__(self, workdir: Path, config: Path = CONFIG, extra_config: dict | None = None):
        self.workdir = workdir
        self.db = workdir / "kiosk.sqlite"
        self.config = config
        if extra_config:
            data = json.loads(config.read_text())
            data.update(extra_config)
            self.config = workdir / "config.json"
            self.config.write_text(json.dumps(data))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.stdout = workdir / "stdout.log"
        self.stderr = workdir / "stderr.log"

    def token(self, role: str, name: str, site: str | None = None) -> str:
        args = ["token", "create", "--role", role, "--name", name, "--db", str(self.db), "--config", str(self.config)]
        if site:
            args += ["--site", site]
        out = cli(*args)
        lines = out.stdout.splitlines()
        assert len(lines) == 1, out.stdout
        return lines[0]

    def start(self, timeout: float = 30) -> None:
        self.proc = subprocess.Popen(
            [BIN, "serve", "--config", str(self.config), "--db", str(self.db), "--port", str(self.port),
             "--host", "127.0.0.1"],
            stdout=open(self.stdout, "ab"), stderr=open(self.stderr, "ab"), cwd=ROOT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"service exited: {self.stderr.read_text()[-2000:]}"
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise AssertionError("service did not become healthy")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        assert self.proc is not None
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=timeout)
        self.proc = None
        return code

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def service(tmp_path):
    s = Service(tmp_path, extra_config={"limits": {"max_body_bytes": 1048576, "public_per_minute": 0}})
    s.start()
    yield s
    if s.proc is not None:
        s.proc.kill()
        s.proc.wait()


SIGNAL = {"kind": "report", "category": "overlast/zwerfvuil", "description": "Zwerfvuil aan de bushalte",
          "district": "centrum", "address": "Kapellestraat 12"}


def auth(token: str | None) -> dict:
    return {"Authorization": f"Bearer {token}"} if token else {}
