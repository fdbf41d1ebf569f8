"""The counter kiosk (/kiosk): issue 3's walks, idle privacy, errors, network trouble, touch and weight."""

from __future__ import annotations

import base64
import re
import time

from selenium.webdriver.common.by import By

from flows import submit_and_wait_done, walk_from_kind, walk_to_check, walk_to_description
from helpers import (TOKEN_KEY, Audit, active_id, choose, click, continue_, csp_errors, css, enroll, fill, get_signal,
                     list_signals, open_kiosk, pick_category, screen, signals_with_description, small_targets,
                     unique, wait_for, wait_screen)


def test_kiosk_without_enrolment_shows_staff_notice_then_enrols(driver, backend):
    audit = Audit(driver, targets=True)
    driver.get(backend.base + "/kiosk")
    wait_screen(driver, "not-enrolled")
    assert "niet ingeschreven" in css(driver, "h1").text
    assert "kiosk enrol-code" in css(driver, "#main").text and "/kiosk/enroll" in css(driver, "#main").text
    assert not css(driver, "#help-button").is_displayed()
    audit("kiosk not enrolled")

    driver.get(backend.base + "/kiosk/enroll")
    wait_for(driver, lambda d: d.find_elements(By.ID, "e-code"), 10, "enrolment form")
    audit("enrolment form")
    token = enroll(driver, backend, name="kiosk-hal-1")
    audit("enrolment done")
    status, session = backend.api("GET", "/api/v1/session", token=token)
    assert status == 200 and session["role"] == "kiosk" and session["site"] == backend.site

    open_kiosk(driver, backend.base)
    assert token not in driver.page_source
    assert css(driver, "#help-button").is_displayed()
    assert not csp_errors(driver)
    audit.check()


def _urls_seen(driver) -> list[str]:
    """Every URL the tab has loaded or fetched, and the address bar."""
    return driver.execute_script(
        "return [location.href, ...performance.getEntries().map(e => e.name)]")


def test_enrolment_keeps_the_token_out_of_urls_and_stores_only_what_the_exchange_gave(driver, backend):
    audit = Audit(driver, targets=True)
    # An old-style link with a token in it: the query leaves the address bar at once and is never used.
    admin = backend.create_token("admin", "admin-enrol-test")
    driver.get(f"{backend.base}/kiosk/enroll?token={admin}")
    wait_for(driver, lambda d: d.find_elements(By.ID, "e-code"), 10, "enrolment form")
    assert driver.execute_script("return location.search") == ""
    assert driver.execute_script(f"return localStorage.getItem('{TOKEN_KEY}')") is None

    # A wrong code and an admin token typed in the field store nothing, with a clear message.
    for typed in ("ZZZZ-ZZZZ", admin):
        fill(driver, "e-code", typed)
        click(driver, "#enroll-submit")
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#main .error-message"), 10, "error message")
        assert "onbekend, verlopen of al gebruikt" in css(driver, "#main .error-message").text
        assert driver.execute_script("return Object.keys(localStorage)") == []
        assert driver.execute_script("return document.activeElement.id") == "e-code"
    audit("wrong code")

    # The service away: nothing stored, and the page says so.
    code = backend.enrol_code("kiosk-unreachable")
    driver.get(f"{backend.base}/kiosk/enroll")
    wait_for(driver, lambda d: d.find_elements(By.ID, "e-code"), 10, "enrolment form")
    backend.stop()
    try:
        fill(driver, "e-code", code)
        click(driver, "#enroll-submit")
        wait_for(driver, lambda d: d.find_elements(By.ID, "enroll-alert"), 20, "unreachable message")
        assert "niet bereikbaar" in css(driver, "#enroll-alert").text and "niets bewaard" in css(driver, "#enroll-alert").text
        assert driver.execute_script("return Object.keys(localStorage)") == []
        audit("service unreachable")
    finally:
        backend.start()

    # The right code: the token comes only from the exchange, and no URL ever held it.
    click(driver, "#enroll-submit")
    wait_for(driver, lambda d: d.find_elements(By.ID, "open-kiosk"), 10, "enrolment confirmation")
    token = driver.execute_script(f"return localStorage.getItem('{TOKEN_KEY}')")
    assert token and token != admin
    assert driver.execute_script("return Object.keys(localStorage)") == [TOKEN_KEY]
    assert not [u for u in _urls_seen(driver) if token in u or admin in u]
    assert token not in driver.page_source
    # The history holds no token either: walk back through every entry.
    for _ in range(driver.execute_script("return history.length") - 1):
        driver.back()
        assert token not in driver.current_url and admin not in driver.current_url
    status, session = backend.api("GET", "/api/v1/session", token=token)
    assert status == 200 and session["role"] == "kiosk" and session["name"] == "kiosk-unreachable"
    audit.check()


def start_complaint(driver, backend, config):
    """An enrolled kiosk's start page, a category for the complaint and the audit of its screens."""
    main, sub = pick_category(config)
    audit = Audit(driver, targets=True, minimum=64, text=28)
    enroll(driver, backend)
    open_kiosk(driver, backend.base)
    return main, sub, audit


def test_kiosk_complaint_in_dutch_is_stored_with_channel_kiosk_and_site(driver, backend, config):
    main, sub, audit = start_complaint(driver, backend, config)
    text = unique("Het loket was drie keer gesloten tijdens de openingsuren")
    assert driver.execute_script("return document.documentElement.lang") == "nl"
    assert not css(driver, "#translation-note").is_displayed()

    walk_to_check(driver, config, kind="complaint", main=main, sub=sub, description=text, address="Kapellestraat 12",
                  district=config["districts"][0]["key"], score=4, name="Jan Peeters", email="jan.peeters@example.be",
                  phone="0470 12 34 56", audit=audit)
    summary = css(driver, ".summary").text
    assert "Een klacht" in summary and "Kapellestraat 12" in summary and "4 — " in summary and "jan.peeters@example.be" in summary
    assert len(driver.find_elements(By.CSS_SELECTOR, ".summary [data-change]")) >= 6

    reference = submit_and_wait_done(driver)
    audit("confirmation")
    assert "Uw klacht is verstuurd" in css(driver, "h1").text
    assert float(driver.execute_script("return parseFloat(getComputedStyle(document.getElementById('reference')).fontSize)")) >= 32
    assert "0800 1 8400" in css(driver, "#main").text

    signal = get_signal(backend, reference)
    assert signal["channel"] == "kiosk"
    assert signal["site"] == backend.site
    assert signal["kind"] == "complaint"
    assert signal["category"] == f"{main}/{sub}"
    if "experience_score" in signal:
        assert signal["experience_score"] == 4
    assert not csp_errors(driver)
    audit.check()


def test_kiosk_complaint_in_french(driver, backend, config):
    main, sub, audit = start_complaint(driver, backend, config)
    text = unique("Le guichet était fermé pendant les heures d'ouverture")
    click(driver, "#language-switch button[data-lang=fr]")
    wait_for(driver, lambda d: d.execute_script("return document.documentElement.lang") == "fr")
    note = css(driver, "#translation-note")
    assert note.is_displayed() and "Traduction" in note.text and "néerlandais" in note.text
    assert css(driver, "#language-switch button[data-lang=fr]").get_attribute("aria-pressed") == "true"
    assert css(driver, "h1").text == "Dites-le à la ville"

    walk_to_check(driver, config, kind="complaint", main=main, sub=sub, description=text, score=2,
                  email="marie@example.fr", audit=audit)
    assert "Vérifiez vos réponses" in css(driver, "h1").text
    reference = submit_and_wait_done(driver)
    audit("confirmation fr")
    assert "Votre plainte est envoyée" in css(driver, "h1").text

    signal = get_signal(backend, reference)
    assert signal["channel"] == "kiosk" and signal["site"] == backend.site and signal["kind"] == "complaint"
    if "experience_score" in signal:
        assert signal["experience_score"] == 2
    if isinstance(signal.get("contact"), dict):
        assert signal["contact"].get("language") == "fr"
    audit.check()


def test_every_kiosk_state_is_accessible_and_touch_sized(driver, backend, config):
    """An outside body's matter (consent screen), German, help at the desk, the idle warning."""
    audit = Audit(driver, targets=True, minimum=64, text=28)
    enroll(driver, backend)
    open_kiosk(driver, backend.base, "?idle=4&warn=30")
    click(driver, "#language-switch button[data-lang=de]")
    wait_for(driver, lambda d: d.execute_script("return document.documentElement.lang") == "de")
    audit("start de")
    # A matter for an outside body, named on the category itself if the config has one (the web test takes a subcategory's).
    main = next((c["key"] for c in config["categories"] if c.get("external_party") and not c.get("subcategories")), None)
    sub = None
    if main is None:
        main, sub = pick_category(config, external=True)
    if main is None:
        main, sub = pick_category(config)
    walk_to_check(driver, config, kind="report", main=main, sub=sub, description=unique("Die Haltestelle ist beschädigt"),
                  score=3, consent=True, audit=audit)
    # An error state on the check screen's way back: the description emptied.
    click(driver, ".summary [data-change=description]")
    wait_screen(driver, "description")
    css(driver, "#f-description").clear()
    continue_(driver)
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"))
    audit("description error de")
    fill(driver, "f-description", "Die Haltestelle ist beschädigt")
    continue_(driver)
    wait_screen(driver, "check")

    click(driver, "#help-button")
    wait_for(driver, lambda d: d.find_elements(By.ID, "help-code"), 10, "help code")
    audit("help code")

    click(driver, "[data-action=help-back]")
    wait_screen(driver, "check")
    # The idle warning after 4 s.
    wait_for(driver, lambda d: d.execute_script("return document.getElementById('idle-dialog').open"), 15, "idle dialog")
    audit("idle warning")
    assert active_id(driver) == "idle-continue"
    click(driver, "#idle-continue")
    assert screen(driver) == "check"
    audit.check()


def test_idle_warning_then_wipe_with_short_timings(driver, backend, config):
    main, sub = pick_category(config)
    enroll(driver, backend)
    driver.execute_script("localStorage.setItem('opunt.other', 'x')")
    open_kiosk(driver, backend.base, "?idle=3&warn=2&confirm=5")
    click(driver, "#language-switch button[data-lang=en]")
    wait_for(driver, lambda d: d.execute_script("return document.documentElement.lang") == "en")
    walk_to_description(driver, config, kind="report", main=main, sub=sub)
    fill(driver, "f-description", "Private words of the last citizen")

    # First warning: the citizen answers "I'm still here" and keeps everything.
    t0 = time.monotonic()
    wait_for(driver, lambda d: d.execute_script("return document.getElementById('idle-dialog').open"), 10, "idle warning")
    assert time.monotonic() - t0 >= 2.0
    assert css(driver, "#idle-continue").text == "I'm still here"
    click(driver, "#idle-continue")
    assert not driver.execute_script("return document.getElementById('idle-dialog').open")
    assert css(driver, "#f-description").get_attribute("value") == "Private words of the last citizen"

    # Second warning, no answer: everything is wiped.
    wait_for(driver, lambda d: d.execute_script("return document.getElementById('idle-dialog').open"), 10, "idle warning 2")
    wait_screen(driver, "start", 10)
    assert not driver.execute_script("return document.getElementById('idle-dialog').open")
    assert driver.execute_script("return document.documentElement.lang") == "nl"
    assert driver.execute_script("return sessionStorage.length") == 0
    assert driver.execute_script("return Object.keys(localStorage)") == [TOKEN_KEY]
    assert "Private words" not in driver.page_source
    # Going back through the history finds nothing of it.
    driver.execute_script("location.hash = 'description'")
    wait_screen(driver, "kind")
    assert not driver.find_elements(By.CSS_SELECTOR, "input[name=kind]:checked")
    assert driver.execute_script("return document.getElementById('f-description')") is None


def test_confirmation_screen_resets_after_its_time(driver, backend, config):
    main, sub = pick_category(config)
    enroll(driver, backend)
    open_kiosk(driver, backend.base, "?idle=60&warn=30&confirm=4")
    walk_to_check(driver, config, kind="suggestion", main=main, sub=sub, description=unique("Meer zitbanken op de Zeedijk"))
    reference = submit_and_wait_done(driver)
    left = int(re.search(r"\d+", css(driver, "#reset-note").text).group())
    assert 1 <= left <= 4
    t0 = time.monotonic()
    wait_screen(driver, "start", 15)
    assert time.monotonic() - t0 >= 2.5
    assert driver.execute_script("return sessionStorage.length") == 0
    # The printable receipt of the last citizen is gone too.
    assert driver.execute_script("return document.getElementById('receipt').textContent") == ""
    assert reference not in driver.page_source


def test_error_shown_and_corrected_without_losing_answers(driver, backend, config):
    main, sub = pick_category(config)
    audit = Audit(driver, targets=True, minimum=64, text=28)
    enroll(driver, backend)
    open_kiosk(driver, backend.base)
    click(driver, "[data-action=start]")
    wait_screen(driver, "kind")
    # Continue without a choice: the summary takes focus and links to the field.
    continue_(driver)
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"))
    assert active_id(driver) == "error-summary"
    assert driver.title.startswith("Fout:")
    audit("kind error")
    link = css(driver, ".error-summary a")
    assert link.get_attribute("href").endswith("#f-kind")
    link.click()
    assert active_id(driver) == "f-kind"
    assert screen(driver) == "kind"
    walk_from_kind(driver, config, kind="report", main=main, sub=sub)
    continue_(driver)
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#f-description-error"))
    assert css(driver, "#f-description").get_attribute("aria-invalid") == "true"
    assert "f-description-error" in css(driver, "#f-description").get_attribute("aria-describedby")
    description = unique("Een kapotte straatlamp aan de Vindictivelaan")
    fill(driver, "f-description", description)
    continue_(driver)
    wait_screen(driver, "location")
    fill(driver, "f-address", "Vindictivelaan 1")
    continue_(driver)
    wait_screen(driver, "experience")
    choose(driver, "score", "3")
    continue_(driver)
    wait_screen(driver, "contact")
    fill(driver, "f-name", "An De Smet")
    fill(driver, "f-email", "an.desmet@")
    continue_(driver)
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#f-email-error"))
    assert active_id(driver) == "error-summary"
    audit("email error")
    assert "naam@voorbeeld.be" in css(driver, ".error-summary").text
    # What was typed is still there.
    assert css(driver, "#f-name").get_attribute("value") == "An De Smet"
    assert css(driver, "#f-email").get_attribute("value") == "an.desmet@"
    css(driver, ".error-summary a").click()
    assert active_id(driver) == "f-email"
    fill(driver, "f-email", "an.desmet@example.be")
    continue_(driver)
    wait_screen(driver, "check")
    summary = css(driver, ".summary").text
    for part in ("Een melding", description, "Vindictivelaan 1", "3 — ", "An De Smet", "an.desmet@example.be"):
        assert part in summary

    # The service refuses a field (simulated once in the page): the answer is kept and linked to its screen.
    driver.execute_script("""
      const real = window.fetch;
      let once = true;
      window.fetch = (url, opts) => {
        if (once && String(url).endsWith('/api/v1/signals') && opts && opts.method === 'POST') {
          once = false;
          return Promise.resolve(new Response(JSON.stringify({type: 'about:blank', title: 'Invalid signal', status: 422,
            detail: '1 field is invalid', errors: [{field: 'description', message: 'is too vague'}]}),
            {status: 422, headers: {'Content-Type': 'application/problem+json'}}));
        }
        return real(url, opts);
      };""")
    click(driver, "[data-action=submit]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary a[href='#description']"))
    assert active_id(driver) == "error-summary"
    audit("service error on check")
    css(driver, ".error-summary a").click()
    wait_screen(driver, "description")
    assert css(driver, "#f-description").get_attribute("value") == description
    assert css(driver, "#f-description-error").is_displayed()
    css(driver, "#f-description").send_keys(" Sinds maandag.")
    continue_(driver)
    wait_screen(driver, "check")
    assert not driver.find_elements(By.CSS_SELECTOR, ".error-summary")
    reference = submit_and_wait_done(driver)
    signal = get_signal(backend, reference)
    assert signal["channel"] == "kiosk"
    assert len(signals_with_description(backend, description + " Sinds maandag.")) == 1
    audit.check()


def test_submit_while_the_service_is_away_is_filed_once_when_it_is_back(driver, backend, config):
    main, sub = pick_category(config)
    description = unique("Zwerfvuil aan het Marie-Joséplein")
    enroll(driver, backend)
    open_kiosk(driver, backend.base)
    walk_to_check(driver, config, kind="report", main=main, sub=sub, description=description, score=5)
    before = len(list_signals(backend))
    backend.stop()
    try:
        click(driver, "[data-action=submit]")
        wait_for(driver, lambda d: "verbinding" in css(d, "#submit-status").text, 15, "waiting message")
        assert screen(driver) == "check"
        # A second press while waiting does not send a second signal.
        click(driver, "[data-action=submit]")
        time.sleep(2)
    finally:
        backend.start()
    wait_screen(driver, "done", 40)
    reference = css(driver, "#reference").text.strip()
    signal = get_signal(backend, reference)
    assert signal["channel"] == "kiosk" and signal["site"] == backend.site
    after = list_signals(backend)
    assert len(after) == before + 1, "the retries filed more than one signal"
    if all("description" in s for s in after):
        assert [s["reference"] for s in after if s["description"] == description] == [reference]


def test_on_screen_keyboard_types_into_the_focused_field(driver, backend, config):
    main, sub = pick_category(config)
    enroll(driver, backend)
    open_kiosk(driver, backend.base)
    assert not css(driver, "#keyboard").is_displayed()
    click(driver, "[data-action=start]")
    wait_screen(driver, "kind")
    assert not css(driver, "#keyboard").is_displayed()
    walk_from_kind(driver, config, kind="report", main=main, sub=sub)
    css(driver, "#f-description").click()
    wait_for(driver, lambda d: css(d, "#keyboard").is_displayed())

    def press(*keys):
        for k in keys:
            css(driver, f"#keyboard [data-key='{k}']").click()

    press("shift", "l", "a", "m", "p", "space", "k", "a", "p", "o", "t", "t", "backspace", "space", "1", "2")
    assert css(driver, "#f-description").get_attribute("value") == "Lamp kapot 12"
    assert active_id(driver) == "f-description"
    assert not small_targets(driver)
    continue_(driver)
    wait_screen(driver, "location")
    continue_(driver)
    wait_screen(driver, "experience")
    continue_(driver)
    wait_screen(driver, "contact")
    css(driver, "#f-email").click()
    wait_for(driver, lambda d: css(d, "#keyboard").is_displayed())
    press("j", "@", "o", ".", "b", "e")
    assert css(driver, "#f-email").get_attribute("value") == "j@o.be"
    press("hide")
    assert not css(driver, "#keyboard").is_displayed()
    # Inputs carry the right types and no autofill on a shared screen.
    assert css(driver, "#f-email").get_attribute("type") == "email"
    assert css(driver, "#f-email").get_attribute("inputmode") == "email"
    assert css(driver, "#f-phone").get_attribute("type") == "tel"
    assert css(driver, "#f-phone").get_attribute("autocomplete") == "off"


def test_kiosk_page_weighs_under_150_kb_and_needs_nothing_from_outside(driver, backend):
    enroll(driver, backend)
    open_kiosk(driver, backend.base)
    for lang in ("fr", "de", "en", "nl"):
        click(driver, f"#language-switch button[data-lang={lang}]")
        wait_for(driver, lambda d, lang=lang: d.execute_script("return document.documentElement.lang") == lang)
    entries = driver.execute_script("""
      return [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]
        .map(e => ({name: e.name, size: e.decodedBodySize || 0}));""")
    assets = [e for e in entries if "/api/" not in e["name"]]
    outside = [e["name"] for e in entries if not e["name"].startswith(backend.base)]
    assert not outside, outside
    total = sum(e["size"] for e in assets)
    names = {re.sub(r"^https?://[^/]+", "", e["name"]) for e in assets}
    assert "/assets/css/main.css" in names and "/assets/js/kiosk.js" in names
    assert {"/assets/i18n/nl.json", "/assets/i18n/fr.json", "/assets/i18n/de.json", "/assets/i18n/en.json"} <= names
    assert 0 < total < 150 * 1024, f"kiosk page weighs {total} bytes: {sorted(assets, key=lambda e: -e['size'])}"


def test_receipt_prints_on_an_80_mm_roll(driver, backend, config):
    main, sub = pick_category(config)
    enroll(driver, backend)
    open_kiosk(driver, backend.base)
    walk_to_check(driver, config, kind="compliment", main=main, sub=sub, description=unique("Vriendelijk onthaal aan het loket"))
    reference = submit_and_wait_done(driver)
    assert reference in driver.execute_script("return document.getElementById('receipt').textContent")
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert box, "no page size in the PDF"
    width_mm = float(box.group(1)) / 72 * 25.4
    assert abs(width_mm - 80) < 1.5, f"page is {width_mm:.1f} mm wide"
