"""The report (/reports) and the back office (/backoffice) in headless Chromium against the
real service: the charts show the API's numbers, the printed page is an A4 PDF whose text
holds the totals, one signal is handled through the back-office form, and axe-core finds
no serious or critical WCAG 2.2 AA violation on either page."""

from __future__ import annotations

import base64
import json
import random
import re
import shutil
import subprocess
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from helpers import Audit, click, csp_errors, css, fill, wait_for

TOKEN_KEY = "opunt.staff.token"
CHANNELS = ["web", "kiosk", "counter", "phone", "email", "letter"]
KINDS = ["report", "complaint", "suggestion", "compliment"]
ROUTES = ["opunt", "special_procedure", "external"]
NATURES = ["service", "policy", "combination", "undetermined"]


@pytest.fixture(scope="module")
def year(backend, config):
    """Last calendar year in the city's time zone: what the report page shows by default."""
    return datetime.now(ZoneInfo(config["time_zone"])).year - 1


@pytest.fixture(scope="module")
def dataset(backend, config, year):
    """A few hundred signals in last year, over every channel, kind, route and nature, made through the API."""
    rnd = random.Random(11)
    tz = ZoneInfo(config["time_zone"])
    start = datetime(year, 1, 1, tzinfo=tz)
    span = int((datetime(year + 1, 1, 1, tzinfo=tz) - start).total_seconds())
    token = backend.tokens["coordinator"]
    mains = [c["key"] for c in config["categories"]]
    districts = [d["key"] for d in config["districts"]]
    sites = [s["key"] for s in config["sites"]]

    def call(method, path, body=None):
        req = urllib.request.Request(backend.base + path, data=json.dumps(body).encode() if body is not None else None, method=method)
        req.add_header("Authorization", "Bearer " + token)
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=30) as r:
            assert r.status in (200, 201)
            return json.loads(r.read())

    def make(i):
        channel = CHANNELS[i % 6]
        received = (start + timedelta(seconds=rnd.randrange(span))).astimezone(timezone.utc)
        body = {"kind": KINDS[i % 4], "channel": channel, "reporter": "staff" if i % 7 == 0 else "citizen",
                "category": mains[i % len(mains)], "description": f"Browsertest {i}",
                "received_at": received.strftime("%Y-%m-%dT%H:%M:%SZ")}
        if i % 5:
            body["district"] = districts[i % len(districts)]
        if channel in ("kiosk", "counter"):
            body["site"] = sites[i % len(sites)]
        if channel in ("web", "kiosk") and body["reporter"] == "citizen":
            body["experience_score"] = 1 + i % 5
        ref = call("POST", "/api/v1/signals", body)["reference"]
        route = (ROUTES + [None])[i % 4]
        patch = {"nature": NATURES[i % 4]} if i % 3 else {}
        if route == "opunt":
            patch.update(route="opunt", department="wegen")
        elif route == "special_procedure":
            patch.update(route="special_procedure", special_procedure="gas-verweer")
        elif route == "external":
            patch.update(route="external", external_party="de-lijn")
        if patch:
            call("PATCH", f"/api/v1/signals/{ref}", patch)
        if route and i % 2:
            call("PATCH", f"/api/v1/signals/{ref}", {"status": "in_progress"})
            at = (received + timedelta(hours=1 + i % 40)).strftime("%Y-%m-%dT%H:%M:%SZ")
            call("PATCH", f"/api/v1/signals/{ref}", {"status": "answered", "answer": "Antwoord.", "answered_at": at})
        if i % 37 == 0:
            call("POST", f"/api/v1/signals/{ref}/ombuds-referral")
        return ref

    with ThreadPoolExecutor(max_workers=6) as pool:
        refs = list(pool.map(make, range(360)))
    return refs


def api_report(backend, query):
    status, doc = backend.api("GET", "/api/v1/reports/signals?" + query, token=backend.tokens["coordinator"])
    assert status == 200, doc
    return doc


def digits(text: str) -> str:
    """The number in a displayed figure without grouping separators (nl-BE writes 1.234)."""
    return re.sub(r"[.\s\u00a0\u202f]", "", text)


def sign_in(driver, backend, path, audit=None):
    driver.get(backend.base + path)
    wait_for(driver, lambda d: d.find_elements(By.ID, "st-token"), 15, "sign-in form")
    if audit:
        audit(f"{path} sign-in")
    fill(driver, "st-token", backend.tokens["desk"])  # not a back-office token: refused, and named
    click(driver, "[data-action=sign-in]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"), 10, "refusal of a desk token")
    if audit:
        audit(f"{path} sign-in refused")
    fill(driver, "st-token", backend.tokens["coordinator"])
    click(driver, "[data-action=sign-in]")
    wait_for(driver, lambda d: d.execute_script(f"return sessionStorage.getItem('{TOKEN_KEY}')") == backend.tokens["coordinator"],
             10, "token kept for the tab")


def wait_report(driver, query):
    wait_for(driver, lambda d: d.execute_script("return document.body.dataset.reportReady") == query, 30, f"report for {query}")


def chart_rows(driver, chart_id):
    return driver.execute_script("""
        return [...document.querySelectorAll('#' + arguments[0] + ' .chart__row')].map(g => ({
          key: g.dataset.key, value: Number(g.dataset.value), population: g.dataset.population,
          text: (g.querySelector('.chart__value') || {}).textContent || '',
          parts: [...g.querySelectorAll('rect[data-score]')].map(r => Number(r.dataset.value))}));""", chart_id)


def check_charts(driver, r, config):
    assert digits(css(driver, "#kpi-total").text) == str(r["total"])
    assert digits(css(driver, "#kpi-ombuds").text) == str(r["ombuds_referrals"])
    for chart, section in [("chart-channel", "by_channel"), ("chart-reporter", "by_reporter"), ("chart-kind", "by_kind"),
                           ("chart-route", "by_route"), ("chart-category", "by_main_category"), ("chart-nature", "by_nature")]:
        rows = chart_rows(driver, chart)
        assert {x["key"]: x["value"] for x in rows} == r[section], chart
        for x in rows:
            assert digits(x["text"].split("(")[0]) == str(r[section][x["key"]]), (chart, x)
    web = r["web_share"] * 100
    assert f"{web:.1f}".replace(".", ",") in css(driver, "#web-share").text
    districts = {x["key"]: x for x in chart_rows(driver, "chart-district")}
    assert list(districts) == [d["key"] for d in config["districts"]]
    for d in r["by_district"]:
        assert districts[d["district"]]["value"] == d["share"]
        assert float(districts[d["district"]]["population"]) == d["population_share"]
    experience = {x["key"]: x for x in chart_rows(driver, "chart-experience")} if r["experience"]["answered"] else {}
    for channel, e in r["experience"]["by_channel"].items():
        if e["answered"]:
            assert experience[channel]["value"] == e["answered"]
            assert experience[channel]["parts"] == [e["distribution"][str(n)] for n in range(1, 6)]
        else:
            assert channel not in experience
    rows = driver.find_elements(By.CSS_SELECTOR, "#table-answer-route tbody tr")
    assert [row.get_attribute("data-key") for row in rows] == ["opunt", "special_procedure", "external", "unrouted"]
    for row in rows:
        answered = r["answer_time"]["by_route"][row.get_attribute("data-key")]["answered"]
        assert digits(row.find_elements(By.TAG_NAME, "td")[0].text) == str(answered)
    assert digits(re.search(r"\d[\d.]*", css(driver, "#ombuds-text").text).group()) == str(r["ombuds_referrals"])


def test_report_page_shows_the_apis_numbers_and_prints_an_a4_pdf(desk_driver, backend, config, year, dataset, tmp_path):
    driver = desk_driver
    audit = Audit(driver)
    sign_in(driver, backend, "/reports", audit)
    query = f"from={year}-01-01&to={year}-12-31"
    wait_report(driver, query)
    assert css(driver, "#r-from").get_attribute("value") == f"{year}-01-01"
    assert css(driver, "#r-to").get_attribute("value") == f"{year}-12-31"
    r = api_report(backend, query)
    assert r["total"] >= 360
    check_charts(driver, r, config)
    calls_status, _ = backend.api("GET", f"/api/v1/reports/calls?{query}", token=backend.tokens["coordinator"])
    assert bool(driver.find_elements(By.ID, "sec-calls")) == (calls_status == 200)
    audit("report")

    # Print: Chromium's print to PDF with the page's own @page size.
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})["data"])
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing (apt-get install poppler-utils; make test-deps installs it)")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+[\d.]+ x [\d.]+ pts \(A4\)", info), info
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = digits(text)
    assert "Jaarverslag signalen" in text
    assert "Periode en filters" not in text and "Afmelden" not in text  # controls and header are not printed
    assert str(r["total"]) in flat
    for channel, n in r["by_channel"].items():
        assert str(n) in flat, channel
    assert "Kanalen" in text and "Wijken" in text and "Belevingsscore per kanaal" in text

    # Combined filters through the form: the charts follow the API again.
    click(driver, "#r-channel-web")
    click(driver, "#r-channel-phone")
    click(driver, "#r-kind-complaint")
    click(driver, "#r-reporter-citizen")
    click(driver, "[data-action=show]")
    filtered = f"{query}&reporter=citizen&kind=complaint&channel=web,phone"
    wait_report(driver, filtered)
    rf = api_report(backend, filtered)
    assert 0 < rf["total"] < r["total"]
    check_charts(driver, rf, config)
    assert "Filters:" in css(driver, "#report-filters").text

    # Dutch first, with a switch: the same figures in French.
    click(driver, "#language-switch button[data-lang=fr]")
    wait_for(driver, lambda d: d.execute_script("return document.documentElement.lang") == "fr")
    wait_for(driver, lambda d: "Canaux" in css(d, "#h-channel").text, 10, "French headings")
    assert digits(css(driver, "#kpi-total").text) == str(rf["total"])
    audit("report in French")
    assert not csp_errors(driver)
    audit.check()


def test_back_office_handles_a_signal_and_shows_its_history(desk_driver, backend, config, dataset):
    driver = desk_driver
    audit = Audit(driver)
    # Filed with the coordinator's token, so it takes nothing from the public form's rate limit.
    status, signal = backend.api("POST", "/api/v1/signals", token=backend.tokens["coordinator"],
                                 body={"kind": "complaint", "channel": "web", "category": "overlast/lawaai",
                                       "description": "Lawaai van de bouwwerf", "district": "stene"})
    assert status == 201, signal
    ref = signal["reference"]
    sign_in(driver, backend, "/backoffice", audit)
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#queue"), 15, "queue")
    Select(css(driver, "#q-district")).select_by_value("stene")
    Select(css(driver, "#q-category")).select_by_value("overlast/lawaai")
    click(driver, "[data-action=filter]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f"#queue [data-reference='{ref}']"), 10, "the new signal in the queue")
    audit("back office queue")
    click(driver, f"#queue [data-reference='{ref}']")
    wait_for(driver, lambda d: d.find_elements(By.ID, "bo-form"), 10, "signal form")
    audit("back office signal")

    # A route that needs its key, without it: the service's 422 names the field.
    click(driver, "label[for='bo-route-2']")  # special procedure
    click(driver, "[data-action=save]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#bo-errors"), 10, "error summary")
    assert "procedure" in css(driver, "#bo-errors").text.lower()
    audit("back office refusal")

    # Route to O-punt with a department, classify, answer and start: one save.
    click(driver, "label[for='bo-route-1']")  # O-punt
    Select(css(driver, "#bo-department")).select_by_value("leefmilieu")
    click(driver, "label[for='bo-nature-0']")  # service
    fill(driver, "bo-answer", "De werken stoppen om 19 uur.")
    Select(css(driver, "#bo-status")).select_by_value("in_progress")
    click(driver, "[data-action=save]")
    wait_for(driver, lambda d: "Opgeslagen" in css(d, "#bo-message").text, 10, "saved")
    status, stored = backend.api("GET", f"/api/v1/signals/{ref}", token=backend.tokens["coordinator"])
    assert (stored["status"], stored["route"], stored["department"], stored["nature"], stored["answer"]) == (
        "in_progress", "opunt", "leefmilieu", "service", "De werken stoppen om 19 uur.")
    history = css(driver, "#history").text
    assert "coordinator-test" in history and "Dienst Leefmilieu" in history and "In behandeling" in history

    # Answer and close, then the ombudsman.
    Select(css(driver, "#bo-status")).select_by_value("answered")
    click(driver, "[data-action=save]")
    # Before it is sent, the answer as the reporter gets it (issue 10): confirm it.
    wait_for(driver, lambda d: d.find_elements(By.ID, "bo-preview"), 10, "answer preview")
    click(driver, "[data-action=confirm-answer]")
    wait_for(driver, lambda d: "Beantwoord" in css(d, "#facts").text or "Beantwoord" in css(d, "#history").text, 10, "answered")
    Select(css(driver, "#bo-status")).select_by_value("closed")
    click(driver, "[data-action=save]")
    wait_for(driver, lambda d: "Afgesloten" in css(d, "#history").text, 10, "closed")
    click(driver, "[data-action=ombuds]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "ombuds-details"), 10, "ombudsman's details")
    assert config["ombudsman"]["phone"] in css(driver, "#ombuds-details").text
    status, stored = backend.api("GET", f"/api/v1/signals/{ref}", token=backend.tokens["coordinator"])
    assert stored["status"] == "closed" and stored["ombuds_referred_at"]
    audit("back office closed and referred")
    assert not csp_errors(driver)
    audit.check()


OUTCOMES = ["upheld", "partly_upheld", "not_upheld", "inadmissible"]


@pytest.fixture(scope="module")
def trend_dataset(backend, config, year, dataset):
    """Signals a year before the report's year (the trend's other line), and answered complaints
    with every outcome in the report's year."""
    tz = ZoneInfo(config["time_zone"])
    token = backend.tokens["coordinator"]
    main = config["categories"][1]
    sub = main["subcategories"][0]["key"] if main.get("subcategories") else None

    def call(method, path, body=None):
        status, doc = backend.api(method, path, token=token, body=body)
        assert status in (200, 201), (method, path, status, doc)
        return doc

    for i in range(36):
        received = datetime(year - 1, 1 + i % 12, 1 + i % 27, 10, 0, tzinfo=tz).astimezone(timezone.utc)
        call("POST", "/api/v1/signals", {"kind": "report", "channel": "phone", "category": main["key"],
                                         "description": f"Vorig jaar {i}", "received_at": received.strftime("%Y-%m-%dT%H:%M:%SZ")})
    for i in range(10):
        received = datetime(year, 2 + i % 10, 3, 9, 0, tzinfo=tz).astimezone(timezone.utc)
        category = f"{main['key']}/{sub}" if sub else main["key"]
        ref = call("POST", "/api/v1/signals", {"kind": "complaint", "channel": "letter", "category": category,
                                               "description": f"Klacht {i}", "received_at": received.strftime("%Y-%m-%dT%H:%M:%SZ")})["reference"]
        call("PATCH", f"/api/v1/signals/{ref}", {"status": "in_progress"})
        at = (received + timedelta(days=3 if i % 3 else 70)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = {"status": "answered", "answer": "Antwoord op uw klacht.", "answered_at": at}
        if i < 8:
            body["outcome"] = OUTCOMES[i % 4]
        call("PATCH", f"/api/v1/signals/{ref}", body)


def nl_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def page_boxes(pdf_path) -> list[dict]:
    """Per page of the PDF: its height and the lowest bottom edge of a word outside the footer."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        height = float(m.group(2))
        words = [(float(y0), float(y1), w) for y0, y1, w in
                 re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', m.group(3))]
        footer_top = height - 20 / 25.4 * 72  # the bottom margin (20 mm) holds the page number
        body = [y1 for y0, y1, _ in words if y0 < footer_top]
        pages.append({"height": height, "lowest": max(body, default=0), "text": " ".join(w for _, _, w in words)})
    return pages


def test_report_page_trend_on_time_outcomes_summary_and_numbered_print(desk_driver, backend, config, year, trend_dataset, tmp_path):
    driver = desk_driver
    audit = Audit(driver, targets=True)
    sign_in(driver, backend, "/reports")
    query = f"from={year}-01-01&to={year}-12-31"
    wait_report(driver, query)
    r = api_report(backend, query)
    prev = api_report(backend, f"from={year - 1}-01-01&to={year - 1}-12-31")
    assert prev["total"] >= 36 and r["complaint_outcomes"]["upheld"] >= 2

    # The trend: every month of the year beside the same month a year earlier.
    trend = chart_rows(driver, "chart-trend")
    assert [x["key"] for x in trend] == [f"{year}-{m:02d}" for m in range(1, 13)]
    for x in trend:
        assert x["value"] == r["by_month"][x["key"]]
        assert float(x["population"]) == prev["by_month"][f"{year - 1}{x['key'][4:]}"]
    rows = driver.find_elements(By.CSS_SELECTOR, "#table-trend tbody tr")
    assert len(rows) == 12
    for row in rows:
        cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
        key = row.get_attribute("data-key")
        a, b = r["by_month"][key], prev["by_month"][f"{year - 1}{key[4:]}"]
        assert [digits(c) for c in cells] == [str(a), str(b), ("+" if a > b else "") + str(a - b)]

    # On time, outcomes, subcategories: the API's numbers.
    assert digits(css(driver, "#on-time-answered").text) == str(r["on_time"]["answered"])
    assert digits(css(driver, "#on-time-on_time").text) == str(r["on_time"]["on_time"])
    assert digits(css(driver, "#on-time-late").text) == str(r["on_time"]["answered"] - r["on_time"]["on_time"])
    assert {x["key"]: x["value"] for x in chart_rows(driver, "chart-outcomes")} == r["complaint_outcomes"]
    outcome_rows = driver.find_elements(By.CSS_SELECTOR, "#table-outcomes tbody tr")
    assert {row.get_attribute("data-key"): digits(row.find_elements(By.TAG_NAME, "td")[0].text) for row in outcome_rows} == \
        {k: str(v) for k, v in r["complaint_outcomes"].items()}
    sub_rows = driver.find_elements(By.CSS_SELECTOR, "#table-subcategory tbody tr")
    assert {row.get_attribute("data-key"): int(digits(row.find_elements(By.TAG_NAME, "td")[0].text)) for row in sub_rows} == \
        {k: v for k, v in r["by_subcategory"].items() if v > 0}

    # Labels that say what a number means and which way is better; no bare symbols.
    body = css(driver, "#report").text
    assert "⌀" not in body
    headings = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#report h2")]
    assert "Routes" not in headings and "Dienstverlening, beleid, combinatie of onbepaald" not in headings
    assert "Gemiddelde belevingsscore (1 = geen impact, 5 = zeer grote impact; lager is beter)" in body
    assert "Binnen de termijn beantwoord (hoger is beter)" in body
    assert "Gegrond" in body and "Deels gegrond" in body and "Onontvankelijk" in body

    # The summary, written from the figures (Dutch number formatting).
    summary = css(driver, "#summary-text").text
    assert f"In {year} kwamen {nl_number(r['total'])} signalen binnen." in summary
    word = "meer" if r["total"] > prev["total"] else "minder"
    assert f"{word} dan in {year - 1} ({nl_number(prev['total'])})" in summary
    share = f"{100 * r['on_time']['on_time'] / r['on_time']['answered']:.1f}".replace(".", ",")
    assert f"Van de {nl_number(r['on_time']['answered'])} beantwoorde signalen kregen er {nl_number(r['on_time']['on_time'])} een antwoord binnen de termijn: {share}" in summary
    o = r["complaint_outcomes"]
    assert (f"Er kwamen {nl_number(r['by_kind']['complaint'])} klachten binnen; van de {nl_number(r['by_kind']['complaint'] - o['none'])} "
            f"met een uitkomst waren er {o['upheld']} gegrond, {o['partly_upheld']} deels gegrond, {o['not_upheld']} ongegrond "
            f"en {o['inadmissible']} onontvankelijk.") in summary
    audit("report with trend, deadlines and outcomes")

    # Print: page numbers on every page, and no page left half empty before the last.
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})["data"])
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert count >= 2
    for n in range(1, count + 1):
        page = subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert f"Pagina {n} van {count}" in page, (n, page[-400:])
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Samenvatting" in text and "Signalen per maand, tegenover een jaar eerder" in text and "Uitkomst van de klachten" in text
    pages = page_boxes(path)
    assert len(pages) == count
    for n, p in enumerate(pages[:-1], start=1):
        assert p["lowest"] > 0.5 * p["height"], f"page {n} of {count} is more than half empty ({p['lowest']:.0f} of {p['height']:.0f} pt)"
    assert not csp_errors(driver)
    audit.check()
