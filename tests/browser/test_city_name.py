"""The city's name in the pages' texts comes from the config, in the page's language (issue 14): the
texts say {city}, and French writes "de Bruges" but "d’Ostende"."""

from __future__ import annotations

import pytest

from harness import Service
from helpers import click, css, wait_for, wait_screen


def in_language(driver, base: str, lang: str) -> dict[str, str]:
    """The website form's header, start text and title after switching to `lang`."""
    driver.get(base + "/")
    wait_screen(driver, "start")
    if lang != "nl":
        click(driver, f"#language-switch button[data-lang={lang}]")
        wait_for(driver, lambda d: d.execute_script("return document.documentElement.lang") == lang)
    wait_for(driver, lambda d: "{city}" not in css(d, ".header__brand").text and "{city}" not in d.title)
    return {"header": css(driver, "[data-i18n='app.city']").text, "intro": css(driver, "#main").text, "title": driver.title}


@pytest.fixture
def brugge(tmp_path):
    s = Service(tmp_path, extra_config={"city": "Brugge", "city_names": {"fr": "Bruges", "en": "Bruges"}})
    s.start()
    yield s
    s.stop()


def test_another_city_in_every_language(web_driver, brugge):
    expected = {"nl": ("Stad Brugge", "aan de stad Brugge."), "fr": ("Ville de Bruges", "à la ville de Bruges."),
                "en": ("City of Bruges", "give the City of Bruges a suggestion"), "de": ("Stadt Brugge", "der Stadt Brugge einen")}
    for lang, (header, intro) in expected.items():
        seen = in_language(web_driver, brugge.base, lang)
        assert seen["header"] == header, (lang, seen)
        assert intro in seen["intro"], (lang, seen)
        assert seen["title"].endswith("O-punt " + header.split()[-1]), (lang, seen)
        assert "Ost" not in " ".join(seen.values()), (lang, seen)


def test_the_bundled_city_in_french_elides(web_driver, backend):
    seen = in_language(web_driver, backend.base, "fr")
    assert seen["header"] == "Ville d’Ostende"
    assert "à la ville d’Ostende." in seen["intro"]
