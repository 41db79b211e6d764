"""Demo diary: a few days for Mila, written by sanne, if Mila has diary consent (the consent
app's seed gives it). Nothing for Daan and Eva: anna decides in the demo, then sanne writes.
Fleur's children get the same days from their last weeks, written by lotte (the retention demo
shows them, archives them and destroys them)."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from consent.models import Purpose
from consent.selectors import has_consent
from daycare.models import Child
from diary.models import DiaryDay, DiaryEntry

DAYS = [
    (
        "Mila heeft vandaag veel buiten gespeeld en met twee vriendjes een hut gebouwd.",
        {
            "meals": [{"moment": "lunch", "amount": "most", "what": "boterham met kaas"}],
            "sleep": [{"start": "12:45", "end": "14:20"}],
            "nappies": [{"time": "10:10", "kind": "wet"}, {"time": "15:30", "kind": "dirty"}],
            "mood": "happy",
            "activities": ["outdoor", "free_play"],
        },
    ),
    (
        "Rustige dag. Mila was wat moe en wilde graag voorgelezen worden.\n"
        "Het boek: https://example.org/rups-nooitgenoeg",
        {
            "meals": [{"moment": "lunch", "amount": "half", "what": ""}],
            "sleep": [{"start": "12:30", "end": "15:00"}],
            "mood": "tired",
            "activities": ["reading"],
        },
    ),
    (
        "We hebben pannenkoeken gebakken!",
        {
            "meals": [{"moment": "afternoon_snack", "amount": "all", "what": "pannenkoek"}],
            "nappies": [{"time": "11:00", "kind": "toilet"}],
            "mood": "content",
            "activities": ["cooking", "music"],
        },
    ),
]


@transaction.atomic
def seed(*, today):
    mila = Child.objects.filter(first_name="Mila").first()
    _write_days(mila, User.objects.filter(email="sanne@example.org").first(), last_day=today)
    lotte = User.objects.filter(email="lotte@example.org").first()
    for first_name in ("Noor", "Sem", "Lieke"):
        child = Child.objects.filter(first_name=first_name).first()
        ends = list(child.contracts.values_list("end_date", flat=True)) if child else []
        if ends and None not in ends:
            _write_days(child, lotte, last_day=max(e for e in ends if e) + timedelta(days=1))


def _write_days(child, author, *, last_day):
    """The demo days on the days before ``last_day``, once."""
    if child is None or author is None or not has_consent(child, Purpose.DIARY):
        return
    for offset, (text, items) in enumerate(DAYS, start=1):
        day, created = DiaryDay.objects.get_or_create(
            child=child, date=last_day - timedelta(days=offset)
        )
        if created:
            text = text.replace("Mila", child.first_name)
            entry = DiaryEntry.objects.create(
                day=day, kind=DiaryEntry.Kind.STAFF, author=author, text=text, items=items
            )
            # Written at the end of that afternoon, as a real day would be.
            written = timezone.make_aware(datetime.combine(day.date, time(16, 30)))
            DiaryEntry.objects.filter(pk=entry.pk).update(created_at=written)
