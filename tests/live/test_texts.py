"""The pages' texts (Static/assets/i18n): every key in every language of a set, the same
placeholders, the typography of each language, and quoted answers that exist (issue 13).

These read the files the service serves; `test_served_texts_are_the_files` checks that the
running service hands out exactly these files."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest

from harness import ROOT

I18N = ROOT / "Static" / "assets" / "i18n"
LANGS = ("nl", "fr", "de", "en")
# Sets in several languages (citizen pages and what citizens read), and the Dutch-only staff sets.
SETS = {"citizen": I18N, "web": I18N / "web", "staff": I18N / "staff", "agent": I18N / "agent", "reporter": I18N / "reporter"}
DUTCH_ONLY = {"desk": I18N / "desk"}
# How each language quotes an answer the citizen can choose.
QUOTES = {"nl": ("„", "”"), "fr": ("«\u00a0", "\u00a0»"), "de": ("„", "“"), "en": ("“", "”")}


def flat(obj, prefix=""):
    out = {}
    for k, v in obj.items():
        if isinstance(v, dict):
            out.update(flat(v, prefix + k + "."))
        else:
            out[prefix + k] = v
    return out


def load(folder: Path, lang: str) -> dict[str, str]:
    return flat(json.loads((folder / f"{lang}.json").read_text(encoding="utf8")))


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_key_is_in_every_language(name):
    folder = SETS[name]
    texts = {lang: load(folder, lang) for lang in LANGS}
    every = set().union(*texts.values())
    assert len(every) > 20, f"{name}: too few keys read from {folder}"
    missing = {lang: sorted(every - set(t)) for lang, t in texts.items() if every - set(t)}
    assert not missing, f"{name} texts missing keys: {missing}"
    empty = {lang: sorted(k for k, v in t.items() if isinstance(v, str) and not v.strip() and k != "lang.note")
             for lang, t in texts.items()}
    assert not any(empty.values()), f"{name} texts left empty: {empty}"
    for key in sorted(every):
        marks = {lang: placeholders(str(texts[lang][key])) for lang in LANGS}
        assert len({frozenset(m) for m in marks.values()}) == 1, f"{name} {key}: placeholders differ {marks}"


def test_dutch_only_staff_texts_are_not_in_the_citizen_set():
    citizen = load(I18N, "nl")
    for name, folder in DUTCH_ONLY.items():
        assert [p.name for p in folder.glob("*.json")] == ["nl.json"], f"{name} is a Dutch-only set"
        staff = load(folder, "nl")
        assert staff and not set(staff) & set(citizen), f"{name} keys also in the citizen set"


def _config_names(lang):
    config = json.loads((ROOT / "config" / "ostend.json").read_text(encoding="utf8"))
    out = set()

    def name(n):
        if isinstance(n, str):
            out.add(n)
        elif isinstance(n, dict) and lang in n:
            out.add(n[lang])

    for c in config["categories"]:
        name(c["name"])
        for s in c.get("subcategories") or []:
            name(s["name"])
    for d in config["districts"]:
        name(d["name"])
    return out, config


@pytest.mark.parametrize("lang", LANGS)
def test_quoted_answers_exist_and_quotes_are_the_languages(lang):
    """A hint that says 'choose "X"' names an X the citizen can see: a text of the set or a config name."""
    texts = load(I18N, lang)
    names, _ = _config_names(lang)
    known = {v for v in texts.values() if isinstance(v, str)} | names
    opening, closing = QUOTES[lang]
    quoted = []
    for key, value in texts.items():
        assert '"' not in value, f"{lang} {key}: a straight quote in {value!r}"
        for q in re.findall(re.escape(opening) + r"(.+?)" + re.escape(closing), value):
            quoted.append(q)
            assert q in known, f"{lang} {key}: quotes {q!r}, which no screen shows"
    assert quoted, f"{lang}: no quoted answer found; the quote characters may be wrong"


def test_one_word_for_a_suggestion_and_a_german_word_for_overlast():
    citizen, staff, reporter = load(I18N, "nl"), load(I18N / "staff", "nl"), load(I18N / "reporter", "nl")
    word = staff["backoffice.kind.suggestion"].lower()
    assert word == "suggestie"
    for where, text in (("citizen label", citizen["kind.suggestion.label"]), ("citizen done", citizen["done.title.suggestion"]),
                        ("status page", reporter["status.title.suggestion"]), ("start", citizen["start.intro"])):
        assert word in text.lower(), f"{where}: {text!r}"
    assert not [k for k, v in citizen.items() if re.search(r"\bidee\b", v, re.I)], "'idee' left in the citizen texts"
    mail = (ROOT / "templates" / "mail" / "nl" / "kind.txt.mustache").read_text(encoding="utf8")
    assert "{{#suggestion}}" + word + "{{/suggestion}}" in mail
    _, config = _config_names("de")
    overlast = next(c for c in config["categories"] if c["key"] == "overlast")
    assert "Belästigung" not in overlast["name"]["de"]  # reads as harassment
    assert "Störung" in overlast["name"]["de"]


def test_served_texts_are_the_files(service):
    for folder, lang in [(I18N, "nl"), (I18N, "de"), (I18N / "desk", "nl"), (I18N / "staff", "fr")]:
        path = "/" + str((folder / f"{lang}.json").relative_to(ROOT / "Static"))
        with urllib.request.urlopen(service.url(path), timeout=5) as r:
            assert r.status == 200
            assert json.loads(r.read()) == json.loads((folder / f"{lang}.json").read_text(encoding="utf8"))
