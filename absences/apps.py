from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AbsencesConfig(AppConfig):
    name = "absences"
    verbose_name = _("Absences")
    panels = {
        "child_card": "absences.panels.child_card",
        "staff_home": "absences.panels.staff_home",
        "staff_child": "absences.panels.staff_child",
    }

    def seed_demo(self, *, today):
        """One reported absence for Mila next week (idempotent)."""
        import datetime

        from absences.models import Absence
        from accounts.models import User
        from daycare.models import Child

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
