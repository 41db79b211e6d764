"""Dutch is the default language of the whole portal (R25); English is the second."""

import pathlib
import re

import allauth
import polib
import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(__file__).resolve().parent.parent
CATALOGUES = [p for p in ROOT.glob("**/locale/nl/LC_MESSAGES/django.po") if ".venv" not in p.parts]


def test_it_speaks_dutch_by_default_even_to_an_english_browser(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="nl">' in page.text
    assert "Inloggen op het ouderportaal" in page.text


def test_it_switches_to_english_on_request_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Log in to the parent portal" in client.get("/accounts/login/").text
    client.post("/i18n/setlang/", {"language": "nl", "next": "/accounts/login/"})
    assert "Inloggen op het ouderportaal" in client.get("/accounts/login/").text


def test_it_shows_the_parent_home_in_dutch(client, cast, login):
    login(cast.anna)
    page = client.get("/")
    assert "Daan vandaag" in page.text and "Berichten" in page.text
    assert "Uitloggen" in client.get("/more/").text


def test_it_ignores_an_unknown_language_cookie(client):
    client.cookies["django_language"] = "xx"
    assert '<html lang="nl">' in client.get("/accounts/login/").text


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_it_has_a_complete_dutch_catalogue(path):
    po = polib.pofile(str(path))
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_it_ships_compiled_catalogues_that_match_the_sources(path):
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"run bin/compilemessages: {mo_path} is missing"
    po = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in polib.pofile(str(path))}
    mo = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in polib.mofile(str(mo_path))
    }
    assert po == mo, "the .mo file is stale: run bin/compilemessages"


def test_it_translates_each_string_the_same_way_in_every_app():
    """Django merges the apps' catalogues into one, and the first app's translation wins: a
    msgid that needs two Dutch words needs a context (pgettext), never two catalogue entries."""
    seen = {}
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            key = (entry.msgctxt, entry.msgid)
            seen.setdefault(key, {})[str(path.relative_to(ROOT))] = entry.msgstr or dict(
                entry.msgstr_plural
            )
    clashes = {key: found for key, found in seen.items() if len(set(map(str, found.values()))) > 1}
    assert not clashes, clashes


JE = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)
# allauth.account and allauth.mfa with TOTP and recovery codes (MFA_SUPPORTED_TYPES): no passkeys.
REACHABLE = ("account/", "mfa/", "templates/account/", "templates/mfa/")
ALLAUTH_NL = pathlib.Path(allauth.__file__).parent / "locale/nl/LC_MESSAGES/django.po"


def allauth_strings_in_je_form():
    for entry in polib.pofile(str(ALLAUTH_NL)):
        dutch = entry.msgstr or " ".join(entry.msgstr_plural.values())
        places = [place for place, _line in entry.occurrences]
        reachable = [p for p in places if p.startswith(REACHABLE) and "webauthn" not in p]
        if JE.search(dutch) and reachable:
            yield entry


def test_it_says_u_in_every_allauth_string_a_parent_can_meet():
    """allauth's Dutch says "je"; the portal says "u" (accounts/allauth/locale overrides it)."""
    entries = list(allauth_strings_in_je_form())
    assert len(entries) > 60  # the catalogue really was read
    with translation.override("nl"):
        still_je = {}
        for entry in entries:
            if entry.msgid_plural:
                dutch = translation.ngettext(entry.msgid, entry.msgid_plural, 2)
            elif entry.msgctxt:
                dutch = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                dutch = translation.gettext(entry.msgid)
            if JE.search(dutch) or dutch == entry.msgid:
                still_je[entry.msgid] = dutch
    assert not still_je, still_je


def test_it_tells_a_parent_with_a_wrong_password_in_the_portals_own_dutch(client, cast):
    page = client.post(
        "/accounts/login/", {"login": "anna@example.org", "password": "not-her-password"}
    )
    assert page.status_code == 200
    assert "Het e-mailadres of het wachtwoord klopt niet." in page.text
    assert not JE.search(page.text.split("<main", 1)[1])


def test_it_sends_the_password_reset_e_mail_in_the_portals_own_dutch(client, cast, mailoutbox):
    client.post("/accounts/password/reset/", {"email": "anna@example.org"})
    (mail,) = mailoutbox
    assert "U ontvangt deze e-mail omdat u of iemand anders een nieuw wachtwoord" in mail.body
    assert not JE.search(mail.body)
