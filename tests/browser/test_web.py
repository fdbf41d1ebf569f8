"""The website form (/): the same flow without the kiosk parts, channel web."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from helpers import make_driver
from flows import submit_and_wait_done, walk_to_check
from helpers import Audit, click, csp_errors, css, get_signal, pick_category, unique, wait_for, wait_screen

import pytest


@pytest.fixture
def web_driver():
    d = make_driver(1280, 1000)
    yield d
    d.quit()


def test_web_form_report_is_stored_with_channel_web(web_driver, backend, config):
    driver = web_driver
    audit = Audit(driver)
    main, sub = pick_category(config)
    driver.get(backend.base + "/")
    wait_screen(driver, "start")
    # None of the kiosk's parts.
    for selector in ("#help-button", "#keyboard", "#idle-dialog"):
        assert not driver.find_elements(By.CSS_SELECTOR, selector)
    description = unique("Een put in het fietspad")
    walk_to_check(driver, config, kind="report", main=main, sub=sub, description=description, address="Torhoutsesteenweg 100",
                  district=config["districts"][-1]["key"], score=2, name="Pieter", email="pieter@example.be", audit=audit)
    reference = submit_and_wait_done(driver)
    audit("web confirmation")
    signal = get_signal(backend, reference)
    assert signal["channel"] == "web"
    assert signal.get("site") is None
    assert signal["kind"] == "report"
    assert not csp_errors(driver)
    audit.check()


def test_web_form_autofill_and_narrow_screen(backend, config):
    """Personal fields offer autofill on the website; the form reflows on a 320 px wide screen."""
    driver = make_driver(360, 800)
    try:
        audit = Audit(driver)
        main, sub = pick_category(config, external=True)
        if main is None:
            main, sub = pick_category(config)
        driver.get(backend.base + "/?lang=en")
        wait_screen(driver, "start")
        assert css(driver, "#translation-note").is_displayed()
        walk_to_check(driver, config, kind="compliment", main=main, sub=sub, description="Friendly staff at the town hall",
                      email="visitor@example.com", consent=False, audit=audit)
        click(driver, ".summary [data-change=contact]")
        wait_screen(driver, "contact")
        assert css(driver, "#f-name").get_attribute("autocomplete") == "name"
        assert css(driver, "#f-email").get_attribute("autocomplete") == "email"
        assert css(driver, "#f-phone").get_attribute("autocomplete") == "tel"
        # Nothing wider than the screen.
        assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        click(driver, "[data-action=continue]")
        # Coming from the check screen, Continue goes straight back to it.
        wait_screen(driver, "check")
        audit.check()
    finally:
        driver.quit()
