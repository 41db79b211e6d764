"""What "Vandaag" (the parent home) shows for one child, read in a fixed number of queries.

Every part goes through the public selectors of its app, so each keeps its own rule: the diary
through ``DiaryDay.objects.visible_to`` (access and diary consent, R2/R9), photos through
``photos.selectors.photos_for_child_day`` (photo consent of every tagged child, R5/R10), the
absence through ``absences.selectors.parent_absences`` and news through
``newsletters.selectors.parent_publications``. The child itself comes from the parent's own
children (``portal.navigation.parent_nav``), so a stranger's child is a 404.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import time, timedelta

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from absences.selectors import parent_absences
from consent.models import Purpose
from consent.selectors import ConsentState, consent_states
from consent.text import explain_consent
from diary.models import DiaryDay, DiaryEntry
from diary.selectors import DayView, day_view
from newsletters.selectors import parent_publications
from photos.selectors import photos_for_child_day

DAYS_PER_PAGE = 5
NEWS_ITEMS = 3
_TIME = re.compile(r"\b([01]?\d|2[0-3])[:.]([0-5]\d)\b")


def opening_time(location) -> time | None:
    """The first time written in the location's opening hours ("ma-vr 07:30 - 18:30")."""
    match = _TIME.search(location.opening_hours or "")
    return time(int(match[1]), int(match[2])) if match else None


def child_of(nav, code: str):
    """One of the parent's own children by code (already loaded for the navigation); 404 for
    anyone else's child, missing and forbidden alike."""
    for child in nav.children if nav else ():
        if child.code == code:
            return child
    raise Http404


@dataclass
class Today:
    child: object
    date: Date
    diary_state: str
    photos_state: str
    day: DayView | None
    photos: list
    earlier: list[DayView]
    more_before: Date | None
    absence: object = None
    news: list = field(default_factory=list)
    opens_at: time | None = None
    # Why a purpose is off, in one sentence for this guardian (consent/text.py, issue 14).
    why: dict = field(default_factory=dict)

    @property
    def diary_on(self):
        return self.diary_state == ConsentState.GIVEN

    @property
    def photos_on(self):
        return self.photos_state == ConsentState.GIVEN

    @property
    def weekend(self):
        return self.date.weekday() >= 5

    @property
    def before_opening(self):
        return self.opens_at is not None and timezone.localtime().time() < self.opens_at

    @property
    def nothing_yet(self):
        return self.day is None and not self.photos


def _days(user, child, *, before: Date, limit: int) -> list[DayView]:
    """Up to ``limit`` diary days of the child before ``before``, newest first (two queries)."""
    days = (
        DiaryDay.objects.visible_to(user)
        .filter(child=child, date__lt=before)
        .prefetch_related(Prefetch("entries", queryset=DiaryEntry.objects.select_related("author")))
        .order_by("-date")[:limit]
    )
    return [day_view(day) for day in days]


def _with_photos(user, child, views: list[DayView], extra: Sequence[Date] = ()) -> dict:
    """Attach each day's photos (one query for all days) and return them by date."""
    dates = [view.day.date for view in views] + list(extra)
    found = photos_for_child_day(user, child, dates) if dates else {}
    for view in views:
        view.photos = list(found.get(view.day.date, []))
    return found


def today_for(user, child, *, nav=None) -> Today:
    """Today and the first earlier days of ``child`` (a child of ``user``)."""
    today = timezone.localdate()
    states = consent_states([child])[child.pk]
    diary_state, photos_state = states[Purpose.DIARY], states[Purpose.PHOTOS]
    why = {}
    if diary_state != ConsentState.GIVEN or photos_state != ConsentState.GIVEN:
        # Something is off: say why, for this guardian (another guardian's no, nobody chose).
        explained = explain_consent(user, [child])[child.pk]
        why = {
            purpose: explained[purpose].text
            for purpose, state in ((Purpose.DIARY, diary_state), (Purpose.PHOTOS, photos_state))
            # The log and the projection agree (a missing projection row is "off" with no why).
            if state != ConsentState.GIVEN and explained[purpose].state == state
        }
    views = []
    if diary_state == ConsentState.GIVEN:
        # Today (if written), a page of earlier days, and one more to know whether there are more.
        views = _days(user, child, before=today + timedelta(days=1), limit=DAYS_PER_PAGE + 2)
    todays = views[0] if views and views[0].day.date == today else None
    rest = views[1:] if todays else views
    earlier = rest[:DAYS_PER_PAGE]
    more = earlier[-1].day.date if len(rest) > DAYS_PER_PAGE else None
    photos = []
    if photos_state == ConsentState.GIVEN:
        found = _with_photos(user, child, ([todays] if todays else []) + earlier, [today])
        photos = list(found.get(today, []))
    absence = (
        parent_absences(user)
        .filter(child=child, start_date__lte=today, end_date__gte=today)
        .order_by("start_date")
        .first()
    )
    news = list(
        parent_publications(user, location_ids=[child.group.location_id]).filter(is_read=False)[
            :NEWS_ITEMS
        ]
    )
    return Today(
        child=child,
        date=today,
        diary_state=diary_state,
        photos_state=photos_state,
        why={"diary": why.get(Purpose.DIARY, ""), "photos": why.get(Purpose.PHOTOS, "")},
        day=todays,
        photos=photos,
        earlier=earlier,
        more_before=more,
        absence=absence,
        news=news,
        opens_at=opening_time(child.group.location),
    )


def earlier_days(user, child, *, before: Date) -> tuple[list[DayView], Date | None]:
    """The next page of earlier days (the list loading as the parent scrolls), with photos:
    three queries (diary consent and photo consent are each applied by their selector)."""
    views = _days(user, child, before=before, limit=DAYS_PER_PAGE + 1)
    more = views[DAYS_PER_PAGE - 1].day.date if len(views) > DAYS_PER_PAGE else None
    views = views[:DAYS_PER_PAGE]
    _with_photos(user, child, views)
    return views, more
