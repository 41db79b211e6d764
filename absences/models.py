import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.ids import new_code

DEFAULT_CUTOFF = datetime.time(9, 0)
# ISO weekdays (1 = Monday) a location is open unless it says otherwise.
DEFAULT_OPENING_DAYS = "12345"
WEEKDAYS = [
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
    ("7", _("Sunday")),
]


class Absence(models.Model):
    """A child reported absent for one day or a range of days (R11)."""

    class Reason(models.TextChoices):
        SICK = "sick", _("sick")
        HOLIDAY = "holiday", _("holiday")
        OTHER = "other", _("other")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("portal")
        PHONE = "phone", _("phone")

    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    child = models.ForeignKey(
        "daycare.Child",
        on_delete=models.CASCADE,
        related_name="absences",
        verbose_name=_("child"),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.PORTAL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="absence_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["child", "start_date", "end_date"])]

    def __str__(self):
        return f"{self.child} {self.start_date}–{self.end_date}"


class AbsenceSettings(models.Model):
    """Per location: until what time parents may report absence for today (R11)."""

    location = models.OneToOneField(
        "daycare.Location",
        on_delete=models.CASCADE,
        related_name="absence_settings",
        verbose_name=_("location"),
    )
    cutoff_time = models.TimeField(
        _("reports for today close at"),
        default=DEFAULT_CUTOFF,
        help_text=_("After this time parents are asked to call the location."),
    )
    # R11: absences are reported only for days the location is open.
    opening_days = models.CharField(
        _("opening days"),
        max_length=7,
        default=DEFAULT_OPENING_DAYS,
        help_text=_("ISO weekdays the location is open, 1 = Monday: 12345 is Monday to Friday."),
    )

    class Meta:
        verbose_name = _("absence settings")
        verbose_name_plural = _("absence settings")

    def __str__(self):
        return str(self.location)


class LocationClosure(models.Model):
    """Days a location is closed (holidays), shown on the location page (R14)."""

    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    location = models.ForeignKey(
        "daycare.Location",
        on_delete=models.CASCADE,
        related_name="closures",
        verbose_name=_("location"),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("closing days")
        verbose_name_plural = _("closing days")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="closure_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.location}: {self.reason}"
