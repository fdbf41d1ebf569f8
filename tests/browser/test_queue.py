"""Issue 11 in headless Chromium on a 1920 × 1080 screen: a coordinator's morning in the back office
(the queue earliest due first with age, due date and overdue in text and colour; search, assign,
route with the suggested department, note, answer, merge, reopen, bulk close; keyboard
shortcuts) and a department's inbox (its signals only, proposed answer, note, hand back), each
with axe, 44 px targets and no English on the page."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from helpers import Audit, click, csp_errors, css, fill, wait_for

TOKEN_KEY = "opunt.staff.token"
# Words that would betray English on a Dutch staff page (none of them is also Dutch).
ENGLISH = ["search", "save", "close", "closed", "assign", "assigned", "merge", "queue", "loading", "back office",
           "overdue", "due", "note", "notes", "submit", "cancel", "select", "reopen", "bulk", "department",
           "inbox", "the", "and", "signal", "signals", "received", "answer", "history", "sign out", "sign in",
           "shortcuts", "late", "proposal", "hand back", "nobody", "reason", "coordinator", "filter by"]
ENGLISH_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b", re.IGNORECASE)


def english_on_page(driver, allowed=()) -> list[str]:
    text = driver.execute_script("return document.body.innerText + ' ' + document.title")
    for a in allowed:
        text = text.replace(a, "")
    return sorted(set(m.group(0) for m in ENGLISH_RE.finditer(text)))


def create(backend, description, **extra):
    body = {"kind": "report", "channel": "web", "category": "overlast/zwerfvuil", "description": description,
            "contact": {"name": "Jan Peeters", "email": "jan.peeters@example.com", "language": "fr"}, **extra}
    status, s = backend.api("POST", "/api/v1/signals", token=backend.tokens["coordinator"], body=body)
    assert status == 201, s
    return s


def signal(backend, ref, token="coordinator"):
    status, s = backend.api("GET", f"/api/v1/signals/{ref}", token=backend.tokens[token])
    assert status == 200, s
    return s


def queue_refs(driver) -> list[str]:
    return driver.execute_script("return [...document.querySelectorAll('#queue .queue__button')].map((b) => b.dataset.reference)")


def open_in_queue(driver, ref):
    click(driver, f"#queue [data-reference='{ref}']")
    wait_for(driver, lambda d: ref in css(d, "#h-detail").text, 10, f"{ref} open")


def saved(driver, word="Opgeslagen"):
    wait_for(driver, lambda d: d.find_elements(By.ID, "bo-message") and word in css(d, "#bo-message").text, 10, word)


def test_a_coordinators_morning(wide_driver, backend):
    driver = wide_driver
    audit = Audit(driver, targets=True)
    tag = "ochtend" + uuid.uuid4().hex[:8]
    now = datetime.now(timezone.utc)
    late = create(backend, f"Sluikstort aan de Visserskaai {tag}", kind="complaint",
                  received_at=(now - timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    fresh = create(backend, f"Zwerfvuil aan het Léopoldpark {tag}", address="Leopold II-laan 1")
    dup = create(backend, f"Nog eens zwerfvuil in het park {tag}")
    bulk = [create(backend, f"Afval nummer {i} {tag}")["reference"] for i in range(2)]

    driver.get(backend.base + "/backoffice")
    wait_for(driver, lambda d: d.find_elements(By.ID, "st-token"), 15, "sign-in form")
    audit("sign-in")
    assert english_on_page(driver) == []
    fill(driver, "st-token", backend.tokens["coordinator"])
    click(driver, "[data-action=sign-in]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#queue .queue__button"), 15, "queue")

    # The queue: open signals, earliest due first, as the service orders them.
    status, page = backend.api("GET", "/api/v1/signals?status=received,in_progress&sort=due&limit=50",
                               token=backend.tokens["coordinator"])
    assert queue_refs(driver) == [s["reference"] for s in page["items"]]
    assert queue_refs(driver).index(late["reference"]) < queue_refs(driver).index(fresh["reference"])
    # Overdue in text and in colour; age and due date shown.
    item = css(driver, f"#queue [data-reference='{late['reference']}']")
    assert "Te laat" in item.text and "60 dagen oud" in item.text and "uiterlijk" in item.text
    colour = driver.execute_script(
        "return getComputedStyle(arguments[0].querySelector('.tag--overdue')).backgroundColor", item)
    assert colour == "rgb(176, 35, 26)"
    assert "Uiterlijk" in css(driver, f"#queue [data-reference='{fresh['reference']}']").text
    # The shortcuts are listed on the page.
    keys = css(driver, "#shortcuts").text
    for k in ("j", "k", "/", "a", "n"):
        assert k in keys.split()
    audit("queue")

    # "/" goes to the search box; a search without accents finds the accented word.
    css(driver, "body").send_keys("/")
    wait_for(driver, lambda d: d.execute_script("return document.activeElement.id") == "q-q", 5, "search focused")
    driver.switch_to.active_element.send_keys(f"leopoldpark {tag}", Keys.ENTER)
    wait_for(driver, lambda d: queue_refs(d) == [fresh["reference"]], 10, "search result")
    fill(driver, "q-q", tag)
    click(driver, "[data-action=filter]")
    wait_for(driver, lambda d: set(queue_refs(d)) == {late["reference"], fresh["reference"], dup["reference"], *bulk}, 10, "tag")
    audit("search")

    # j opens the first, j again the next.
    driver.execute_script("document.activeElement.blur()")
    css(driver, "body").send_keys("j")
    first = queue_refs(driver)[0]
    wait_for(driver, lambda d: first in css(d, "#h-detail").text, 10, "j opens the first")
    css(driver, "body").send_keys("j")
    second = queue_refs(driver)[1]
    wait_for(driver, lambda d: second in css(d, "#h-detail").text, 10, "j opens the next")

    # Open the fresh signal: the reporter's language, the suggested department prefilled.
    open_in_queue(driver, fresh["reference"])
    assert "Frans" in css(driver, "#facts").text
    assert "Netheid" in css(driver, "#bo-suggestion").text
    assert Select(css(driver, "#bo-department")).first_selected_option.get_attribute("value") == "netheid"
    assert signal(backend, fresh["reference"])["department"] is None  # not stored until confirmed
    audit("signal with a suggestion")

    # a: assign.
    driver.execute_script("document.activeElement.blur()")
    css(driver, "body").send_keys("a")
    wait_for(driver, lambda d: d.execute_script("return document.activeElement.id") == "bo-assignee", 5, "assignee focused")
    driver.switch_to.active_element.send_keys("An Peeters", Keys.ENTER)
    wait_for(driver, lambda d: "Toegewezen." in css(d, "#bo-message").text, 10, "assigned")
    assert signal(backend, fresh["reference"])["assignee"] == "An Peeters"

    # Route: O-punt with the suggested department, confirmed by saving; and start.
    click(driver, "label[for='bo-route-1']")
    assert Select(css(driver, "#bo-department")).first_selected_option.get_attribute("value") == "netheid"
    Select(css(driver, "#bo-status")).select_by_value("in_progress")
    click(driver, "[data-action=save]")
    saved(driver)
    s = signal(backend, fresh["reference"])
    assert (s["route"], s["department"], s["status"]) == ("opunt", "netheid", "in_progress")

    # n: an internal note.
    driver.execute_script("document.activeElement.blur()")
    css(driver, "body").send_keys("n")
    wait_for(driver, lambda d: d.execute_script("return document.activeElement.id") == "bo-note", 5, "note focused")
    driver.switch_to.active_element.send_keys("Buurman belde ook al.")
    click(driver, "[data-action=note]")
    wait_for(driver, lambda d: "Buurman belde ook al." in css(d, "#history").text, 10, "note in the history")
    status, hist = backend.api("GET", f"/api/v1/signals/{fresh['reference']}/history", token=backend.tokens["coordinator"])
    assert ("note", "Buurman belde ook al.") in [(e["field"], e["new_value"]) for e in hist["items"]]
    audit("note")

    # Answer, through the preview.
    fill(driver, "bo-answer", "Het zwerfvuil is opgeruimd.")
    Select(css(driver, "#bo-status")).select_by_value("answered")
    click(driver, "[data-action=save]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "bo-preview"), 10, "answer preview")
    audit("answer preview")
    click(driver, "[data-action=confirm-answer]")
    wait_for(driver, lambda d: "Beantwoord" in css(d, "#history").text, 10, "answered")
    assert signal(backend, fresh["reference"])["status"] == "answered"

    # Merge the duplicate into it: closed, read-only, with the answer passed on.
    open_in_queue(driver, dup["reference"])
    fill(driver, "bo-merge", fresh["reference"])
    click(driver, "[data-action=merge]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "reopen-form"), 10, "closed view")
    assert fresh["reference"] in css(driver, "#reopen-form").text
    assert not driver.find_elements(By.ID, "bo-form"), "a closed signal is read-only"
    s = signal(backend, dup["reference"])
    assert (s["status"], s["duplicate_of"], s["answer"]) == ("closed", fresh["reference"], "Het zwerfvuil is opgeruimd.")
    audit("closed as duplicate")

    # Reopen it, saying why.
    fill(driver, "bo-reopen-reason", "Toch geen dubbel: andere plek.")
    click(driver, "[data-action=reopen]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "bo-form"), 10, "open again")
    assert "Toch geen dubbel: andere plek." in css(driver, "#history").text
    assert signal(backend, dup["reference"])["status"] == "in_progress"

    # Bulk: select two, close them together.
    for ref in bulk:
        box = css(driver, f"#sel-{ref}")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        box.click()
        wait_for(driver, lambda d: css(d, f"#sel-{ref}").is_selected(), 5, f"{ref} selected")
    wait_for(driver, lambda d: "2 geselecteerd" in css(d, "#bulk").text, 5, "selection")
    audit("bulk selection")
    click(driver, "[data-action=bulk-close]")
    wait_for(driver, lambda d: "2 signalen gewijzigd" in css(d, "#bulk-message").text, 10, "bulk closed")
    for ref in bulk:
        assert signal(backend, ref)["status"] == "closed"
    open_in_queue(driver, bulk[0])
    wait_for(driver, lambda d: d.find_elements(By.ID, "reopen-form"), 10, "closed is read-only")
    audit("closed read-only")

    assert english_on_page(driver, allowed=["coordinator-test"]) == []
    assert not csp_errors(driver)
    audit.check()


def test_a_departments_inbox(wide_driver, backend):
    driver = wide_driver
    audit = Audit(driver, targets=True)
    token = backend.token("department", "dienst netheid", department="netheid")
    tag = "dienst" + uuid.uuid4().hex[:8]
    mine = [create(backend, f"Hondenpoep op de dijk {tag} {i}")["reference"] for i in range(2)]
    other = create(backend, f"Put in de weg {tag}")["reference"]
    for ref in mine:
        status, _ = backend.api("PATCH", f"/api/v1/signals/{ref}", token=backend.tokens["coordinator"],
                                body={"route": "opunt", "department": "netheid"})
        assert status == 200
    backend.api("PATCH", f"/api/v1/signals/{other}", token=backend.tokens["coordinator"],
                body={"route": "opunt", "department": "wegen"})

    driver.get(backend.base + "/department")
    wait_for(driver, lambda d: d.find_elements(By.ID, "st-token"), 15, "sign-in form")
    audit("department sign-in")
    fill(driver, "st-token", backend.tokens["coordinator"])  # not a department token: refused
    click(driver, "[data-action=sign-in]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"), 10, "refusal")
    assert "stadsdienst" in css(driver, ".error-summary").text
    fill(driver, "st-token", token)
    click(driver, "[data-action=sign-in]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#inbox .queue__button"), 15, "inbox")

    refs = driver.execute_script("return [...document.querySelectorAll('#inbox .queue__button')].map((b) => b.dataset.reference)")
    status, page = backend.api("GET", "/api/v1/signals?sort=due&status=received,in_progress&limit=200", token=token)
    assert refs == [s["reference"] for s in page["items"]]
    assert set(mine) <= set(refs) and other not in refs
    audit("inbox")

    click(driver, f"#inbox [data-reference='{mine[0]}']")
    wait_for(driver, lambda d: mine[0] in css(d, "#h-detail").text, 10, "signal open")
    assert "jan.peeters@example.com" in css(driver, "#facts").text  # routed to it: the contact
    assert not driver.find_elements(By.ID, "bo-status") and not driver.find_elements(By.ID, "bo-answer")
    audit("signal")

    fill(driver, "dep-proposal", "Wij reinigen de dijk donderdag.")
    click(driver, "[data-action=propose]")
    wait_for(driver, lambda d: "Voorstel opgeslagen." in css(d, "#dep-message").text, 10, "proposal saved")
    s = signal(backend, mine[0])
    assert s["proposed_answer"] == "Wij reinigen de dijk donderdag." and s["answer"] is None and s["status"] == "received"

    fill(driver, "dep-note", "Ploeg is verwittigd.")
    click(driver, "[data-action=note]")
    wait_for(driver, lambda d: "Ploeg is verwittigd." in css(d, "#history").text, 10, "note")
    audit("proposal and note")

    click(driver, f"#inbox [data-reference='{mine[1]}']")
    wait_for(driver, lambda d: mine[1] in css(d, "#h-detail").text, 10, "second signal")
    click(driver, "[data-action=hand-back]")  # without a reason: asked for one
    wait_for(driver, lambda d: d.find_elements(By.ID, "dep-problem"), 10, "refusal")
    assert "Geef een reden" in css(driver, "#dep-problem").text
    assert signal(backend, mine[1])["department"] == "netheid"
    audit("hand-back refused")
    fill(driver, "dep-reason", "Privaat terrein, niet voor de stad.")
    click(driver, "[data-action=hand-back]")
    wait_for(driver, lambda d: "Teruggegeven aan O-punt." in css(d, "#dep-message").text, 10, "handed back")
    refs = driver.execute_script("return [...document.querySelectorAll('#inbox .queue__button')].map((b) => b.dataset.reference)")
    assert mine[1] not in refs and mine[0] in refs
    s = signal(backend, mine[1])
    assert s["route"] is None and s["department"] is None
    audit("handed back")

    assert english_on_page(driver, allowed=["dienst netheid"]) == []
    assert not csp_errors(driver)
    audit.check()


def test_a_complaint_is_answered_with_its_outcome(wide_driver, backend):
    """Answering a complaint records its outcome (docs/interface.md §4); a report is not asked one."""
    driver = wide_driver
    audit = Audit(driver, targets=True)
    tag = "uitkomst" + uuid.uuid4().hex[:8]
    complaint = create(backend, f"Klacht over de wachttijd aan het loket {tag}", kind="complaint")
    report = create(backend, f"Losliggende tegel {tag}")

    driver.get(backend.base + "/backoffice")
    wait_for(driver, lambda d: d.find_elements(By.ID, "st-token"), 15, "sign-in form")
    fill(driver, "st-token", backend.tokens["coordinator"])
    click(driver, "[data-action=sign-in]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#queue .queue__button"), 15, "queue")
    fill(driver, "q-q", tag)
    click(driver, "[data-action=filter]")
    wait_for(driver, lambda d: set(queue_refs(d)) == {complaint["reference"], report["reference"]}, 10, "search")

    open_in_queue(driver, report["reference"])
    assert not driver.find_elements(By.ID, "bo-outcome")

    open_in_queue(driver, complaint["reference"])
    labels = [o.text for o in Select(css(driver, "#bo-outcome")).options]
    assert labels == ["Nog niet beoordeeld", "Gegrond", "Deels gegrond", "Ongegrond", "Onontvankelijk"]
    audit("complaint with its outcome")
    assert english_on_page(driver, allowed=["coordinator-test"]) == []  # the token's name
    Select(css(driver, "#bo-status")).select_by_value("in_progress")
    click(driver, "[data-action=save]")
    saved(driver)
    fill(driver, "bo-answer", "U wachtte te lang; het loket krijgt een tweede medewerker.")
    Select(css(driver, "#bo-status")).select_by_value("answered")
    Select(css(driver, "#bo-outcome")).select_by_value("partly_upheld")
    click(driver, "[data-action=save]")
    wait_for(driver, lambda d: d.find_elements(By.ID, "bo-preview"), 10, "answer preview")
    click(driver, "[data-action=confirm-answer]")
    wait_for(driver, lambda d: "Deels gegrond" in css(d, "#facts").text, 10, "outcome shown")
    s = signal(backend, complaint["reference"])
    assert (s["status"], s["outcome"]) == ("answered", "partly_upheld")


def test_one_sign_in_per_tab_across_the_staff_pages(wide_driver, backend):
    """session.js: a token signed in on one staff page opens every page of its role in that tab after a reload
    or a move, a page of another role asks again (and forgets it), and signing out forgets it everywhere."""
    driver = wide_driver
    driver.get(backend.base + "/backoffice")
    wait_for(driver, lambda d: d.find_elements(By.ID, "st-token"), 15, "sign-in form")
    fill(driver, "st-token", backend.tokens["coordinator"])
    click(driver, "[data-action=sign-in]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#queue"), 15, "queue")
    key = "opunt.staff.token"
    assert driver.execute_script(f"return sessionStorage.getItem('{key}')") == backend.tokens["coordinator"]

    # Reloaded, and on the report page: signed in without the form.
    for path, ready in (("/backoffice", "#queue"), ("/reports", "[data-action=sign-out]")):
        driver.get(backend.base + path)
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ready), 15, f"{path} signed in")
        assert not driver.find_elements(By.ID, "st-token")
    # The desk is another role's page: the sign-in form, and the coordinator's token is no longer kept.
    driver.get(backend.base + "/desk")
    wait_for(driver, lambda d: d.find_elements(By.ID, "d-token"), 15, "the desk's sign-in form")
    wait_for(driver, lambda d: d.execute_script(f"return sessionStorage.getItem('{key}')") is None, 5, "token forgotten")

    # Signed in again and out: the next page asks.
    driver.get(backend.base + "/backoffice")
    wait_for(driver, lambda d: d.find_elements(By.ID, "st-token"), 15, "sign-in form")
    fill(driver, "st-token", backend.tokens["coordinator"])
    click(driver, "[data-action=sign-in]")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "[data-action=sign-out]"), 15, "signed in")
    click(driver, "[data-action=sign-out]")
    driver.get(backend.base + "/reports")
    wait_for(driver, lambda d: d.find_elements(By.ID, "st-token"), 15, "the report asks again")
    assert driver.execute_script(f"return sessionStorage.getItem('{key}')") is None
