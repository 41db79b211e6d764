import datetime

from django.utils import timezone

from absences import retention
from absences.models import Absence


class Writer:
    def __init__(self):
        self.json = {}

    def add_json(self, path, data):
        self.json[path] = data


def _absence(child):
    today = timezone.localdate()
    return Absence.objects.create(
        child=child,
        start_date=today,
        end_date=today + datetime.timedelta(days=1),
        reason="sick",
        note="Koorts",
    )


def test_it_destroys_only_the_given_children_and_is_idempotent(cast):
    _absence(cast.eva)
    _absence(cast.eva)
    _absence(cast.finn)
    assert retention.destroy_children([cast.eva.pk]) == {"absence reports": 2}
    assert retention.destroy_children([cast.eva.pk]) == {"absence reports": 0}
    assert list(Absence.objects.values_list("child", flat=True)) == [cast.finn.pk]


def test_it_exports_the_reports_of_one_child(cast):
    _absence(cast.eva)
    _absence(cast.daan)
    writer = Writer()
    retention.export_child(child=cast.eva, user=cast.anna, writer=writer)
    rows = writer.json["absences.json"]
    assert len(rows) == 1 and rows[0]["reason"] == "sick" and rows[0]["note"] == "Koorts"
