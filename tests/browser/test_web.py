"""The website form (/): the same flow without the kiosk parts, channel web."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from helpers import make_driver
from flows import submit_and_wait_done, walk_to_check
from helpers import Audit, click, csp_errors, css, get_signal, pick_category, unique, wait_for, wait_screen



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
                  district=config["districts"][-1]["key"], score=2, name="Pieter", email="pieter@example.be",
                  phone="(059) 12 34 56", audit=audit)
    reference = submit_and_wait_done(driver)
    audit("web confirmation")
    signal = get_signal(backend, reference)
    assert signal["channel"] == "web"
    # The form checks the service's own phone rule (GET /api/v1/config, rules): this way of writing passes both.
    assert signal["contact"]["phone"] == "(059) 12 34 56"
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


def test_the_footer_names_the_phone_line_and_the_mailbox_as_links(web_driver, backend, config):
    """The footer printed ",mailto:…" once (an array handed to replaceChildren as text): it must
    read exactly the help text, the phone number and the e-mail address, the last two as links."""
    driver = web_driver
    driver.get(backend.base + "/")
    wait_screen(driver, "start")
    contact = config["contact"]
    footer = wait_for(driver, lambda d: css(d, "#footer-contact") if css(d, "#footer-contact").text.strip() else None,
                      10, "the footer's contact line")
    links = footer.find_elements(By.TAG_NAME, "a")
    assert [a.get_attribute("href") for a in links] == (
        ["tel:" + contact["phone"].replace(" ", "")] + (["mailto:" + contact["email"]] if contact["email"] else []))
    assert [a.text for a in links] == [contact["phone"]] + ([contact["email"]] if contact["email"] else [])
    text = footer.text
    assert "," not in text.replace(contact["phone"], "").replace(contact.get("email", ""), ""), text
    assert text.endswith(contact["email"] if contact["email"] else contact["phone"]), text
