"""Property: whatever parents report, a child's active reports never overlap (R11)."""

import contextlib
import datetime
import itertools
import zoneinfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from absences.models import Absence
from absences.services import absence_report, absence_withdraw
from core.errors import DomainError

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
NOW = datetime.datetime(2026, 3, 10, 7, 0, tzinfo=AMS)
TODAY = NOW.date()

actions = st.lists(
    st.tuples(st.booleans(), st.integers(-3, 400), st.integers(-5, 30)), min_size=1, max_size=12
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=actions)
def test_active_reports_never_overlap_and_refusals_change_nothing(cast, time_machine, steps):
    time_machine.move_to(NOW, tick=False)
    Absence.objects.all().delete()
    for withdraw, offset, length in steps:
        if withdraw:
            active = list(Absence.objects.filter(withdrawn_at__isnull=True).order_by("pk"))
            if active:
                target = active[abs(offset) % len(active)]
                with contextlib.suppress(DomainError):
                    absence_withdraw(absence=target)
            continue
        start = TODAY + datetime.timedelta(days=offset)
        end = start + datetime.timedelta(days=length)
        before = list(Absence.objects.values_list("pk", "start_date", "end_date", "withdrawn_at"))
        try:
            absence_report(
                child=cast.eva,
                start_date=start,
                end_date=end,
                reason="sick",
                reported_by=cast.anna,
            )
        except DomainError:
            after = list(
                Absence.objects.values_list("pk", "start_date", "end_date", "withdrawn_at")
            )
            assert after == before
        else:
            assert TODAY <= start <= end <= TODAY + datetime.timedelta(days=365)
    active = sorted(
        Absence.objects.filter(withdrawn_at__isnull=True).values_list("start_date", "end_date")
    )
    for (_, end_a), (start_b, _) in itertools.pairwise(active):
        assert end_a < start_b
