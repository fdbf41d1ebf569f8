"""Fixtures for the browser tests: a running service, its tokens, and headless Chromium.

The service is the built kiosk-backend (the real one: there is no stand-in), started on a
free loopback port with a fresh database:

    KIOSK_BIN  path to kiosk-backend (default: .build/debug/kiosk-backend)
    KIOSK_CONFIG  config file (default: config/ostend.json)
    CHROMIUM, CHROMEDRIVER  browser and driver (default: Debian's)
"""

from __future__ import annotations

import json

import pytest

from helpers import Backend, make_driver


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


def screen(name: str, width: int, height: int, doc: str):
    """A fixture `name`: a browser with a window of width × height, closed after the test."""
    def fixture():
        d = make_driver(width, height)
        yield d
        d.quit()
    fixture.__doc__ = f"{doc} ({width} × {height})"
    return pytest.fixture(fixture, name=name)


driver = screen("driver", 1080, 1920, "A portrait counter screen")
desk_driver = screen("desk_driver", 1366, 900, "A desk computer screen")
wide_driver = screen("wide_driver", 1920, 1080, "An office or agent's screen: the back office, department inbox and agent console")
web_driver = screen("web_driver", 1280, 1000, "A home computer's browser window: the website form and the status page")
