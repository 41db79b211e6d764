"""The diary (R9): one DiaryDay per child and date, holding the entries written that day.

An entry is free text plus structured day items (meals, sleep, nappies/toilet, mood,
activities) in one JSON field, validated by ``diary.items``; keeping the items on the entry
means a timeline needs two queries however many items a day has. Entries stay in the database
while consent is withdrawn and are only hidden (R2): every read goes through
``DiaryEntry.objects.visible_to(user)`` / ``DiaryDay.objects.visible_to(user)``, which apply
both the access rule and the consent rule in SQL. Only the retention schedule destroys them.
"""

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consent.models import Purpose
from consent.selectors import children_with_consent
from core.ids import new_code
from daycare.access import visible_children

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User
    from daycare.models import Child


def _consented_visible_children(user: "User") -> "QuerySet[Child]":

    return visible_children(user, children_with_consent(Purpose.DIARY))


class DiaryDayQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> Self:
        """Days of children this user may see and whose diary consent holds now (R2, R9)."""
        return self.filter(child__in=_consented_visible_children(user).values("pk"))


class DiaryDay(models.Model):
    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    child = models.ForeignKey(
        "daycare.Child",
        on_delete=models.CASCADE,
        related_name="diary_days",
        verbose_name=_("child"),
    )
    date = models.DateField(_("date"))

    objects = DiaryDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("diary day")
        verbose_name_plural = _("diary days")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["child", "date"], name="diary_day_unique_per_child")
        ]

    def __str__(self):
        return f"{self.child} {self.date}"


class DiaryEntryQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> Self:
        """Entries of children this user may see and whose diary consent holds now (R2, R9)."""
        return self.filter(day__child__in=_consented_visible_children(user).values("pk"))


class DiaryEntry(models.Model):
    class Kind(models.TextChoices):
        STAFF = "staff", _("staff")
        PARENT = "parent", _("parent")

    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    day = models.ForeignKey(
        DiaryDay, on_delete=models.CASCADE, related_name="entries", verbose_name=_("day")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"), blank=True)
    items = models.JSONField(_("day items"), default=dict, blank=True)
    # Notes written for several children at once share this code (an outing, an activity).
    shared_code = models.CharField(max_length=22, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    # Parent notes: when a staff member marked them as read (the staff home lists the rest).
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("read by"),
    )

    objects = DiaryEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("diary entry")
        verbose_name_plural = _("diary entries")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["kind", "read_at"], name="diary_entry_unread")]

    def __str__(self):
        return f"{self.day} ({self.get_kind_display()})"
