"""The kiosk on its 1080 × 1920 portrait touchscreen (issue 13): type and target sizes, the main
action in the lower half, a keyboard per language and a keypad for phone numbers, the fast path,
the countdown before the wipe, the desk code kept and printable, and a printed receipt."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess

import pytest
from selenium.webdriver.common.by import By

from flows import submit_and_wait_done, walk_to_check
from helpers import (TOKEN_KEY, Audit, choose, click, continue_, css, enroll, fill, get_signal, open_kiosk, pick_category,
                     screen, unique, wait_for, wait_screen)

KIOSK = dict(targets=True, minimum=64, text=28)


def primary_in_lower_half(driver):
    """The screen's main action: at least 64 px high and wholly in the lower half of the window."""
    box = driver.execute_script("""
      const b = [...document.querySelectorAll('#main .button--primary')].filter(e => e.getClientRects().length).pop();
      if (!b) return null;
      const r = b.getBoundingClientRect();
      return {top: r.top, bottom: r.bottom, height: r.height, vh: window.innerHeight, text: b.textContent};""")
    assert box, "no primary button on screen " + str(screen(driver))
    assert box["height"] >= 64, box
    assert box["top"] >= box["vh"] / 2 and box["bottom"] <= box["vh"], box
    return box


def look(driver, audit, label, primary=True):
    audit(label)
    if primary:
        primary_in_lower_half(driver)


def press(driver, *keys):
    for k in keys:
        css(driver, f"#keyboard [data-key=\"{k}\"]").click()


def type_text(driver, text):
    """Types text on the on-screen keyboard the way a person does: shift before a capital."""
    for ch in text:
        key = "space" if ch == " " else ch.lower() if ch.isupper() else ch
        if ch.isupper():
            press(driver, "shift")
        press(driver, key)


def portrait(driver):
    """The counter screen exactly: a 1080 × 1920 viewport (the window's frame takes some of the window)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1080, "height": 1920, "deviceScaleFactor": 1, "mobile": False})


def kiosk_in(driver, backend, lang="nl", query=""):
    portrait(driver)
    enroll(driver, backend)
    open_kiosk(driver, backend.base, query)
    if lang != "nl":
        click(driver, f"#language-switch button[data-lang={lang}]")
        wait_for(driver, lambda d: d.execute_script("return document.documentElement.lang") == lang)


def test_every_kiosk_screen_has_large_text_large_targets_and_the_action_below(driver, backend, config):
    main, sub = pick_category(config)
    audit = Audit(driver, **KIOSK)
    kiosk_in(driver, backend)
    assert driver.execute_script("return [innerWidth, innerHeight]") == [1080, 1920]
    body = driver.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)")
    assert body >= 28
    # One column that uses the screen: the main content spans (nearly) the whole width.
    width = driver.execute_script("return document.querySelector('#main .screen').getBoundingClientRect().width")
    assert width >= 1080 * 0.9
    seen = []

    def lookat(label):
        seen.append(label)
        look(driver, audit, label, primary=label not in ("description with keyboard",))

    walk_to_check(driver, config, kind="report", main=main, sub=sub, description=unique("Losliggende stoeptegel"),
                  address="Kapellestraat 3", score=3, phone="0470 11 22 33", audit=lookat)
    # Terug and help are as large as the rest, and back sits beside the main action.
    back = css(driver, "[data-action=back]")
    assert back.size["height"] >= 64 and back.location["y"] >= 960
    assert css(driver, "#help-button").size["height"] >= 64
    submit_and_wait_done(driver)
    look(driver, audit, "done", primary=False)
    click(driver, "[data-action=new]")
    wait_screen(driver, "start")
    click(driver, "#help-button")
    wait_screen(driver, "help")
    wait_for(driver, lambda d: d.find_elements(By.ID, "help-code") or d.find_elements(By.CSS_SELECTOR, "[data-action=help-retry]"), 10, "help answer")
    look(driver, audit, "help")
    assert {"start", "kind", "category", "subcategory", "location", "experience", "contact", "check"} <= set(seen)
    audit.check()


def test_german_keyboard_types_strasse_and_french_keyboard_hotel_de_ville(driver, backend, config):
    audit = Audit(driver, **KIOSK)
    kiosk_in(driver, backend, "de")
    click(driver, "[data-action=fast]")
    wait_screen(driver, "quick")
    look(driver, audit, "quick de")
    choose(driver, "quick", css(driver, "input[name=quick]").get_attribute("value"))
    continue_(driver)
    wait_screen(driver, "location")
    css(driver, "#f-address").click()
    wait_for(driver, lambda d: css(d, "#keyboard").is_displayed())
    kb = css(driver, "#keyboard")
    assert kb.get_attribute("data-lang") == "de" and kb.get_attribute("data-mode") == "letters"
    for k in ("ä", "ö", "ü", "ß", "z", "y", "+", "/", "?", "!", "_", ";", "@", ".", "-"):
        assert driver.find_elements(By.CSS_SELECTOR, f"#keyboard [data-key=\"{k}\"]"), f"no {k} on the German keyboard"
    type_text(driver, "Straße")
    assert css(driver, "#f-address").get_attribute("value") == "Straße"
    audit("keyboard de")
    keys = driver.execute_script("return [...document.querySelectorAll('#keyboard .key')].map(k => k.getBoundingClientRect()).map(r => [r.width, r.height])")
    assert keys and min(min(w, h) for w, h in keys) >= 64, "keys under 64 px"
    type_text(driver, " Müll")
    assert css(driver, "#f-address").get_attribute("value") == "Straße Müll"

    # French: the letters French needs, and the place typed on them.
    click(driver, "#language-switch button[data-lang=fr]")
    wait_for(driver, lambda d: d.execute_script("return document.documentElement.lang") == "fr")
    css(driver, "#f-address").clear()
    css(driver, "#f-address").click()
    wait_for(driver, lambda d: css(d, "#keyboard").get_attribute("data-lang") == "fr")
    for k in "éèêëçàâîôûùï":
        assert driver.find_elements(By.CSS_SELECTOR, f"#keyboard [data-key=\"{k}\"]"), f"no {k} on the French keyboard"
    type_text(driver, "Hôtel de Ville")
    assert css(driver, "#f-address").get_attribute("value") == "Hôtel de Ville"
    audit("keyboard fr")
    # Dutch has its own accents.
    click(driver, "#language-switch button[data-lang=nl]")
    wait_for(driver, lambda d: d.execute_script("return document.documentElement.lang") == "nl")
    css(driver, "#f-address").click()
    wait_for(driver, lambda d: css(d, "#keyboard").get_attribute("data-lang") == "nl")
    for k in "éëï":
        assert driver.find_elements(By.CSS_SELECTOR, f"#keyboard [data-key=\"{k}\"]"), f"no {k} on the Dutch keyboard"
    audit.check()


def test_phone_field_gets_a_numeric_keypad(driver, backend, config):
    main, sub = pick_category(config)
    kiosk_in(driver, backend)
    walk_to_check(driver, config, kind="complaint", main=main, sub=sub, description=unique("Lang gewacht"))
    click(driver, ".summary [data-change=contact]")
    wait_screen(driver, "contact")
    css(driver, "#f-phone").click()
    wait_for(driver, lambda d: css(d, "#keyboard").is_displayed())
    assert css(driver, "#keyboard").get_attribute("data-mode") == "numeric"
    keys = {k.get_attribute("data-key") for k in driver.find_elements(By.CSS_SELECTOR, "#keyboard .key")}
    assert set("0123456789+") <= keys and not keys & set("abcdefghijklmnopqrstuvwxyz"), keys
    press(driver, "+", "3", "2", "space", "4", "7", "0", "space", "1", "2", "9", "backspace", "3", "4")
    assert css(driver, "#f-phone").get_attribute("value") == "+32 470 1234"
    sizes = driver.execute_script("return [...document.querySelectorAll('#keyboard .key')].map(k => k.getBoundingClientRect().height)")
    assert min(sizes) >= 64
    # The e-mail field gets the letters back.
    css(driver, "#f-email").click()
    wait_for(driver, lambda d: css(d, "#keyboard").get_attribute("data-mode") == "letters")
    continue_(driver)
    wait_screen(driver, "check")
    reference = submit_and_wait_done(driver)
    assert get_signal(backend, reference)["contact"]["phone"] == "+32 470 1234"


def test_fast_path_stores_a_complete_signal_in_five_screens(driver, backend, config):
    audit = Audit(driver, **KIOSK)
    kiosk_in(driver, backend, query="?confirm=30")
    screens = [screen(driver)]

    def step(name):
        wait_screen(driver, name)
        screens.append(name)
        look(driver, audit, name, primary=name != "done")

    look(driver, audit, "start")
    click(driver, "[data-action=fast]")
    step("quick")
    # Only topics the city handles itself (an outside body's need the consent question), each "main/sub".
    values = [e.get_attribute("value") for e in driver.find_elements(By.CSS_SELECTOR, "input[name=quick]")]
    external = {f"{c['key']}/{s['key']}" for c in config["categories"] for s in c.get("subcategories") or []
                if s.get("external_party") or c.get("external_party")}
    assert values and not set(values) & external
    topic = next(v for v in values if "zwerfvuil" in v) if any("zwerfvuil" in v for v in values) else values[0]
    choose(driver, "quick", topic)
    continue_(driver)
    step("location")
    district = config["districts"][0]
    fill(driver, "f-address", "Wapenplein 1")
    choose(driver, "district", district["key"])
    continue_(driver)
    step("description")
    text = unique("Een omgevallen vuilnisbak naast de bank, het afval waait over het plein")
    fill(driver, "f-description", text)
    click(driver, "[data-action=submit]")
    step("done")
    assert screens == ["start", "quick", "location", "description", "done"]
    assert len(screens) <= 5
    reference = css(driver, "#reference").text.strip().replace(" ", "")
    signal = get_signal(backend, reference)
    assert signal["reference"] == reference
    assert signal["kind"] == "report" and signal["category"] == topic
    assert signal["description"] == text and signal["address"] == "Wapenplein 1" and signal["district"] == district["key"]
    assert signal["channel"] == "kiosk" and signal["site"] == backend.site and signal["status"]
    # The confirmation shows the place and the description, and how to follow it.
    assert "Wapenplein 1" in css(driver, "#done-place").text
    assert css(driver, "#done-description").text.startswith("Een omgevallen vuilnisbak")
    assert f"/status/{reference}?key=" in css(driver, "#done-follow").text
    audit.check()


def _seconds(driver):
    m = re.search(r"\d+", css(driver, "#reset-note").text)
    assert m, css(driver, "#reset-note").text
    return int(m.group())


def test_countdown_before_the_wipe_is_visible_and_counts(driver, backend, config):
    main, sub = pick_category(config)
    kiosk_in(driver, backend, query="?idle=60&warn=30&confirm=8")
    walk_to_check(driver, config, kind="compliment", main=main, sub=sub, description=unique("Vriendelijk geholpen"))
    submit_and_wait_done(driver)
    note = css(driver, "#reset-note")
    assert note.is_displayed()
    first = _seconds(driver)
    assert 6 <= first <= 8
    wait_for(driver, lambda d: _seconds(d) <= first - 2, 5, "the countdown counting")
    assert float(driver.execute_script("return parseFloat(getComputedStyle(document.getElementById('reset-note')).fontSize)")) >= 28
    wait_screen(driver, "start", 12)
    assert driver.execute_script("return sessionStorage.length") == 0


def test_help_done_keeps_the_desk_code_printable_then_wipes(driver, backend, config):
    main, sub = pick_category(config)
    audit = Audit(driver, **KIOSK)
    kiosk_in(driver, backend, query="?idle=60&warn=30&confirm=10")
    walk_to_check(driver, config, kind="complaint", main=main, sub=sub, description=unique("Private woorden van de burger"))
    click(driver, "#help-button")
    wait_for(driver, lambda d: d.find_elements(By.ID, "help-code"), 10, "help code")
    code = css(driver, "#help-code").text.strip()
    look(driver, audit, "help code")
    click(driver, "[data-action=help-done]")
    # "Klaar": the answers are gone from the kiosk, the code is still there with its countdown.
    wait_for(driver, lambda d: d.find_elements(By.ID, "help-kept"), 5, "code kept")
    assert css(driver, "#help-code").text.strip() == code
    assert driver.execute_script("return sessionStorage.length") == 0
    assert "Private woorden" not in driver.page_source
    assert 1 <= _seconds(driver) <= 10
    look(driver, audit, "help code kept")
    # The draft is still at the desk under that code.
    status, draft = backend.api("GET", f"/api/v1/drafts/{code}", token=backend.tokens["desk"])
    assert status == 200 and "Private woorden" in draft["answers"]["description"]
    # The code prints on its own slip, with its QR code for the desk's scanner.
    wait_for(driver, lambda d: d.execute_script(
        "const i = document.getElementById('slip-qr'); return i && i.complete && i.naturalWidth > 0"), 10, "the slip's QR code")
    assert driver.execute_script("return document.getElementById('slip-qr').getAttribute('src')") == f"/kiosk/desk-code/{code}/qr.svg"
    text = pdf_text(driver)
    assert code in text.replace(" ", "")
    assert "Private woorden" not in text
    wait_screen(driver, "start", 15)
    assert not driver.find_elements(By.ID, "help-code")
    assert driver.execute_script("return Object.keys(localStorage)") == [TOKEN_KEY]
    audit.check()


def pdf_text(driver) -> str:
    """The page as Chromium prints it (printToPDF over CDP), read back with pdftotext."""
    tool = shutil.which("pdftotext")
    if not tool:
        pytest.fail("pdftotext is not installed (make test-deps installs poppler-utils)")
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    return subprocess.run([tool, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode("utf8")


def test_printed_receipt_holds_place_description_reference_and_status_link(driver, backend, config):
    kiosk_in(driver, backend)
    click(driver, "[data-action=fast]")
    wait_screen(driver, "quick")
    choose(driver, "quick", css(driver, "input[name=quick]").get_attribute("value"))
    continue_(driver)
    wait_screen(driver, "location")
    fill(driver, "f-address", "Leopold II-laan 8")
    continue_(driver)
    wait_screen(driver, "description")
    text = unique("Twee straatlampen branden niet meer sinds het weekend")
    fill(driver, "f-description", text)
    click(driver, "[data-action=submit]")
    wait_screen(driver, "done")
    reference = css(driver, "#reference").text.replace(" ", "")
    printed = pdf_text(driver)
    flat = re.sub(r"\s+", " ", printed)
    assert "Leopold II-laan 8" in flat
    assert "Twee straatlampen branden niet meer" in flat
    assert reference in re.sub(r"\s+", "", printed)
    assert "/status/" in re.sub(r"\s+", "", printed)
    # Only the receipt prints: none of the screen's buttons.
    assert "Nieuw bericht" not in flat
