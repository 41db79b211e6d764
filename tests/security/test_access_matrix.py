"""The access matrix (issue 9): every URL pattern of the project, for every member of the cast.

Patterns come from the resolver (``patterns.all_patterns``), so a new page without an entry here
fails ``test_it_has_an_expectation_for_every_url_pattern``. Each column test builds the world
once (one object of every kind, ``world.py``) and requests every URL with GET: POST-only routes
answer 405 here and are covered by ``test_csrf.py`` and the IDOR tests.

Codes: 200/403/404/405/409 as answered, ``LGN`` = redirect to the login page, ``302`` = another
redirect (already logged in, next step of a flow, Django admin's own login).
anna_withdrawn gets 409 for her export of Daan: it was prepared before Chris withdrew consent.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import mark_two_factor
from tests.security.matrix_params import PARAMS, admin_object_kwargs
from tests.security.patterns import all_patterns
from tests.security.world import COLUMNS, build_world, withdraw

# Columns: anonymous anna bram dewi sanne tom lotte service admin anna_withdrawn
EXPECT = {
    # Public: PWA files and health checks.
    "manifest": "200 200 200 200 200 200 200 200 200 200",
    "service_worker": "200 200 200 200 200 200 200 200 200 200",
    "offline": "200 200 200 200 200 200 200 200 200 200",
    "health_live": "200 200 200 200 200 200 200 200 200 200",
    "health_ready": "200 200 200 200 200 200 200 200 200 200",
    # "Stay logged in" on the idle warning: POST only.
    "session_keepalive": "LGN 405 405 405 405 405 405 405 405 405",
    # allauth (documented expectations): 302 = already logged in, or sent on to the next step.
    "account_login": "200 302 302 302 302 302 302 302 302 302",
    "account_logout": "302 200 200 200 200 200 200 200 200 200",
    "account_inactive": "200 200 200 200 200 200 200 200 200 200",
    "account_signup": "200 302 302 302 302 302 302 302 302 302",
    "account_reauthenticate": "LGN 200 200 200 200 200 200 200 200 200",
    "account_email": "LGN 200 200 200 200 200 200 200 200 200",
    "account_email_verification_sent": "200 200 200 200 200 200 200 200 200 200",
    "account_change_password": "LGN 200 200 200 200 200 200 200 200 200",
    "account_set_password": "LGN 302 302 302 302 302 302 302 302 302",
    "account_reset_password": "200 200 200 200 200 200 200 200 200 200",
    "account_confirm_login_code": "LGN 302 302 302 302 302 302 302 302 302",
    "account_confirm_email": "200 200 200 200 200 200 200 200 200 200",
    "account_reset_password_from_key_done": "200 200 200 200 200 200 200 200 200 200",
    "account_reset_password_from_key": "200 200 200 200 200 200 200 200 200 200",
    "account_reset_password_done": "200 200 200 200 200 200 200 200 200 200",
    "mfa_index": "LGN 200 200 200 200 200 200 200 200 200",
    "mfa_authenticate": "LGN 302 302 302 302 302 302 302 302 302",
    "mfa_reauthenticate": "LGN 302 302 302 200 200 200 200 200 302",
    "mfa_activate_totp": "LGN 302 302 302 302 302 302 302 302 302",
    "mfa_deactivate_totp": "LGN 404 404 404 302 302 302 302 302 404",
    "mfa_view_recovery_codes": "LGN 404 404 404 302 302 302 302 302 404",
    "mfa_generate_recovery_codes": "LGN 302 302 302 302 302 302 302 302 302",
    "mfa_download_recovery_codes": "LGN 404 404 404 302 302 302 302 302 404",
    "usersessions_list": "LGN 200 200 200 200 200 200 200 200 200",
    "accounts:contact_details": "LGN 200 200 200 200 200 200 200 200 200",
    "accounts:language": "LGN 405 405 405 405 405 405 405 405 405",
    # Language switch: always a redirect (open redirects: test_open_redirect.py).
    "set_language": "302 302 302 302 302 302 302 302 302 302",
    # Staff pages: parents get 404 (staff guard); workers only their group (sanne: A, tom: B).
    "staff:home": "LGN 404 404 404 200 200 200 200 200 404",
    "staff:group": "LGN 404 404 404 200 404 200 200 200 404",
    "staff:child": "LGN 404 404 404 200 404 200 200 200 404",
    # Guardian requests (R27): customer service (and the superuser) decide; the others 404.
    "daycare_staff:guardian_requests": "LGN 404 404 404 404 404 404 200 200 404",
    "daycare_staff:guardian_request": "LGN 404 404 404 404 404 404 200 200 404",
    "daycare_staff:guardian_request_approve": "LGN 404 404 404 405 405 405 405 405 404",
    "daycare_staff:guardian_request_refuse": "LGN 404 404 404 405 405 405 405 405 404",
    "daycare_staff:guardian_request_withdraw": "LGN 404 404 404 405 405 405 405 405 404",
    "daycare_staff:guardian_remove": "LGN 404 404 404 405 405 405 405 405 404",
    "locations_staff:list": "LGN 404 404 404 404 404 200 200 200 404",
    "locations_staff:edit": "LGN 404 404 404 404 404 200 200 200 404",
    "locations_staff:closure_add": "LGN 404 404 404 405 405 405 405 405 404",
    "locations_staff:closure_delete": "LGN 404 404 404 405 405 405 405 405 404",
    "consent_staff:group": "LGN 404 404 404 200 404 200 200 200 404",
    "consent_staff:history": "LGN 404 404 404 404 404 200 200 200 404",
    "consent_staff:paper": "LGN 404 404 404 404 404 404 200 200 404",
    "consent_staff:verification": "LGN 404 404 404 404 404 404 200 200 404",
    # Statement versions (R7): customer service publishes and withdraws (POST only).
    "consent_staff:statements": "LGN 404 404 404 404 404 404 200 200 404",
    "consent_staff:statement_publish": "LGN 404 404 404 405 405 405 405 405 404",
    "consent_staff:statement_withdraw": "LGN 404 404 404 405 405 405 405 405 404",
    "diary_staff:group": "LGN 404 404 404 200 404 200 200 200 404",
    "diary_staff:shared_note": "LGN 404 404 404 200 404 200 200 200 404",
    "diary_staff:grid": "LGN 404 404 404 200 404 200 200 200 404",
    "diary_staff:child": "LGN 404 404 404 200 404 200 200 200 404",
    "diary_staff:timeline": "LGN 404 404 404 200 404 200 200 200 404",
    "diary_staff:print": "LGN 404 404 404 200 404 200 200 200 404",
    "diary_staff:entry_edit": "LGN 404 404 404 200 404 302 302 302 404",
    "diary_staff:entry_remove": "LGN 404 404 404 405 405 405 405 405 404",
    "diary_staff:note_read": "LGN 404 404 404 405 405 405 405 405 404",
    "photos_staff:upload": "LGN 404 404 404 200 404 200 200 200 404",
    "photos_staff:start_batch": "LGN 404 404 404 405 405 405 405 405 404",
    "photos_staff:tag": "LGN 404 404 404 200 404 200 200 200 404",
    "photos_staff:delete": "LGN 404 404 404 405 405 405 405 405 404",
    # The face guard's review of one photo (issue 18): the group's staff only.
    "photos_staff:faces": "LGN 404 404 404 200 404 200 200 200 404",
    "photos_staff:file": "LGN 404 404 404 200 404 200 200 200 404",
    "absences_staff:day": "LGN 404 404 404 200 200 200 200 200 404",
    "absences_staff:today": "LGN 404 404 404 200 200 200 200 200 404",
    "absences_staff:register": "LGN 404 404 404 200 404 200 200 200 404",
    # Messages: only the participants (R12); service and admin take no part, so no inbox.
    "messaging_staff:index": "LGN 404 404 404 200 200 200 200 200 404",
    "messaging_staff:inbox": "LGN 404 404 404 200 404 200 404 404 404",
    "messaging_staff:start": "LGN 404 404 404 200 404 200 404 404 404",
    "messaging_staff:conversation": "LGN 404 404 404 200 404 200 404 404 404",
    "messaging_staff:retract": "LGN 404 404 404 405 405 405 405 405 404",
    "messaging_staff:attachment": "LGN 404 404 404 200 404 200 404 404 404",
    "newsletters_staff:list": "LGN 404 404 404 404 404 200 200 200 404",
    "newsletters_staff:create": "LGN 404 404 404 404 404 200 200 200 404",
    "newsletters_staff:edit": "LGN 404 404 404 404 404 200 200 200 404",
    "newsletters_staff:delete": "LGN 404 404 404 405 405 405 405 405 404",
    "retention_staff:archive": "LGN 404 404 404 404 404 404 200 200 404",
    "retention_staff:archive_child": "LGN 404 404 404 404 404 404 200 200 404",
    "retention_staff:archive_export": "LGN 404 404 404 405 405 405 405 405 404",
    "retention_staff:download": "LGN 404 404 404 404 404 404 404 404 404",
    "retention_staff:requests": "LGN 404 404 404 404 404 404 200 200 404",
    "retention_staff:request": "LGN 404 404 404 404 404 404 200 200 404",
    # One POST-only route per action on a data request (R20).
    "retention_staff:request_take": "LGN 404 404 404 405 405 405 405 405 404",
    "retention_staff:request_note": "LGN 404 404 404 405 405 405 405 405 404",
    "retention_staff:request_export": "LGN 404 404 404 405 405 405 405 405 404",
    "retention_staff:request_close": "LGN 404 404 404 405 405 405 405 405 404",
    "retention_staff:request_refuse": "LGN 404 404 404 405 405 405 405 405 404",
    "retention_staff:request_erase": "LGN 404 404 404 405 405 405 405 405 404",
    "retention_staff:request_erase_part": "LGN 404 404 404 405 405 405 405 405 404",
    "retention_staff:request_correct_parent": "LGN 404 404 404 405 405 405 405 405 404",
    "retention_staff:request_correct_child": "LGN 404 404 404 405 405 405 405 405 404",
    "retention_staff:request_correct_entry": "LGN 404 404 404 405 405 405 405 405 404",
    "audit_staff:search": "LGN 404 404 404 404 404 404 200 200 404",
    # Parent pages. Daan's pages for bram/dewi/staff: 404 (IDOR); anna after chris withdrew
    # consent: 403 on gated pages (the "feature is off" page), 404 on files (inner wall).
    "home": "LGN 200 200 200 302 302 302 302 302 200",
    "child": "LGN 200 404 404 404 404 404 404 404 200",
    # Vandaag of one child (not gated: each part says itself when consent is off) and "Meer".
    "today:child": "LGN 200 404 404 404 404 404 404 404 200",
    "today:days": "LGN 200 404 404 404 404 404 404 404 200",
    "more": "LGN 200 200 200 200 200 200 200 200 200",
    "daycare:invitation": "200 200 200 200 200 200 200 200 200 200",
    "locations:list": "LGN 302 302 302 302 302 302 200 200 302",
    "locations:detail": "LGN 200 404 200 200 404 200 200 200 200",
    "consent:overview": "LGN 200 200 200 200 200 200 200 200 200",
    "consent:statement": "200 200 200 200 200 200 200 200 200 200",
    # No version is announced in the world: the page of the next version is 404 for all.
    "consent:upcoming": "404 404 404 404 404 404 404 404 404 404",
    "consent:choices": "LGN 302 200 302 302 302 302 302 302 302",
    "consent:change": "LGN 200 404 404 404 404 404 404 404 200",
    "diary:timeline": "LGN 200 404 404 404 404 404 404 404 403",
    "diary:note_add": "LGN 200 404 404 404 404 404 404 404 403",
    "diary:print": "LGN 200 404 404 404 404 404 404 404 403",
    "diary:note_edit": "LGN 200 404 404 404 404 404 404 404 404",
    "diary:note_remove": "LGN 405 405 405 405 405 405 405 405 405",
    "photos:gallery": "LGN 200 404 404 404 404 404 404 404 403",
    "photos:zip": "LGN 405 404 404 405 404 405 405 405 403",
    "photos:file": "LGN 200 404 200 404 404 404 404 404 404",
    "absences:list": "LGN 200 200 200 200 200 200 200 200 200",
    "absences:report": "LGN 200 404 404 404 404 404 404 404 200",
    "absences:withdraw": "LGN 405 405 405 405 405 405 405 405 405",
    "messaging:index": "LGN 200 200 200 200 200 200 200 200 200",
    "messaging:start": "LGN 200 200 200 200 200 200 200 200 200",
    "messaging:settings": "LGN 200 200 200 200 200 200 200 200 200",
    "messaging:conversation": "LGN 200 404 404 404 404 404 404 404 200",
    "messaging:retract": "LGN 405 405 405 405 405 405 405 405 405",
    "messaging:attachment": "LGN 200 404 404 404 404 404 404 404 200",
    "newsletters:list": "LGN 200 200 200 200 200 200 200 200 200",
    "newsletters:settings": "LGN 200 200 200 200 200 200 200 200 200",
    "newsletters:detail": "LGN 200 404 200 404 404 200 200 200 200",
    "newsletters:image": "LGN 200 404 200 404 404 200 200 200 200",
    "newsletters:pdf": "LGN 200 404 200 404 404 200 200 200 200",
    "newsletters:attachment": "LGN 200 404 200 404 404 200 200 200 200",
    "retention:index": "LGN 200 200 200 200 200 200 200 200 200",
    "retention:export_child": "LGN 405 405 405 405 405 405 405 405 405",
    "retention:export_me": "LGN 405 405 405 405 405 405 405 405 405",
    "retention:download": "LGN 200 404 404 404 404 404 404 404 409",
    "retention:request_new": "LGN 200 200 200 200 200 200 200 200 200",
    "audit:child": "LGN 200 404 404 404 404 404 404 404 200",
    # Notification settings: everyone's own; the device routes take POST only (stranger 404:
    # tests/push/test_settings_page.py).
    "push:settings": "LGN 200 200 200 200 200 200 200 200 200",
    "push:subscribe": "LGN 405 405 405 405 405 405 405 405 405",
    "push:timing": "LGN 405 405 405 405 405 405 405 405 405",
    "push:device": "LGN 405 405 405 405 405 405 405 405 405",
    "push:device_remove": "LGN 405 405 405 405 405 405 405 405 405",
}

# Django admin (``admin:*`` and its unnamed redirects under /beheer/): group-level rule.
# Nobody but the superuser (past two-factor) gets a page; parents and workers are sent to the
# admin login, which refuses them (403). The superuser gets 200 on the index and every
# changelist; other admin views may redirect (no such object), refuse GET (logout: 405) or be
# switched off for records that only the portal writes (add/delete: 403).
ADMIN_OTHERS = {"LGN", "302", "403"}
ADMIN_SUPERUSER = {"200", "302", "403", "404", "405"}

# File URLs: an allowed answer is the file itself, private and never cached by the browser.
FILE_PATTERNS = {
    "photos:file",
    "photos_staff:file",
    "messaging:attachment",
    "messaging_staff:attachment",
    "newsletters:image",
    "newsletters:pdf",
    "newsletters:attachment",
    "retention:download",
    "retention_staff:download",
}


def is_admin(key: str) -> bool:
    return key.startswith(("admin:", "/beheer/"))


def urls_for(world, pattern) -> list[str]:
    if pattern.key == "/beheer/(?P<url>.*)$":
        return ["/beheer/nothing-here/"]
    if pattern.key == "admin:app_list":
        return [reverse("admin:app_list", kwargs={"app_label": "daycare"})]
    if pattern.key.startswith("/beheer/"):
        object_id = admin_object_kwargs(world, pattern.key, pattern.route)["object_id"]
        return ["/" + pattern.route.replace("<path:object_id>", str(object_id))]
    if pattern.key in PARAMS:
        made = PARAMS[pattern.key](world)
    elif is_admin(pattern.key) and "<path:object_id>" in pattern.route:
        made = admin_object_kwargs(world, pattern.key, pattern.route)
    else:
        made = {}
    variants = made if isinstance(made, list) else [made]
    return [reverse(pattern.key, kwargs=kwargs) for kwargs in variants]


def answer(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        return "LGN" if location.startswith(reverse("account_login")) else "302"
    return str(response.status_code)


def private_file(response) -> bool:
    return "text/html" not in response["Content-Type"] and "no-store" in response.get(
        "Cache-Control", ""
    )


def expected(key: str, column: str) -> set[str]:
    if is_admin(key):
        if column != "admin":
            return ADMIN_OTHERS
        if key == "admin:index" or key.endswith("_changelist"):
            return {"200"}
        return ADMIN_SUPERUSER
    return {EXPECT[key].split()[COLUMNS.index(column)]}


def test_it_has_an_expectation_for_every_url_pattern():
    keys = {pattern.key for pattern in all_patterns()}
    missing = sorted(key for key in keys if not is_admin(key) and key not in EXPECT)
    assert not missing, f"URL patterns without an entry in the access matrix: {missing}"
    assert not sorted(set(EXPECT) - keys), "stale entries: remove them"
    for key, row in EXPECT.items():
        assert len(row.split()) == len(COLUMNS), key


def test_it_has_parameters_for_every_pattern_with_arguments():
    for pattern in all_patterns():
        if "<" in pattern.route or "(?P" in pattern.route:
            assert pattern.key in PARAMS or is_admin(pattern.key), (
                f"{pattern.key}: add a URL builder to matrix_params.PARAMS"
            )


@pytest.mark.parametrize("column", COLUMNS)
def test_it_answers_every_url_as_the_matrix_says(
    column, cast, decide, django_capture_on_commit_callbacks
):
    world = build_world(cast, decide, django_capture_on_commit_callbacks)
    if column == "anna_withdrawn":
        withdraw(world, decide)
    user = None if column == "anonymous" else world.users[column.removesuffix("_withdrawn")]
    wrong = []
    for pattern in all_patterns():
        for url in urls_for(world, pattern):
            client = Client()
            if user is not None:
                client.force_login(user)
                mark_two_factor(client, user)
            response = client.get(url)
            got = answer(response)
            if got not in expected(pattern.key, column):
                wrong.append(
                    f"{pattern.key} {url}: {got}, expected {expected(pattern.key, column)}"
                )
            elif pattern.key in FILE_PATTERNS and got == "200" and not private_file(response):
                wrong.append(f"{pattern.key} {url}: not a private file response")
    assert not wrong, "\n".join(wrong)
