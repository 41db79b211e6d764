"""The retention dates (R16-R19) as pure functions on calendar dates (Europe/Amsterdam).

For a child whose contracts have all ended, with E the end date of its last contract:

- **visible** from E through E + 8 weeks (56 days), inclusive: "up to and including 8 weeks
  after". The parents' access ends at the end of ``access_ends_on(E)`` = E + 56 days.
- **archived** from ``archive_on(E)`` = E + 57 days: archive when today > E + 56 days.
- **destroyed** from ``destroy_on(E)`` = the same day and month one year later. A contract
  ending on 29 February is destroyed on **1 March** of the next year, never on 28 February:
  the rule is "never early", and 28 February would be one day short of a full year.

A child with a running contract (no end date, or an end date today or later) has no end date
and is never touched, whatever its earlier contracts say. A child without contracts is never
touched either: nothing tells when its care ended.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum

VISIBLE_DAYS = 56  # 8 weeks (R16)


class Stage(StrEnum):
    ACTIVE = "active"  # a contract runs (or no contract at all)
    VISIBLE = "visible"  # ended, within the 8 weeks
    ARCHIVED = "archived"  # after 8 weeks, before one year
    DESTROYED = "destroyed"  # one year or more after the end


def end_date(contracts: Iterable[tuple[date, date | None]], today: date) -> date | None:
    """The end of the last contract if every contract has ended before ``today``; else None.

    ``contracts`` are (start_date, end_date) pairs. A contract that ends today still runs.
    """
    ends = []
    for _start, end in contracts:
        if end is None or end >= today:
            return None
        ends.append(end)
    return max(ends) if ends else None


def access_ends_on(end: date) -> date:
    """The last day the child's data is visible to parents and staff (R16)."""
    return end + timedelta(days=VISIBLE_DAYS)


def archive_on(end: date) -> date:
    """The first day the child is archived (R17)."""
    return end + timedelta(days=VISIBLE_DAYS + 1)


def destroy_on(end: date) -> date:
    """The first day the child is destroyed (R18): one calendar year later; 29 Feb -> 1 Mar."""
    try:
        return end.replace(year=end.year + 1)
    except ValueError:  # 29 February, and next year is not a leap year
        return date(end.year + 1, 3, 1)


def is_archive_due(end: date | None, today: date) -> bool:
    return end is not None and today >= archive_on(end)


def is_destroy_due(end: date | None, today: date) -> bool:
    return end is not None and today >= destroy_on(end)


def stage(end: date | None, today: date) -> Stage:
    if end is None:
        return Stage.ACTIVE
    if is_destroy_due(end, today):
        return Stage.DESTROYED
    if is_archive_due(end, today):
        return Stage.ARCHIVED
    return Stage.VISIBLE


def latest_end_for_destroy(today: date) -> date:
    """A safe SQL pre-filter: every end date whose destruction is due is on or before this.

    ``destroy_on(E) >= E + 365 days``, so E <= today - 365 days for every due E. The exact rule
    (``is_destroy_due``) is applied to the candidates afterwards.
    """
    return today - timedelta(days=365)


def latest_end_for_archive(today: date) -> date:
    """Every end date whose archiving is due is on or before this (exact)."""
    return today - timedelta(days=VISIBLE_DAYS + 1)
