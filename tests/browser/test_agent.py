"""The agent console (/agent) of the 0800 line against the real service: an agent logs a call's
outcome with the keyboard alone, creates a phone signal from a call, clears the call-back list,
looks a signal up, and sees new calls arrive without reloading; axe-core finds nothing serious."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from helpers import Audit, click, csp_errors, css, fill, get_signal, pick_category, unique, wait_for


@pytest.fixture(scope="module")
def phone(backend):
    return {"pbx": backend.create_token("pbx", "exchange-browser"), "agent": backend.create_token("agent", "agent Femke")}


def push(backend, pbx, **fields):
    """One event of the exchange's CTI push, as JSON."""
    req = urllib.request.Request(f"{backend.base}/api/v1/cti/{pbx}", data=json.dumps(fields).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200


def answered_call(backend, pbx, call_id, number, agent="Femke"):
    push(backend, pbx, event="newCall", callId=call_id, **{"from": number}, to="0800 1 8400", user=[agent])
    push(backend, pbx, event="answer", callId=call_id, user=[agent])
    push(backend, pbx, event="hangup", callId=call_id, cause="normalClearing")


def call_by_id(backend, token, call_id):
    status, doc = backend.api("GET", "/api/v1/calls?limit=500", token=token)
    assert status == 200, doc
    return next(c for c in doc["items"] if c["call_id"] == call_id)


def row_button(driver, call):
    return driver.find_elements(By.CSS_SELECTOR, f"button[data-action=open-call][data-call-id='{call['id']}']")


def sign_in(driver, backend, token, audit):
    driver.get(backend.base + "/agent")
    wait_for(driver, lambda d: d.find_elements(By.ID, "a-token"), 15, "sign-in form")
    assert driver.execute_script("return document.documentElement.lang") == "nl"
    audit("agent sign-in")
    fill(driver, "a-token", token)
    css(driver, "#a-token").send_keys(Keys.ENTER)
    wait_for(driver, lambda d: d.find_elements(By.ID, "calls"), 15, "the calls table")


def tab_to(driver, selector, limit=80):
    """Presses Tab until the focus is on selector: the keyboard alone."""
    body = driver.switch_to.active_element
    for _ in range(limit):
        if driver.execute_script("return document.activeElement.matches(arguments[0])", selector):
            return driver.switch_to.active_element
        body.send_keys(Keys.TAB)
        body = driver.switch_to.active_element
    raise AssertionError(f"Tab never reached {selector}")


def test_agent_logs_an_outcome_and_creates_a_phone_signal(desk_driver, backend, config, phone):
    driver = desk_driver
    audit = Audit(driver)
    suffix = str(time.time_ns())[-6:]
    first, second = f"browser-{suffix}-1", f"browser-{suffix}-2"
    answered_call(backend, phone["pbx"], first, "+32 59 70 00 01")
    answered_call(backend, phone["pbx"], second, "+32 59 70 00 02")
    push(backend, phone["pbx"], event="newCall", callId=f"browser-{suffix}-3", **{"from": "+32 59 70 00 03"})
    push(backend, phone["pbx"], event="hangup", callId=f"browser-{suffix}-3", cause="noAnswer")
    one, two = call_by_id(backend, phone["agent"], first), call_by_id(backend, phone["agent"], second)

    sign_in(driver, backend, phone["agent"], audit)
    wait_for(driver, lambda d: row_button(d, one) and row_button(d, two), 10, "both calls listed")
    # Newest first, and the calls still to log are marked in words, not only by colour.
    ids = [int(r.get_attribute("data-call-id")) for r in driver.find_elements(By.CSS_SELECTOR, "#calls tbody tr")]
    assert ids.index(two["id"]) < ids.index(one["id"])
    row = css(driver, f"#calls tr[data-call-id='{one['id']}']")
    assert "Nog te registreren" in row.text and "+32 59 70 00 01" in row.text
    assert "Gemist" in css(driver, "#callbacks").text or "70 00 03" in css(driver, "#callbacks").text
    audit("agent console")

    # Log the first call's outcome with the keyboard alone.
    button = tab_to(driver, f"button[data-action=open-call][data-call-id='{one['id']}']")
    button.send_keys(Keys.ENTER)
    wait_for(driver, lambda d: d.find_elements(By.ID, "log-form"), 10, "the log form")
    assert driver.execute_script("return document.activeElement.id") == "panel-title"
    tab_to(driver, "input[name=outcome]").send_keys(Keys.SPACE)  # the first outcome: information
    assert css(driver, "input[name=outcome][value=information]").is_selected()
    tab_to(driver, "#a-topic").send_keys("Afvalkalender")
    driver.switch_to.active_element.send_keys(Keys.TAB, "Wanneer komt de gft-ophaling?")
    assert driver.execute_script("return document.activeElement.id") == "a-note"
    tab_to(driver, "button[data-action=save-log]").send_keys(Keys.ENTER)
    wait_for(driver, lambda d: d.find_elements(By.ID, "panel-message"), 10, "saved")
    assert "Informatie gegeven" in css(driver, "#panel-message").text
    audit("agent logged a call")
    logged = call_by_id(backend, phone["agent"], first)
    assert (logged["outcome"], logged["topic"], logged["note"], logged["logged_by"]) == \
        ("information", "Afvalkalender", "Wanneer komt de gft-ophaling?", "agent Femke")

    # The log form says what is wrong: outcome signal without a reference.
    click(driver, f"button[data-action=open-call][data-call-id='{two['id']}']")
    wait_for(driver, lambda d: d.find_elements(By.ID, "log-form"))
    click(driver, "label[for='a-outcome-1']")
    click(driver, "button[data-action=save-log]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#panel .error-summary"))
    assert driver.execute_script("return document.activeElement.id") == "error-summary"
    assert [a.get_attribute("href").split("#")[1] for a in driver.find_elements(By.CSS_SELECTOR, ".error-summary a")] == ["a-reference"]
    audit("agent log errors")

    # A phone signal straight from the second call, which links the two.
    click(driver, "button[data-action=make-signal]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "signal-form"), 10, "the signal form")
    assert css(driver, "#s-phone").get_attribute("value") == "+32 59 70 00 02"
    main, sub = pick_category(config)
    description = unique("Lantaarnpaal brandt niet in de Torhoutsesteenweg")
    click(driver, "label[for='s-kind']")
    Select(css(driver, "#s-category")).select_by_value(f"{main}/{sub}")
    fill(driver, "s-description", description)
    fill(driver, "s-address", "Torhoutsesteenweg 100")
    fill(driver, "s-name", "Mijnheer Peeters")
    audit("agent signal form")
    click(driver, "button[data-action=create-signal]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "signal-reference"), 20, "the new signal's reference")
    reference = css(driver, "#signal-reference").text.strip()
    audit("agent signal created")
    signal = get_signal(backend, reference)
    assert (signal["channel"], signal["reporter"], signal["description"]) == ("phone", "citizen", description)
    assert signal["contact"]["phone"] == "+32 59 70 00 02" and signal["contact"]["name"] == "Mijnheer Peeters"
    linked = call_by_id(backend, phone["agent"], second)
    assert (linked["outcome"], linked["signal_reference"]) == ("signal", reference)
    wait_for(driver, lambda d: reference in css(d, f"#calls tr[data-call-id='{two['id']}']").text, 10, "the row shows the signal")

    # "What happened to my report?": the agent looks it up by reference, typed loosely.
    fill(driver, "lookup-reference", reference.lower())
    click(driver, "button[data-action=lookup]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "lookup-found"), 10, "the signal found")
    assert "Ontvangen" in css(driver, "#lookup-found").text
    fill(driver, "lookup-reference", "OP-0000-0000")
    click(driver, "button[data-action=lookup]")
    wait_for(driver, lambda d: "Er is geen melding" in css(d, "#lookup-result").text)
    audit("agent lookup")

    # The call-back list: the missed caller, cleared once called back.
    missed = call_by_id(backend, phone["agent"], f"browser-{suffix}-3")
    clear = f"button[data-action=clear-callback][data-call-id='{missed['id']}']"
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, clear), 10, "the missed call on the call-back list")
    click(driver, clear)
    wait_for(driver, lambda d: "van de terugbellijst" in css(d, "#callbacks-status").text, 10, "cleared")
    assert not driver.find_elements(By.CSS_SELECTOR, clear)
    assert call_by_id(backend, phone["agent"], f"browser-{suffix}-3")["callback_cleared_at"] is not None

    # A call that comes in now shows up without a reload (the page polls every few seconds).
    late = f"browser-{suffix}-4"
    answered_call(backend, phone["pbx"], late, "+32 59 70 00 04")
    fresh = call_by_id(backend, phone["agent"], late)
    wait_for(driver, lambda d: row_button(d, fresh), 15, "the new call listed by polling")

    # Dutch first, with a language switch that keeps the work on screen.
    click(driver, "#language-switch button[data-lang=fr]")
    wait_for(driver, lambda d: d.execute_script("return document.documentElement.lang") == "fr")
    wait_for(driver, lambda d: "Appels d’aujourd’hui" in css(d, "#h-calls").text)
    audit("agent console in French")
    assert not csp_errors(driver)
    audit.check()


def test_agent_console_refuses_a_token_of_another_role(desk_driver, backend, phone):
    driver = desk_driver
    audit = Audit(driver)
    driver.get(backend.base + "/agent")
    wait_for(driver, lambda d: d.find_elements(By.ID, "a-token"), 15)
    fill(driver, "a-token", backend.tokens["kiosk"])
    click(driver, "button[data-action=sign-in]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"))
    assert "medewerker van de 0800-lijn" in css(driver, ".error-summary").text
    assert driver.execute_script("return sessionStorage.getItem('opunt.staff.token')") is None
    audit("agent sign-in refused")
    audit.check()
