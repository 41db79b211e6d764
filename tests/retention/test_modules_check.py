"""The retention modules are a list checked at start-up: an app of ours that keeps data about a
child or a person, or rows pointing to a user account, without a module there, or a listed
module without a function the engine calls, stops ``manage.py check`` (retention/checks.py)."""

from django.core import checks

from diary import retention as diary_retention
from newsletters import retention as newsletters_retention
from retention import modules


def retention_errors():
    return [
        (message.id, message.obj)
        for message in checks.run_checks(tags=["retention"])
        if message.id and message.id.startswith("retention.")
    ]


def test_it_finds_nothing_wrong_with_the_wiring_as_it_is():
    assert retention_errors() == []


def test_it_fails_when_an_app_with_child_data_has_no_module(monkeypatch):
    without_diary = [module for module in modules.CHILD_MODULES if module is not diary_retention]
    monkeypatch.setattr(modules, "CHILD_MODULES", without_diary)

    assert retention_errors() == [("retention.E001", "diary")]


def test_it_fails_when_an_app_with_personal_data_has_no_module(monkeypatch):
    without_diary = [module for module in modules.PERSON_MODULES if module is not diary_retention]
    monkeypatch.setattr(modules, "PERSON_MODULES", without_diary)

    assert retention_errors() == [("retention.E001", "diary")]


def test_it_fails_when_a_listed_module_lacks_a_function_the_engine_calls(monkeypatch):
    monkeypatch.delattr(diary_retention, "export_child")

    assert retention_errors() == [("retention.E002", "diary.retention")]


def test_it_accepts_an_app_without_a_module_only_with_a_reason(monkeypatch):
    monkeypatch.setattr(
        modules,
        "NO_CHILD_MODULE",
        {k: v for k, v in modules.NO_CHILD_MODULE.items() if k != "push"},
    )

    assert retention_errors() == [("retention.E001", "push")]


def test_it_fails_when_an_app_pointing_to_accounts_is_not_erased_with_them(monkeypatch):
    without_newsletters = [
        module for module in modules.ACCOUNT_MODULES if module is not newsletters_retention
    ]
    monkeypatch.setattr(modules, "ACCOUNT_MODULES", without_newsletters)

    assert retention_errors() == [("retention.E003", "newsletters")]


def test_it_accepts_an_app_pointing_to_accounts_only_with_a_reason(monkeypatch):
    monkeypatch.setattr(
        modules,
        "NO_ACCOUNT_MODULE",
        {k: v for k, v in modules.NO_ACCOUNT_MODULE.items() if k != "diary"},
    )

    assert retention_errors() == [("retention.E003", "diary")]


def test_it_fails_when_an_account_module_cannot_erase_accounts(monkeypatch):
    monkeypatch.delattr(newsletters_retention, "erase_accounts")

    assert retention_errors() == [("retention.E002", "newsletters.retention")]
