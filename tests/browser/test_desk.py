"""The desk (/desk): finishing a kiosk draft, and registering a letter, with the same validation."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from flows import walk_to_description
from helpers import (Audit, active_id, choose, click, css, enroll, fill, get_signal, open_kiosk,
                     pick_category, unique, wait_for)


def desk_sign_in(driver, backend, audit=None):
    driver.get(backend.base + "/desk")
    wait_for(driver, lambda d: d.find_elements(By.ID, "d-token"))
    if audit:
        audit("desk sign-in")
    fill(driver, "d-token", backend.tokens["desk"])
    click(driver, "button[type=submit]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "d-code"), 10, "desk home")
    assert driver.execute_script("return sessionStorage.getItem('opunt.staff.token')") == backend.tokens["desk"]


def test_draft_made_at_the_kiosk_is_finished_at_the_desk(driver, backend, config):
    main, sub = pick_category(config)
    audit = Audit(driver)
    enroll(driver, backend)
    open_kiosk(driver, backend.base)
    click(driver, "#language-switch button[data-lang=fr]")
    wait_for(driver, lambda d: d.execute_script("return document.documentElement.lang") == "fr")
    walk_to_description(driver, config, kind="complaint", main=main, sub=sub)
    description = unique("Je n'arrive pas à prendre rendez-vous")
    fill(driver, "f-description", description)
    # Stuck: the citizen asks for help before going on.
    click(driver, "#help-button")
    wait_for(driver, lambda d: d.find_elements(By.ID, "help-code"), 10, "help code")
    code = css(driver, "#help-code").text.strip()
    assert len(code) == 6 and not set(code) & set("0O1I")
    assert float(driver.execute_script("return parseFloat(getComputedStyle(document.getElementById('help-code')).fontSize)")) >= 40
    audit("kiosk help code")

    # Another site's desk does not see it.
    if "desk_other" in backend.tokens:
        status, _ = backend.api("GET", f"/api/v1/drafts/{code}", token=backend.tokens["desk_other"])
        assert status == 404

    desk_sign_in(driver, backend, audit)
    audit("desk home")
    fill(driver, "d-code", code.lower())
    click(driver, "[data-action=open-draft]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "desk-form"), 10, "draft form")
    audit("desk draft form")
    assert css(driver, "#d-description").get_attribute("value") == description
    assert css(driver, "input[name=kind][value=complaint]").is_selected()
    assert Select(css(driver, "#d-category")).first_selected_option.get_attribute("value") == f"{main}/{sub}"
    assert Select(css(driver, "#d-language")).first_selected_option.get_attribute("value") == "fr"
    assert "frans" in css(driver, "#draft-meta").text.lower()

    # The desk corrects and completes the answers.
    css(driver, "#d-description").send_keys(" Le site ne montre aucun créneau libre.")
    fill(driver, "d-address", "Vindictivelaan 1")
    choose(driver, "score", "3")
    fill(driver, "d-email", "claire@example.be")
    click(driver, "[data-action=desk-submit]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "reference"), 20, "desk confirmation")
    audit("desk draft done")
    reference = css(driver, "#reference").text.strip()

    signal = get_signal(backend, reference)
    assert signal["channel"] == "kiosk"
    assert signal["site"] == backend.site
    assert signal.get("assisted") is True
    assert signal["kind"] == "complaint"
    assert signal["description"] == description + " Le site ne montre aucun créneau libre."
    # A finished draft cannot be opened again.
    status, _ = backend.api("GET", f"/api/v1/drafts/{code}", token=backend.tokens["desk"])
    assert status in (404, 409, 410)
    audit.check()


def test_desk_registers_a_letter_with_the_same_validation(desk_driver, backend, config):
    driver = desk_driver
    audit = Audit(driver)
    main, sub = pick_category(config)
    desk_sign_in(driver, backend, audit)
    click(driver, "[data-action=new-signal]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "desk-form"))
    # No experience question for counter, letter or e-mail.
    assert not driver.find_elements(By.CSS_SELECTOR, "input[name=score]")
    audit("desk new form")

    fill(driver, "d-description", "Brief over de parkeerkaart")
    fill(driver, "d-email", "briefschrijver@")
    click(driver, "[data-action=desk-submit]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"))
    assert active_id(driver) == "error-summary"
    audit("desk errors")
    links = [a.get_attribute("href").split("#")[1] for a in driver.find_elements(By.CSS_SELECTOR, ".error-summary a")]
    assert links == ["d-channel", "d-kind", "d-category", "d-email"]
    # Nothing typed is lost.
    assert css(driver, "#d-description").get_attribute("value") == "Brief over de parkeerkaart"
    assert css(driver, "#d-email").get_attribute("value") == "briefschrijver@"
    css(driver, ".error-summary a[href='#d-category']").click()
    assert active_id(driver) == "d-category"

    description = unique("Brief over de parkeerkaart")
    choose(driver, "channel", "letter")
    choose(driver, "kind", "complaint")
    Select(css(driver, "#d-category")).select_by_value(f"{main}/{sub}")
    fill(driver, "d-description", description)
    fill(driver, "d-name", "Mevrouw Claeys")
    fill(driver, "d-email", "claeys@example.be")
    click(driver, "[data-action=desk-submit]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "reference"), 20, "desk confirmation")
    audit("desk letter done")
    reference = css(driver, "#reference").text.strip()
    assert "Per brief" in css(driver, "#done-channel").text

    signal = get_signal(backend, reference)
    assert signal["channel"] == "letter"
    assert signal["kind"] == "complaint"
    assert signal["category"] == f"{main}/{sub}"
    assert signal.get("experience_score") in (None,)
    audit.check()


def test_desk_sign_in_says_what_to_do_with_a_wrong_token(desk_driver, backend):
    driver = desk_driver
    audit = Audit(driver)
    driver.get(backend.base + "/desk")
    wait_for(driver, lambda d: d.find_elements(By.ID, "d-token"))
    fill(driver, "d-token", "not-a-token")
    click(driver, "button[type=submit]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"))
    assert "werkt niet" in css(driver, ".error-summary").text
    audit("desk sign-in error")
    # A kiosk token is not a desk token.
    fill(driver, "d-token", backend.tokens["kiosk"])
    click(driver, "button[type=submit]")
    wait_for(driver, lambda d: "balie" in css(d, ".error-summary").text)
    assert driver.execute_script("return sessionStorage.getItem('opunt.staff.token')") is None
    audit.check()
