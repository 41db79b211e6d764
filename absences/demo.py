"""The absences part of the demo (``seed_demo``): one reported absence for Mila next week."""

import datetime

from absences.models import Absence
from accounts.models import User
from daycare.models import Child


def seed(*, today: datetime.date) -> None:
    """Idempotent: nothing is added while Mila has a reported absence."""
    mila = Child.objects.get(first_name="Mila")
    start = today + datetime.timedelta(days=7)
    if not Absence.objects.filter(child=mila, withdrawn_at__isnull=True).exists():
        Absence.objects.create(
            child=mila,
            start_date=start,
            end_date=start + datetime.timedelta(days=1),
            reason=Absence.Reason.HOLIDAY,
            note="Familiebezoek",
            reported_by=User.objects.get(email="dewi@example.org"),
        )
