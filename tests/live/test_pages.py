"""The pages (docs/interface.md §10) are rendered once at start-up from Static/pages/*.html.mustache
with the config's city name and languages (issue 14): a city that adopts the project changes its
config, not eleven pages and four text files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
import requests

from harness import BIN, CONFIG, ROOT, Service

# Every page the service serves, and whether its address holds a secret (never cached).
PAGES = {"/": False, "/kiosk": False, "/kiosk/enroll": False, "/desk": False, "/agent": False, "/backoffice": False,
         "/department": False, "/reports": False, "/status/MLD-2026-000001": True, "/feedback/not-a-real-token": True}
# Pages whose header names the city (the staff pages' header names the tool instead).
CITY_IN_HEADER = {"/", "/kiosk", "/status/MLD-2026-000001", "/feedback/not-a-real-token"}
BRUGGE = {"city": "Brugge", "city_names": {"fr": "Bruges"}}


class Page(HTMLParser):
    """The <html> element's attributes, the <title> and the header's brand line of one page."""

    def __init__(self, text: str):
        super().__init__()
        self.html: dict[str, str] = {}
        self.title = self.brand = ""
        self._in: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html = attrs
        elif tag == "title":
            self._in = "title"
        elif tag == "p" and attrs.get("class") == "header__brand":
            self._in = "brand"

    def handle_endtag(self, tag):
        if (tag, self._in) in (("title", "title"), ("p", "brand")):
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "brand":
            self.brand += data


def fetch(service: Service, path: str, secret: bool) -> Page:
    r = requests.get(service.url(path), timeout=10)
    assert r.status_code == 200, path
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert r.headers["Cache-Control"] == ("no-store" if secret else "no-cache"), path
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    return Page(r.text)


def bundled_names() -> set[str]:
    config = json.loads(CONFIG.read_text(encoding="utf8"))
    return {config["city"], *config["city_names"].values()}


def test_another_city_is_named_in_every_page_and_the_public_config(tmp_path):
    s = Service(tmp_path, extra_config=BRUGGE)
    s.start()
    try:
        for path, secret in PAGES.items():
            page = fetch(s, path, secret)
            assert page.title.endswith(" — O-punt Brugge"), (path, page.title)
            if path in CITY_IN_HEADER:
                assert " ".join(page.brand.split()) == "O-punt Stad Brugge", (path, page.brand)
            assert page.html["lang"] == "nl"
            assert page.html["data-languages"] == "nl fr en de"
            assert json.loads(page.html["data-city-names"]) == {"nl": "Brugge", "fr": "Bruges", "en": "Brugge", "de": "Brugge"}
            text = requests.get(s.url(path), timeout=10).text
            for name in bundled_names():
                assert not re.search(rf"\b{name}\b", text), (path, name)
        config = requests.get(s.url("/api/v1/config"), timeout=10).json()
        assert config["city"] == "Brugge"
        assert config["city_names"] == {"nl": "Brugge", "fr": "Bruges", "en": "Brugge", "de": "Brugge"}
    finally:
        s.stop()


def test_the_bundled_city_in_every_page(service):
    for path, secret in PAGES.items():
        page = fetch(service, path, secret)
        assert page.title.endswith(" — O-punt Oostende"), (path, page.title)
        assert json.loads(page.html["data-city-names"]) == {"nl": "Oostende", "fr": "Ostende", "en": "Ostend", "de": "Ostende"}
    config = requests.get(service.url("/api/v1/config"), timeout=10).json()
    assert config["city_names"] == {"nl": "Oostende", "fr": "Ostende", "en": "Ostend", "de": "Ostende"}


def test_a_name_with_markup_is_escaped(tmp_path):
    s = Service(tmp_path, extra_config={"city": "<b>Sint-Niklaas</b> & 'co'", "city_names": {"fr": "Saint-Nicolas \"x\""}})
    s.start()
    try:
        text = requests.get(s.url("/"), timeout=10).text
        assert "<b>" not in text and "&lt;b&gt;Sint-Niklaas&lt;/b&gt; &amp; &#39;co&#39;" in text
        names = json.loads(Page(text).html["data-city-names"])
        assert names["nl"] == "<b>Sint-Niklaas</b> & 'co'" and names["fr"] == 'Saint-Nicolas "x"'
    finally:
        s.stop()


def test_no_city_name_is_written_into_static():
    """The pages, scripts, styles and texts say {city} or take the name from the page: none names the bundled city."""
    names = bundled_names()
    found = []
    for file in sorted((ROOT / "Static").rglob("*")):
        if file.is_file() and file.suffix in {".html", ".mustache", ".js", ".css", ".json", ".svg"}:
            text = file.read_text(encoding="utf8")
            found += [f"{file.relative_to(ROOT)}: {name}" for name in names if re.search(rf"\b{name}", text, re.I)]
    assert not found


def serve(tmp_path, *args: str, config=CONFIG) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, "serve", "--db", str(tmp_path / "kiosk.sqlite"), "--port", "0", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_page_templates_are_checked_at_start_up(tmp_path):
    static = tmp_path / "Static"
    shutil.copytree(ROOT / "Static", static)
    broken = static / "pages" / "desk.html.mustache"
    broken.write_text("{{<layout.html}}{{$title}}Balie{{/title}}\n")
    out = serve(tmp_path, "--static-dir", str(static))
    assert out.returncode == 78, out
    assert f"{broken}:" in out.stderr and "does not parse" in out.stderr

    (static / "pages" / "layout.html.mustache").unlink()
    broken.write_text("{{<layout.html}}{{$title}}Balie{{/title}}{{/layout.html}}\n")
    out = serve(tmp_path, "--static-dir", str(static))
    assert out.returncode == 78, out
    assert "does not render a whole page" in out.stderr

    shutil.copy(ROOT / "Static" / "pages" / "layout.html.mustache", static / "pages")
    broken.unlink()
    out = serve(tmp_path, "--static-dir", str(static))
    assert out.returncode == 78, out
    assert f"{broken}: cannot read the page template" in out.stderr


@pytest.mark.parametrize("names, line", [
    ({"es": "Ostende"}, "city_names.es: is not one of the config's languages (nl, fr, en, de)"),
    ({"nl": "Oostende"}, "city_names.nl: the Dutch name is `city`"),
    ({"fr": ""}, "city_names.fr: must be a non-empty string"),
])
def test_a_bad_city_name_stops_start_up(tmp_path, names, line):
    config = json.loads(CONFIG.read_text(encoding="utf8"))
    config["city_names"] = names
    config["addresses"]["file"] = str(CONFIG.parent / config["addresses"]["file"])
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    out = serve(tmp_path, config=path)
    assert out.returncode == 78, out
    assert f"{path}: {line}" in out.stderr
