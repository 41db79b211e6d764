"""The schedule in the database: exact boundaries with frozen time, and random histories."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daycare.models import Child
from retention import engine, schedule
from tests.retention.helpers import make_child

pytestmark = pytest.mark.django_db

START = date(2024, 1, 8)


def run_on(day):
    return engine.run(today=day)


def state(child):
    if not Child.objects.filter(pk=child.pk).exists():
        return "destroyed"
    child.refresh_from_db()
    return "archived" if child.archived_at else "visible"


@pytest.mark.parametrize(
    ("end", "label"),
    [
        (date(2026, 3, 10), "ordinary"),
        (date(2026, 3, 20), "8 weeks over the spring DST change"),
        (date(2026, 10, 20), "8 weeks over the autumn DST change"),
    ],
)
def test_it_archives_on_day_57_and_not_on_day_56(cast, end, label):
    child = make_child(cast.group_c, contracts=[(START, end)], guardians=[cast.fleur])
    run_on(end + timedelta(days=56))
    assert state(child) == "visible", label
    run_on(end + timedelta(days=57))
    assert state(child) == "archived", label


def test_it_destroys_one_year_after_and_not_a_day_before(cast):
    end = date(2025, 11, 3)
    child = make_child(cast.group_c, contracts=[(START, end)], guardians=[cast.fleur])
    run_on(date(2026, 11, 2))
    assert state(child) == "archived"
    run_on(date(2026, 11, 3))
    assert state(child) == "destroyed"


def test_it_destroys_a_contract_ending_29_february_on_1_march(cast):
    end = date(2028, 2, 29)
    child = make_child(cast.group_c, contracts=[(START, end)], guardians=[cast.fleur])
    run_on(date(2029, 2, 28))
    assert state(child) == "archived"
    run_on(date(2029, 3, 1))
    assert state(child) == "destroyed"


def test_it_never_touches_a_child_with_a_second_later_contract(cast):
    child = make_child(
        cast.group_c,
        contracts=[(START, date(2024, 6, 30)), (date(2025, 1, 6), None)],
        guardians=[cast.fleur],
    )
    run_on(date(2026, 6, 30))
    assert state(child) == "visible"


def test_it_measures_from_the_later_of_two_ended_contracts(cast):
    child = make_child(
        cast.group_c,
        contracts=[(START, date(2024, 6, 30)), (date(2025, 1, 6), date(2025, 12, 31))],
        guardians=[cast.fleur],
    )
    run_on(date(2025, 12, 31) + timedelta(days=56))
    assert state(child) == "visible"
    run_on(date(2026, 12, 30))
    assert state(child) == "archived"
    run_on(date(2026, 12, 31))
    assert state(child) == "destroyed"


def test_it_treats_a_contract_ending_today_as_running(cast):
    child = make_child(cast.group_c, contracts=[(START, date(2026, 5, 1))])
    run_on(date(2026, 5, 1))
    assert state(child) == "visible"


def test_it_uses_the_amsterdam_date_when_run_just_after_midnight(cast):
    """23:30 UTC on 5 May is already 6 May in Amsterdam (summer time)."""
    end = date(2026, 3, 10)  # archive_on = 6 May 2026
    child = make_child(cast.group_c, contracts=[(START, end)])
    with time_machine.travel("2026-05-05T21:30:00Z", tick=False):
        call_command("run_retention", stdout=io.StringIO())
    assert state(child) == "visible"
    with time_machine.travel("2026-05-05T22:30:00Z", tick=False):
        call_command("run_retention", stdout=io.StringIO())
    assert state(child) == "archived"


def test_it_leaves_the_demo_children_of_others_alone(cast):
    """The cast's running contracts (Daan, Eva, Mila, Finn) are never touched."""
    run_on(date(2040, 1, 1))
    for child in (cast.daan, cast.eva, cast.mila, cast.finn):
        assert state(child) == "visible"


ends = st.one_of(st.none(), st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)))
histories = st.lists(
    st.tuples(st.dates(min_value=date(2023, 1, 1), max_value=date(2024, 1, 1)), ends),
    min_size=0,
    max_size=3,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    history=histories,
    today=st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31)),
)
def test_it_archives_and_destroys_exactly_what_is_due_over_random_histories(cast, history, today):
    with transaction.atomic():
        child = make_child(cast.group_c, contracts=history, guardians=[cast.fleur])
        run_on(today)
        expected = schedule.stage(schedule.end_date(history, today), today)
        got = state(child)
        if expected == schedule.Stage.DESTROYED:
            assert got == "destroyed"
        elif expected == schedule.Stage.ARCHIVED:
            assert got == "archived"
        else:
            assert got == "visible"
        transaction.set_rollback(True)
