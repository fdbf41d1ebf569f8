"""The citizen's walk through the one-question-per-screen form, shared by the kiosk and web tests."""

from __future__ import annotations

from selenium.webdriver.common.keys import Keys

from helpers import choose, click, continue_, css, fill, party_of, screen, wait_for, wait_screen


def walk_to_description(driver, config, *, kind, main, sub=None, audit=None):
    """From the start screen through kind, category and (if it has any) sub-category,
    to the description screen; audit(label) is called on every screen."""
    click(driver, "[data-action=start]")
    wait_screen(driver, "kind")
    walk_from_kind(driver, config, kind=kind, main=main, sub=sub, audit=audit)


def walk_from_kind(driver, config, *, kind, main, sub=None, audit=None):
    """From the kind screen through category and (if it has any) sub-category to the
    description screen; audit(label) is called on every screen."""
    look = audit or (lambda label: None)
    look("kind")
    choose(driver, "kind", kind)
    continue_(driver)
    wait_screen(driver, "category")
    look("category")
    choose(driver, "category", main)
    continue_(driver)
    cat = next(c for c in config["categories"] if c["key"] == main)
    if cat.get("subcategories"):
        wait_screen(driver, "subcategory")
        look("subcategory")
        choose(driver, "sub", sub or "")
        continue_(driver)
    wait_screen(driver, "description")


def walk_to_location(driver, config, *, kind, main, sub=None, description, audit=None):
    """From the start screen to the location screen, with `description` typed; audit(label)
    is called on every screen."""
    look = audit or (lambda label: None)
    walk_to_description(driver, config, kind=kind, main=main, sub=sub, audit=look)
    fill(driver, "f-description", description)
    look("description with keyboard")
    continue_(driver)
    wait_screen(driver, "location")


def walk_to_check(driver, config, *, kind="complaint", main, sub=None, description, address=None, district=None,
                  score=None, name=None, email=None, phone=None, consent=None, audit=None):
    """From the start screen to check-your-answers; audit(label) is called on every screen."""
    look = audit or (lambda label: None)
    wait_screen(driver, "start")
    look("start")
    walk_to_location(driver, config, kind=kind, main=main, sub=sub, description=description, audit=look)
    cat = next(c for c in config["categories"] if c["key"] == main)
    if address:
        fill(driver, "f-address", address)
        # Typed, not chosen from the suggestions: Escape closes the list before it can move the tiles.
        css(driver, "#f-address").send_keys(Keys.ESCAPE)
    if district is not None:
        choose(driver, "district", district)
    look("location")
    continue_(driver)
    # The website asks for photos after the place (optional; none here).
    wait_for(driver, lambda d: screen(d) not in (None, "location"), 10, "the screen after the place")
    if screen(driver) == "photos":
        look("photos")
        continue_(driver)
    if kind in ("report", "complaint"):  # the impact question is about a problem
        wait_screen(driver, "experience")
        look("experience")
        if score is not None:
            choose(driver, "score", str(score))
        continue_(driver)
    wait_screen(driver, "contact")
    for field, value in (("f-name", name), ("f-email", email), ("f-phone", phone)):
        if value:
            fill(driver, field, value)
    look("contact")
    continue_(driver)
    if party_of(config, main, sub if cat.get("subcategories") else None):
        wait_screen(driver, "consent")
        look("consent")
        choose(driver, "consent", "true" if consent else "false")
        continue_(driver)
    wait_screen(driver, "check")
    look("check")


def submit_and_wait_done(driver, timeout=20):
    click(driver, "[data-action=submit]")
    wait_screen(driver, "done", timeout)
    return driver.find_element("id", "reference").text.strip()
