from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from daycare.models import Child


class Purpose(models.TextChoices):
    """The two purposes a parent decides on per child (R1)."""

    PHOTOS = "photos", _("photos")
    DIARY = "diary", _("diary")


class Channel(models.TextChoices):
    PORTAL = "portal", _("in the portal")
    PAPER = "paper", _("on paper, recorded by customer service")


class PrivacyStatement(models.Model):
    """A version of the privacy statement (R7). Published versions are immutable."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"))
    summary_nl = models.TextField(_("what changed (Dutch)"), blank=True)
    summary_en = models.TextField(_("what changed (English)"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Set once by the announcement task, so a retried or repeated task sends no second e-mail.
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("privacy statement")
        verbose_name_plural = _("privacy statements")
        ordering = ["-version"]

    def __str__(self):
        return f"{_('Privacy statement')} v{self.version}"

    @property
    def is_published(self):
        return self.published_at is not None and self.published_at <= timezone.now()


class StatementAcceptance(models.Model):
    """A parent accepted a statement version (R7): who, which version, when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="statement_acceptances"
    )
    statement = models.ForeignKey(
        PrivacyStatement, on_delete=models.PROTECT, related_name="acceptances"
    )
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        verbose_name = _("acceptance of the privacy statement")
        verbose_name_plural = _("acceptances of the privacy statement")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "statement"], name="acceptance_once_per_version"
            )
        ]

    def __str__(self):
        return f"{self.user} – v{self.statement.version}"


class ConsentDecision(models.Model):
    """One decision of one guardian about one child and purpose (R6). Append-only.

    No code path updates or deletes a row; the current state is derived from the latest
    decision of each current guardian (consent/selectors.py). Rows go only when retention
    destroys the child (R18).
    """

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="consent_decisions", verbose_name=_("child")
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    given = models.BooleanField(_("consent given"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consent_decisions",
        verbose_name=_("decided by"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    statement = models.ForeignKey(
        PrivacyStatement,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("privacy statement"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent decision")
        verbose_name_plural = _("consent decisions")
        ordering = ["-pk"]
        indexes = [
            models.Index(
                fields=["child", "purpose", "decided_by", "-id"], name="consent_latest_idx"
            ),
        ]

    def __str__(self):
        verdict = _("yes") if self.given else _("no")
        return f"{self.child} – {self.get_purpose_display()}: {verdict}"
