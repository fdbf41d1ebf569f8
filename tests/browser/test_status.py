"""The reporter's pages (docs/interface.md §12): the status page (/status/{reference}?key=) and the
satisfaction question (/feedback/{token}) in the four languages, with axe-core (nothing serious
or critical) and 44 px targets in every state visited, and the feedback flow a reporter who is
not satisfied takes: reasons, the ombudsman's details, a second-line complaint of their own.

A question is opened as the service does it when an answer goes out: a `feedback` row with the
SHA-256 of the token in the link (written here with sqlite3 into the service's database)."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By

from helpers import Audit, make_driver, click, csp_errors, css, fill, wait_for, wait_screen

BRUSSELS = ZoneInfo("Europe/Brussels")
TOKEN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
}
# What each language's page says: the complaint's title, "answered", the question, the expired title.
WORDS = {
    "nl": ("Uw klacht", "Beantwoord", "Bent u tevreden over ons antwoord?", "Uw melding", "Ontvangen"),
    "fr": ("Votre plainte", "Répondu", "Êtes-vous satisfait de notre réponse ?", "Votre signalement", "Reçu"),
    "de": ("Ihre Beschwerde", "Beantwortet", "Sind Sie mit unserer Antwort zufrieden?", "Ihre Meldung", "Eingegangen"),
    "en": ("Your complaint", "Answered", "Are you satisfied with our answer?", "Your report", "Received"),
}
ANSWER = "We hebben de container laten legen.\nDank u voor uw melding."


def create(backend, kind="report") -> dict:
    body = {"kind": kind, "channel": "web", "category": "overlast/zwerfvuil", "description": "Volle container",
            "contact": {"name": "Jan Peeters", "email": "jan.peeters@example.be", "phone": "+32 470 55 44 33"}}
    status, doc = backend.api("POST", "/api/v1/signals", token=backend.tokens["coordinator"], body=body)
    assert status == 201, doc
    return doc


def answer(backend, reference, text=ANSWER):
    token = backend.tokens["coordinator"]
    assert backend.api("PATCH", f"/api/v1/signals/{reference}", token=token, body={"status": "in_progress"})[0] == 200
    status, doc = backend.api("PATCH", f"/api/v1/signals/{reference}", token=token, body={"status": "answered", "answer": text})
    assert status == 200, doc
    return doc


def ask(backend, reference, asked_at=None, days=14) -> str:
    asked_at = asked_at or datetime.now(timezone.utc)
    token = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(40))
    with sqlite3.connect(backend.db, timeout=10) as db:
        db.execute("INSERT INTO feedback (token_hash, signal_reference, asked_at, expires_at) VALUES (?, ?, ?, ?)",
                   (hashlib.sha256(token.encode()).hexdigest(), reference, int(asked_at.timestamp() * 1000),
                    int((asked_at + timedelta(days=days)).timestamp() * 1000)))
    return token


def day_words(iso: str, lang: str) -> tuple[str, str]:
    """The day number and month name of an instant in Brussels, as the page must show them."""
    d = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(BRUSSELS)
    return str(d.day), MONTHS[lang][d.month - 1]


def text(driver, selector) -> str:
    return css(driver, selector).text


def switch_language(driver, lang):
    click(driver, f"#language-switch button[data-lang='{lang}']")
    wait_for(driver, lambda d: d.execute_script("return document.documentElement.lang") == lang, 10, f"language {lang}")


def test_status_page_in_four_languages(web_driver, backend):
    driver = web_driver
    audit = Audit(driver, targets=True)
    s = create(backend, kind="complaint")
    answered = answer(backend, s["reference"])
    driver.get(f"{backend.base}/status/{s['reference']}?key={s['status_key']}")
    wait_screen(driver, "status")
    assert driver.execute_script("return document.documentElement.lang") == "nl"
    assert not css(driver, "#translation-note").is_displayed()
    for lang in ("nl", "fr", "de", "en"):
        if lang != "nl":
            switch_language(driver, lang)
            wait_screen(driver, "status")
            assert css(driver, "#translation-note").is_displayed(), "a translation says so"
        title, state, *_ = WORDS[lang]
        assert text(driver, "h1") == title
        assert text(driver, "#status-name") == state
        assert text(driver, "#status-reference") == s["reference"]
        assert css(driver, "#status-answer").text == ANSWER.replace("\n", "\n")
        day, month = day_words(answered["answered_at"], lang)
        assert day in text(driver, "#status-answered") and month in text(driver, "#status-answered")
        day, month = day_words(s["received_at"], lang)
        assert day in text(driver, "#status-received") and month in text(driver, "#status-received")
        # The current step is marked for assistive technology too.
        assert css(driver, ".steps [aria-current=step]").text.endswith(state)
        # Nothing personal: no name, e-mail, phone or description.
        body = driver.find_element(By.TAG_NAME, "body").text
        assert "Jan Peeters" not in body and "example.be" not in body and "Volle container" not in body
        audit(f"status {lang}")
    assert not csp_errors(driver)
    audit.check()


def test_status_before_the_answer_shows_the_due_date(web_driver, backend):
    driver = web_driver
    audit = Audit(driver, targets=True)
    s = create(backend)
    driver.get(f"{backend.base}/status/{s['reference']}?key={s['status_key']}&lang=fr")
    wait_screen(driver, "status")
    assert driver.execute_script("return document.documentElement.lang") == "fr"
    assert text(driver, "h1") == WORDS["fr"][3] and text(driver, "#status-name") == WORDS["fr"][4]
    # Reports: answered within 30 calendar days in the city's time zone.
    received = datetime.fromisoformat(s["received_at"].replace("Z", "+00:00")).astimezone(BRUSSELS)
    due = (received + timedelta(days=30)).isoformat()
    day, month = day_words(due, "fr")
    assert day in text(driver, "#status-due") and month in text(driver, "#status-due")
    assert month in text(driver, "#status-later")
    assert not driver.find_elements(By.ID, "status-answer")
    audit("status before the answer")
    audit.check()


def test_a_wrong_key_shows_the_same_not_found_page_as_an_unknown_reference(web_driver, backend):
    driver = web_driver
    audit = Audit(driver, targets=True)
    s = create(backend)
    key = s["status_key"]
    wrong = key[:-1] + ("2" if key[-1] != "2" else "3")
    seen = []
    for path in (f"/status/OP-2345-6789?key={key}", f"/status/{s['reference']}?key={wrong}",
                 f"/status/{s['reference']}?key=nonsense", f"/status/{s['reference']}"):
        driver.get(backend.base + path)
        wait_screen(driver, "not-found")
        seen.append((driver.title, css(driver, "#main").text))
        audit("not found " + path.split("?")[0])
    assert all(v == seen[0] for v in seen), seen
    assert "We vinden deze melding niet" in seen[0][1]
    assert s["reference"] not in seen[0][1]
    audit.check()


def test_feedback_not_satisfied_ombudsman_then_second_line_complaint(web_driver, backend, config):
    driver = web_driver
    audit = Audit(driver, targets=True)
    s = create(backend)
    answer(backend, s["reference"])
    token = ask(backend, s["reference"])
    driver.get(f"{backend.base}/feedback/{token}")
    wait_screen(driver, "question")
    assert text(driver, "h1") == WORDS["nl"][2]
    assert css(driver, "#feedback-answer").text == ANSWER
    assert not css(driver, "#reasons").is_displayed(), "reasons only once 'no' is chosen"
    audit("question")

    # Continuing without a choice: a clear error, linked to the question.
    click(driver, "#feedback-next")
    wait_for(driver, lambda d: d.find_elements(By.ID, "error-summary"), 5, "error summary")
    assert "Kies ja of nee." in text(driver, "#error-summary")
    audit("question without a choice")

    click(driver, "label[for='f-satisfied-1']")
    wait_for(driver, lambda d: css(d, "#reasons").is_displayed(), 5, "reasons shown")
    assert text(driver, "#feedback-next") == "Verder"
    click(driver, "label[for='reason-too_late']")
    click(driver, "label[for='reason-not_solved']")
    css(driver, "#f-text").send_keys("De container staat er nog altijd.")
    audit("not satisfied, reasons ticked")
    click(driver, "#feedback-next")

    wait_screen(driver, "second-line")
    card = text(driver, "#ombudsman")
    ombudsman = config["ombudsman"]
    for detail in (ombudsman["name"]["nl"], ombudsman["phone"], ombudsman["email"]):
        assert detail in card
    assert css(driver, "#file-complaint").is_displayed() and css(driver, "#send-only").is_displayed()
    audit("ombudsman and the choice")
    # Back keeps what was filled in.
    click(driver, "#feedback-back")
    wait_screen(driver, "question")
    assert css(driver, "#reason-too_late").is_selected() and css(driver, "#reason-not_solved").is_selected()
    assert css(driver, "#f-text").get_attribute("value") == "De container staat er nog altijd."
    click(driver, "#feedback-next")
    wait_screen(driver, "second-line")

    click(driver, "#file-complaint")
    wait_screen(driver, "thanks")
    assert "genoteerd" in text(driver, "#complaint-filed")
    assert ombudsman["phone"] in text(driver, "#ombudsman")
    audit("thanks after a complaint")

    # Recorded as the reporter's own, with what they ticked and wrote.
    status, items = backend.api("GET", f"/api/v1/signals/{s['reference']}/history", token=backend.tokens["coordinator"])
    assert status == 200
    referral = [i for i in items["items"] if i["field"] == "ombuds_referred_at"]
    assert [i["who"] for i in referral] == ["reporter (feedback)"]
    with sqlite3.connect(backend.db, timeout=10) as db:
        row = db.execute("SELECT satisfied, reasons, text, ombudsman FROM feedback WHERE token_hash = ?",
                         (hashlib.sha256(token.encode()).hexdigest(),)).fetchone()
    assert row == (0, "too_late,not_solved", "De container staat er nog altijd.", 1)

    # Coming back: already answered, said kindly.
    driver.get(f"{backend.base}/feedback/{token}")
    wait_screen(driver, "given")
    assert text(driver, "h1") == "U hebt deze vraag al beantwoord"
    audit("given")
    assert not csp_errors(driver)
    audit.check()


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
def test_feedback_satisfied_in_each_language(web_driver, backend, lang):
    driver = web_driver
    audit = Audit(driver, targets=True)
    s = create(backend)
    answer(backend, s["reference"])
    token = ask(backend, s["reference"])
    driver.get(f"{backend.base}/feedback/{token}?lang={lang}")
    wait_screen(driver, "question")
    assert driver.execute_script("return document.documentElement.lang") == lang
    assert text(driver, "h1") == WORDS[lang][2]
    assert css(driver, "#translation-note").is_displayed() == (lang != "nl")
    audit(f"question {lang}")
    click(driver, "label[for='f-satisfied']")
    click(driver, "#feedback-next")
    wait_screen(driver, "thanks")
    assert not driver.find_elements(By.ID, "ombudsman"), "a satisfied reporter is not sent to the ombudsman"
    audit(f"thanks {lang}")
    with sqlite3.connect(backend.db, timeout=10) as db:
        row = db.execute("SELECT satisfied, ombudsman FROM feedback WHERE token_hash = ?",
                         (hashlib.sha256(token.encode()).hexdigest(),)).fetchone()
    assert row == (1, 0)
    audit.check()


def test_feedback_expired_and_unknown_are_shown_kindly(web_driver, backend, config):
    driver = web_driver
    audit = Audit(driver, targets=True)
    s = create(backend)
    answer(backend, s["reference"])
    token = ask(backend, s["reference"], asked_at=datetime.now(timezone.utc) - timedelta(days=20), days=14)
    driver.get(f"{backend.base}/feedback/{token}?lang=en")
    wait_screen(driver, "expired")
    assert text(driver, "h1") == "The time to answer is over"
    assert config["ombudsman"]["phone"] in text(driver, "#ombudsman")
    audit("expired")
    driver.get(f"{backend.base}/feedback/{'2' * 40}")
    wait_screen(driver, "missing")
    assert text(driver, "h1") == "We vinden deze vraag niet"
    audit("unknown token")
    audit.check()


def test_reports_page_shows_the_satisfaction_figures(backend, config):
    """/reports shows asked, given and satisfied as the API counts them (last year: the page's default)."""
    driver = make_driver(1366, 900)
    try:
        audit = Audit(driver)
        year = datetime.now(BRUSSELS).year - 1
        token = backend.tokens["coordinator"]
        fates = [True, False, None]  # satisfied, not satisfied, asked but not answered
        for fate in fates:
            status, s = backend.api("POST", "/api/v1/signals", token=token, body={
                "kind": "report", "channel": "web", "category": "overlast/zwerfvuil", "description": "Tevredenheid",
                "received_at": f"{year}-02-10T10:00:00Z"})
            assert status == 201, s
            answer(backend, s["reference"])
            feedback = ask(backend, s["reference"])
            if fate is not None:
                assert backend.api("POST", f"/api/v1/feedback/{feedback}", body={"satisfied": fate})[0] == 200
        query = f"from={year}-01-01&to={year}-12-31"
        status, figures = backend.api("GET", "/api/v1/reports/signals?" + query, token=token)
        assert status == 200
        f = figures["satisfaction"]
        assert f["asked"] >= 3 and f["given"] >= 2 and f["satisfied"] >= 1
        driver.get(backend.base + "/reports")
        wait_for(driver, lambda d: d.find_elements(By.ID, "st-token"), 15, "sign-in form")
        fill(driver, "st-token", token)
        click(driver, "[data-action=sign-in]")
        wait_for(driver, lambda d: d.execute_script("return document.body.dataset.reportReady") == query, 30, "report")
        for m in ("asked", "given", "satisfied"):
            assert css(driver, f"#satisfaction-{m}").text.replace(".", "") == str(f[m]), m
        assert str(f["asked"]) in css(driver, "#satisfaction-text").text
        audit("reports with satisfaction")
        audit.check()
    finally:
        driver.quit()
