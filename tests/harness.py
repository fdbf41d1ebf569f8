"""What the live and browser tests share: the real kiosk-backend binary on a free loopback
port with a temporary SQLite file, and the helpers that talk to it. KIOSK_BIN names the binary
(default .build/debug/kiosk-backend). Importable from every test folder (pytest.ini's pythonpath)."""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import os
import signal
import socket
import subprocess
import threading
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = os.environ.get("KIOSK_BIN", str(ROOT / ".build/debug/kiosk-backend"))
CONFIG = ROOT / "config" / "ostend.json"
# The bundled config's time zone: the service's "today" (call lists, reports) is a day in this zone,
# which is not the machine's day for an hour or two around midnight.
CITY_TZ = ZoneInfo(json.loads(CONFIG.read_text())["time_zone"])


def city_day(seconds: float | None = None) -> date:
    """The city's day of an instant (now by default): what the service calls that day."""
    return datetime.fromtimestamp(time.time() if seconds is None else seconds, CITY_TZ).date()


def seconds_into_city_day() -> float:
    """How long ago the city's day began: tests that need their past calls on today's list squeeze them into it."""
    now = datetime.now(CITY_TZ)
    return (now - now.replace(hour=0, minute=0, second=0, microsecond=0)).total_seconds()


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

    def __init__(self, workdir: Path, config: Path = CONFIG, extra_config: dict | None = None,
                 extra_args: list[str] | None = None):
        self.workdir = workdir
        # More `serve` options, e.g. ["--log-level", "trace"] or ["--templates-dir", DIR].
        self.extra_args = list(extra_args or [])
        self.db = workdir / "kiosk.sqlite"
        self.config = config
        if extra_config:
            data = json.loads(config.read_text())
            data.update(extra_config)
            # The config names its address file relative to its own folder; the copy lives elsewhere.
            addresses = data.get("addresses")
            if isinstance(addresses, dict) and isinstance(addresses.get("file"), str) and not addresses["file"].startswith("/"):
                data["addresses"] = {**addresses, "file": str(config.parent / addresses["file"])}
            self.config = workdir / "config.json"
            self.config.write_text(json.dumps(data))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.stdout = workdir / "stdout.log"
        self.stderr = workdir / "stderr.log"

    def token(self, role: str, name: str, site: str | None = None, department: str | None = None) -> str:
        args = ["token", "create", "--role", role, "--name", name, "--db", str(self.db), "--config", str(self.config)]
        if site:
            args += ["--site", site]
        if department:
            args += ["--department", department]
        out = cli(*args)
        lines = out.stdout.splitlines()
        assert len(lines) == 1, out.stdout
        return lines[0]

    def enrol_code(self, site: str, name: str) -> str:
        """A one-time kiosk enrolment code from the command line."""
        out = cli("kiosk", "enrol-code", "--site", site, "--name", name, "--db", str(self.db), "--config", str(self.config))
        return out.stdout.strip().splitlines()[-1].strip()

    def start(self, timeout: float = 30) -> None:
        self.proc = subprocess.Popen(
            [BIN, "serve", "--config", str(self.config), "--db", str(self.db), "--port", str(self.port),
             "--host", "127.0.0.1", *self.extra_args],
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

    def kill(self) -> None:
        """SIGKILL, if it still runs: the end of a fixture (a test may have stopped it already)."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def url(self, path: str) -> str:
        return self.base + path


def serve(service: Service):
    """A fixture's body, `yield from serve(Service(...))`: starts the service, hands it to the
    test, then SIGKILLs it if it still runs."""
    service.start()
    yield service
    service.kill()


SIGNAL = {"kind": "report", "category": "overlast/zwerfvuil", "description": "Zwerfvuil aan de bushalte",
          "district": "centrum", "address": "Kapellestraat 12"}


def auth(token: str | None) -> dict:
    return {"Authorization": f"Bearer {token}"} if token else {}


# Hostile-client helpers (issue 9): an attack runs from 127.0.0.1 while a normal
# client from another loopback address must still be answered.

def probe(service: Service, path: str = "/healthz", source: str = "127.0.0.2", timeout: float = 5.0) -> int:
    """GET `path` over a fresh connection whose source address is `source`; the status, or 0 if
    nothing complete came back within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    try:
        with socket.create_connection(("127.0.0.1", service.port), timeout=timeout, source_address=(source, 0)) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while b"\r\n" not in data and time.monotonic() < deadline:
                s.settimeout(max(0.05, deadline - time.monotonic()))
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        line = data.split(b"\r\n", 1)[0].split()
        return int(line[1]) if len(line) >= 2 and line[0].startswith(b"HTTP/") else 0
    except (OSError, ValueError):
        return 0


class SourceAddressAdapter(requests.adapters.HTTPAdapter):
    """A requests adapter whose connections leave from `source` (e.g. 127.0.0.2), so a test
    can be a normal client at another address while an attack runs from 127.0.0.1."""

    def __init__(self, source: str, **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


@contextlib.contextmanager
def trickling(socks: list, data: bytes, every: float):
    """While the block runs, sends `data` on every socket in `socks` each `every` seconds:
    a slow client that keeps a connection busy without ever finishing its request."""
    stop = threading.Event()

    def trickle():
        while not stop.is_set():
            for s in socks:
                try:
                    s.sendall(data)
                except OSError:
                    pass
            stop.wait(every)

    t = threading.Thread(target=trickle, daemon=True)
    t.start()
    try:
        yield
    finally:
        stop.set()
        t.join()


def rss_kib(service: Service) -> int:
    """The service process's resident memory in KiB, from /proc."""
    assert service.proc is not None
    for line in Path(f"/proc/{service.proc.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def cpu_seconds(service: Service) -> float:
    """User plus system CPU time the service process has used so far."""
    assert service.proc is not None
    fields = Path(f"/proc/{service.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def problem(response: requests.Response) -> dict:
    """The problem document (RFC 9457) of a 4xx answer; fails if it is not one."""
    assert response.headers.get("Content-Type", "").startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == response.status_code, body
    return body


# Outbound mail (issue 10): a real SMTP server (aiosmtpd) on a free loopback port that keeps
# every message it is handed, parsed with the standard library's e-mail parser.
class SMTPSink:
    """An SMTP server a test can stop and start again on the same port. `messages` holds
    (envelope, email.message.EmailMessage) of every message accepted; `seen` also those refused
    because `refuse_next` was set (the server answers 451 to DATA, so the client retries)."""

    def __init__(self, port: int | None = None, **smtp_kwargs):
        self.port = port or free_port()
        self.smtp_kwargs = smtp_kwargs
        self.messages: list = []
        self.seen: list = []
        self.sessions_with_tls: list[bool] = []
        self.refuse_next = 0
        self.lock = threading.Lock()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.seen.append((envelope, parsed))
            self.sessions_with_tls.append(session.ssl is not None)
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return "451 4.3.0 Try again later"
            self.messages.append((envelope, parsed))
        return "250 2.0.0 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **self.smtp_kwargs)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def wait_for(self, count: int, timeout: float = 30) -> list:
        """The accepted messages once there are at least `count`; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"{len(self.messages)} of {count} messages arrived within {timeout} s")


def decode_qr(svg: bytes, workdir: Path) -> str:
    """The text zbarimg reads from a QR code SVG drawn as a PNG by librsvg (Debian zbar-tools, librsvg2-bin)."""
    src, png = workdir / "qr.svg", workdir / "qr.png"
    src.write_bytes(svg)
    subprocess.run(["rsvg-convert", "--width", "400", "--height", "400", "--background-color", "white", "-o", str(png), str(src)],
                   check=True, timeout=30)
    out = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()
