"""Helpers for walking the pages: waits, form steps, axe-core and target-size audits."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import struct
import subprocess
import threading
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import pytest
from selenium import webdriver

from selenium.common.exceptions import JavascriptException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.support.ui import WebDriverWait

from harness import ROOT, Service

TOKEN_KEY = "opunt.kiosk.token"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _axe_source() -> str:
    import selenium_axe_python

    return (Path(selenium_axe_python.__file__).parent / "axe-core" / "axe.min.js").read_text(encoding="utf8")


AXE_JS = None


def wait_for(driver, cond, timeout=10, message=""):
    def ok(d):
        try:
            return cond(d)
        except (StaleElementReferenceException, JavascriptException):
            return False

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(ok, message)


def screen(driver) -> str | None:
    return driver.execute_script("const s = document.querySelector('#main .screen'); return s ? s.dataset.screen : null;")


def wait_screen(driver, name, timeout=10):
    wait_for(driver, lambda d: screen(d) == name, timeout, f"screen {name} (now {screen(driver)})")


def css(driver, selector):
    return driver.find_element(By.CSS_SELECTOR, selector)


def click(driver, selector, tries=3):
    """Clicks the element the selector finds. A page that redraws on its own (the agent console polls every
    5 s) can replace the element between finding and clicking: the stale one refuses the click before any
    event is sent, so it is found again and clicked once."""
    for attempt in range(tries):
        try:
            el = css(driver, selector)
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
            el.click()
            return
        except StaleElementReferenceException:
            if attempt == tries - 1:
                raise
            time.sleep(0.1)


def choose(driver, name, value):
    """Touches the label of the radio with this name and value."""
    radio = css(driver, f"input[type=radio][name='{name}'][value='{value}']")
    label = css(driver, f"label[for='{radio.get_attribute('id')}']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", label)
    label.click()
    assert radio.is_selected()


def fill(driver, field_id, text, tries=3):
    """Types text into the field, from empty; a field a redraw replaced is found again and filled anew."""
    for attempt in range(tries):
        try:
            el = css(driver, "#" + field_id)
            el.clear()
            el.send_keys(text)
            return
        except StaleElementReferenceException:
            if attempt == tries - 1:
                raise
            time.sleep(0.1)


def continue_(driver):
    click(driver, "[data-action=continue]")


def active_id(driver):
    return driver.execute_script("const a = document.activeElement; return a ? (a.id || a.className) : null;")


def type_enrol_code(driver, base, code):
    """Opens /kiosk/enroll and submits one code; waits until the page has answered."""
    driver.get(f"{base}/kiosk/enroll")
    wait_for(driver, lambda d: d.find_elements(By.ID, "e-code"), 10, "enrolment form")
    fill(driver, "e-code", code)
    click(driver, "#enroll-submit")
    wait_for(driver, lambda d: d.find_elements(By.ID, "enroll-site") or d.find_elements(By.ID, "enroll-alert")
             or d.find_elements(By.CSS_SELECTOR, "#main .error-message"), 10, "enrolment answer")


def enroll(driver, backend, name="kiosk-test"):
    """Enrols the browser as a kiosk the way staff do: a one-time code from the command line typed
    into /kiosk/enroll. Returns the kiosk token the page stored (never seen in a URL or the page)."""
    code = backend.enrol_code(name)
    for _ in range(3):
        type_enrol_code(driver, backend.base, code)
        alert = driver.find_elements(By.ID, "enroll-alert")
        if not alert or "Te veel pogingen" not in alert[0].text:
            break
        time.sleep(int("".join(c for c in alert[0].text if c.isdigit()) or "6") + 1)  # the per-address limit
    wait_for(driver, lambda d: d.find_elements(By.ID, "open-kiosk"), 10, "enrolment confirmation")
    token = driver.execute_script(f"return localStorage.getItem('{TOKEN_KEY}')")
    assert token and token not in driver.current_url and token not in driver.page_source
    assert driver.execute_script("return location.search") == ""
    return token


def open_kiosk(driver, base, query=""):
    driver.get(f"{base}/kiosk{query}")
    wait_screen(driver, "start")


# -- audits -------------------------------------------------------------------------
def axe_violations(driver, impacts=("serious", "critical")):
    """Runs axe-core with the WCAG 2.2 AA rules; returns the serious and critical violations."""
    global AXE_JS
    if AXE_JS is None:
        AXE_JS = _axe_source()
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE_JS)
    options = json.dumps({"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, JSON.parse(arguments[0])).then(r => done(r.violations), e => done([{id: 'axe-error', impact: 'critical', description: String(e), nodes: []}]));",
        options)
    return [v for v in result if v.get("impact") in impacts]


def describe(violations):
    out = []
    for v in violations:
        targets = [", ".join(n.get("target", [])) + " — " + (n.get("failureSummary") or "").replace("\n", " ") for n in v["nodes"][:5]]
        out.append(f"{v['id']} ({v['impact']}): {v.get('help') or v.get('description')}\n    " + "\n    ".join(targets))
    return "\n".join(out)


SMALL_TARGETS_JS = """
const min = arguments[0];
const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], [tabindex]:not([tabindex="-1"])';
const out = [];
for (const el of document.querySelectorAll(sel)) {
  if (el.closest('[hidden], .visually-hidden')) continue;
  const st = getComputedStyle(el);
  if (st.visibility === 'hidden' || st.display === 'none') continue;
  const r = el.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) continue;
  if (el.matches('main, h1, h2, .error-summary, .problem, [tabindex="-1"]')) continue;
  if (r.width < min - 0.5 || r.height < min - 0.5) {
    out.push({tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, text: (el.textContent || el.value || '').trim().slice(0, 40), w: Math.round(r.width), h: Math.round(r.height)});
  }
}
return out;
"""


TEXT_LEFTOVERS_JS = r"""
const text = document.body.innerText + ' ' + document.title + ' ' + (document.getElementById('receipt') || {textContent: ''}).textContent;
const found = text.match(/\b(null|undefined|NaN)\b|\{[a-z_]+\}|\b(?:[a-z]+\.){1,3}[a-z_]+\.(?:label|hint|title|text|question)\b/g);
return found || [];
"""


def small_targets(driver, minimum=44):
    """Visible interactive elements smaller than minimum × minimum CSS px."""
    return driver.execute_script(SMALL_TARGETS_JS, minimum)


SMALL_TEXT_JS = """
const min = arguments[0];
const out = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  if (!n.textContent.trim()) continue;
  const el = n.parentElement;
  if (!el || el.closest('[hidden], .visually-hidden, #receipt, script, style, dialog:not([open])')) continue;
  const st = getComputedStyle(el);
  if (st.visibility === 'hidden' || st.display === 'none' || !el.getClientRects().length) continue;
  const size = parseFloat(st.fontSize);
  if (size < min - 0.01) out.push({text: n.textContent.trim().slice(0, 40), size, tag: el.tagName.toLowerCase(), cls: el.className});
}
return out;
"""


def small_text(driver, minimum=28):
    """Visible text set smaller than minimum CSS px."""
    return driver.execute_script(SMALL_TEXT_JS, minimum)


class Audit:
    """Collects axe and target-size findings over the states a test visits, to assert once at the end.
    targets: check touch targets (at least `minimum` px); text: the smallest font size allowed (kiosk: 28)."""

    def __init__(self, driver, targets=False, minimum=44, text=None):
        self.driver = driver
        self.targets = targets
        self.minimum = minimum
        self.text = text
        self.problems: list[str] = []
        self.states: list[str] = []

    def __call__(self, label):
        self.states.append(label)
        v = axe_violations(self.driver)
        if v:
            self.problems.append(f"[{label}] axe:\n{describe(v)}")
        leftovers = self.driver.execute_script(TEXT_LEFTOVERS_JS)
        if leftovers:
            self.problems.append(f"[{label}] text not filled in: {leftovers}")
        if self.targets:
            small = small_targets(self.driver, self.minimum)
            if small:
                self.problems.append(f"[{label}] targets under {self.minimum}×{self.minimum} px: {small}")
        if self.text:
            small = small_text(self.driver, self.text)
            if small:
                self.problems.append(f"[{label}] text under {self.text} px: {small[:8]}")

    def check(self):
        assert not self.problems, "\n".join(self.problems)
        assert self.states


def csp_errors(driver):
    """Console messages about a Content-Security-Policy refusal (inline script or style)."""
    try:
        logs = driver.get_log("browser")
    except Exception:  # noqa: BLE001 - not every driver offers logs
        return []
    return [l["message"] for l in logs if "Content Security Policy" in l["message"] or "Content-Security-Policy" in l["message"]]


def get_signal(backend, reference):
    status, doc = backend.api("GET", f"/api/v1/signals/{reference}", token=backend.tokens["coordinator"])
    assert status == 200, (status, doc)
    return doc


def list_signals(backend, channel=None):
    """Every signal the coordinator can list (following next_cursor)."""
    path = "/api/v1/signals?limit=500" + (f"&channel={channel}" if channel else "")
    items = []
    cursor = None
    for _ in range(20):
        status, doc = backend.api("GET", path + (f"&cursor={cursor}" if cursor else ""), token=backend.tokens["coordinator"])
        assert status == 200, (status, doc)
        items += doc["items"]
        cursor = doc.get("next_cursor")
        if not cursor:
            break
    return items


def signals_with_description(backend, description, channel=None):
    return [s for s in list_signals(backend, channel) if s.get("description") == description]


def party_of(config, main, sub=None):
    """The outside body's key for a category (the subcategory's external_party first), or None."""
    cat = next(c for c in config["categories"] if c["key"] == main)
    s = next((x for x in cat.get("subcategories") or [] if x["key"] == sub), None)
    return (s or {}).get("external_party") or cat.get("external_party")


def pick_category(config, with_subs=True, external=False):
    """(main, sub or None) from the config: a matter for the city (with a subcategory when with_subs),
    or, with external=True, one that may belong to an outside body (on the category or a subcategory)."""
    for c in config["categories"]:
        subs = c.get("subcategories") or []
        if external:
            if c.get("external_party") and not subs:
                return c["key"], None
            for s in subs:
                if party_of(config, c["key"], s["key"]):
                    return c["key"], s["key"]
            continue
        if c.get("external_party"):
            continue
        if with_subs:
            s = next((s for s in subs if not s.get("external_party")), None)
            if s:
                return c["key"], s["key"]
        elif not subs:
            return c["key"], None
    return None, None


def unique(text):
    return f"{text} [{time.time_ns()}]"


def _chromium() -> str:
    for c in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if c and Path(c).exists():
            return c
    pytest.fail("chromium is not installed (make test-deps installs it)")


def _chromedriver() -> str:
    for c in (os.environ.get("CHROMEDRIVER"), "/usr/bin/chromedriver", shutil.which("chromedriver")):
        if c and Path(c).exists():
            return c
    pytest.fail("chromedriver is not installed (make test-deps installs it)")


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


def png(width: int, height: int, rgb=(200, 40, 40)) -> bytes:
    """A plain PNG made by hand (zlib + CRC), so the tests need no image library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


class TileServer:
    """A map tile server on loopback: every /z/x/y.png is one plain 256 px PNG; `paths` keeps what was asked.
    `url` is the `map.tile_url` to configure. A context manager, or `close()` when done."""

    def __init__(self, rgb=(200, 220, 200)):
        tile = png(256, 256, rgb)
        paths = self.paths = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the stdlib's name
                paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(tile)))
                self.end_headers()
                self.wfile.write(tile)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/{{z}}/{{x}}/{{y}}.png"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def config_path() -> Path:
    """The config the browser tests run on: KIOSK_CONFIG, else the bundled config/ostend.json."""
    return Path(os.environ.get("KIOSK_CONFIG") or ROOT / "config" / "ostend.json")


class Backend(Service):
    """The service for the browser tests (tests/harness.py's `Service`), with the tokens the tests
    share; a test may stop it and start it again on the same port and database."""

    def __init__(self, workdir: Path, extra_config: dict | None = None):
        super().__init__(workdir, config=config_path(), extra_config=extra_config)
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
