"""The date rules (R16-R19) as pure functions, at their exact boundaries and as properties."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from retention import schedule
from retention.schedule import Stage

E = date(2026, 3, 10)


def test_it_keeps_data_visible_through_the_last_day_of_the_eighth_week():
    assert schedule.access_ends_on(E) == E + timedelta(days=56)
    assert schedule.stage(E, E + timedelta(days=56)) == Stage.VISIBLE
    assert schedule.stage(E, E + timedelta(days=57)) == Stage.ARCHIVED
    assert schedule.archive_on(E) == date(2026, 5, 6)


def test_it_destroys_on_the_same_day_one_year_later_not_the_day_before():
    assert schedule.stage(E, date(2027, 3, 9)) == Stage.ARCHIVED
    assert schedule.stage(E, date(2027, 3, 10)) == Stage.DESTROYED


def test_it_destroys_a_contract_ending_29_february_on_1_march():
    leap = date(2028, 2, 29)
    assert schedule.destroy_on(leap) == date(2029, 3, 1)
    assert schedule.stage(leap, date(2029, 2, 28)) == Stage.ARCHIVED
    assert schedule.stage(leap, date(2029, 3, 1)) == Stage.DESTROYED


def test_it_counts_calendar_days_across_daylight_saving_weeks():
    # 8 weeks spanning the last Sunday of March (clocks forward) and of October (back).
    for end in (date(2026, 3, 20), date(2026, 10, 20)):
        assert schedule.stage(end, end + timedelta(days=56)) == Stage.VISIBLE
        assert schedule.stage(end, end + timedelta(days=57)) == Stage.ARCHIVED


def test_it_takes_the_end_of_the_last_contract_and_never_a_running_one():
    today = date(2026, 6, 1)
    first = (date(2024, 1, 1), date(2025, 1, 31))
    second = (date(2025, 9, 1), date(2026, 2, 28))
    assert schedule.end_date([first, second], today) == date(2026, 2, 28)
    assert schedule.end_date([first, (date(2025, 9, 1), None)], today) is None
    assert schedule.end_date([first, (date(2025, 9, 1), today)], today) is None  # ends today
    assert schedule.end_date([], today) is None
    assert schedule.stage(None, today) == Stage.ACTIVE


dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@given(end=dates, today=dates)
def test_it_never_archives_or_destroys_early_and_always_when_due(end, today):
    stage = schedule.stage(end, today)
    days = (today - end).days
    if days <= 56:
        assert stage == Stage.VISIBLE
    else:
        assert stage in (Stage.ARCHIVED, Stage.DESTROYED)
    one_year = schedule.destroy_on(end)
    assert 365 <= (one_year - end).days <= 366
    assert (stage == Stage.DESTROYED) == (today >= one_year)
    if stage == Stage.DESTROYED:
        # never before the same date in the next year (29 Feb: 1 March)
        assert (today.year, today.month, today.day) >= (end.year + 1, end.month, end.day)


@given(end=dates, today=dates)
def test_it_selects_every_due_date_with_the_sql_prefilters(end, today):
    if schedule.is_destroy_due(end, today):
        assert end <= schedule.latest_end_for_destroy(today)
    assert schedule.is_archive_due(end, today) == (end <= schedule.latest_end_for_archive(today))
