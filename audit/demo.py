"""Demo access events: the staff looked at Daan's diary and photos over the last days."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from audit.models import AccessKind
from audit.services import access_events_record, role_of
from daycare.models import Child


def seed(*, today):

    daan = Child.objects.filter(first_name="Daan").first()
    sanne = User.objects.filter(email="sanne@example.org").first()
    lotte = User.objects.filter(email="lotte@example.org").first()
    service = User.objects.filter(email="service@example.org").first()
    if not (daan and sanne and lotte and service):
        return
    tz = timezone.get_current_timezone()
    plan = [
        (sanne, AccessKind.DIARY_READ, 0, time(9, 12)),
        (sanne, AccessKind.PHOTO_READ, 0, time(11, 40)),
        (sanne, AccessKind.DIARY_READ, 1, time(16, 5)),
        (lotte, AccessKind.DIARY_READ, 2, time(10, 30)),
        (service, AccessKind.PHOTO_DOWNLOAD, 3, time(14, 0)),
    ]
    for user, kind, days_ago, at in plan:
        when = datetime.combine(today - timedelta(days=days_ago), at, tzinfo=tz)
        # The same unique row every run: seeding twice adds nothing.
        access_events_record(
            user_id=user.pk, role=role_of(user), kind=kind, child_ids=[daan.pk], at=when
        )
