from datetime import datetime
from typing import Any, Self

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


class ImmutableRecordError(Exception):
    """A write that would change or remove a consent decision (R6) or change a published
    privacy statement (R7). A programming error, never shown to a person: no code path may do
    this, so it is not a DomainError and reaches the error log as a 500."""


# What a parent accepted and a decision refers to (R7): fixed once the version is published.
# ``announced_at`` is bookkeeping of the announcement task and may still be set.
FROZEN_WHEN_PUBLISHED = frozenset(
    {"version", "text_nl", "text_en", "summary_nl", "summary_en", "published_at", "effective_at"}
)


class PrivacyStatementQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """Refuse to change what is frozen in a published version (R7)."""
        frozen = sorted(FROZEN_WHEN_PUBLISHED & kwargs.keys())
        if frozen and self.filter(published_at__isnull=False).exists():
            raise ImmutableRecordError(
                f"A published privacy statement is immutable: cannot update {', '.join(frozen)}."
            )
        return super().update(**kwargs)

    def in_force(self, now: datetime | None = None) -> Self:
        """Versions that apply (R7): published, their effective moment reached (a version
        published without one applies from publication), not withdrawn."""
        now = now or timezone.now()
        return self.filter(
            models.Q(effective_at__isnull=True) | models.Q(effective_at__lte=now),
            published_at__lte=now,
            withdrawn_at__isnull=True,
        )

    def scheduled(self, now: datetime | None = None) -> Self:
        """Published and announced, but not yet applying: parents are being told (R7)."""
        now = now or timezone.now()
        return self.filter(
            published_at__isnull=False, effective_at__gt=now, withdrawn_at__isnull=True
        )


class PrivacyStatement(models.Model):
    """A version of the privacy statement (R7). Published versions are immutable.

    "Published" means ``published_at`` is set (as in the admin), also for a moment still to
    come: from then on ``save()`` and ``update()`` refuse to change ``FROZEN_WHEN_PUBLISHED``.
    Drafts stay editable.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"))
    summary_nl = models.TextField(_("what changed (Dutch)"), blank=True)
    summary_en = models.TextField(_("what changed (English)"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # R7: announced at publication, applies from here (at least STATEMENT_NOTICE_DAYS later).
    # Empty for versions published before effective dates existed: they applied at once.
    effective_at = models.DateTimeField(_("applies from"), null=True, blank=True)
    # A scheduled version withdrawn before it applied: it never applies.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # Set once by the announcement task, so a retried or repeated task sends no second e-mail.
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PrivacyStatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("privacy statement")
        verbose_name_plural = _("privacy statements")
        ordering = ["-version"]

    def __str__(self):
        return f"{_('Privacy statement')} v{self.version}"

    def save(self, **kwargs: Any) -> None:
        if self.pk is not None:
            self._refuse_changes_once_published(kwargs.get("update_fields"))
        super().save(**kwargs)

    def _refuse_changes_once_published(self, update_fields) -> None:
        """Compare with the stored row, not with what was loaded: an unchanged save (the admin's
        read-only form) passes, any change to a frozen field of a published version fails."""
        fields = FROZEN_WHEN_PUBLISHED
        if update_fields is not None:
            fields = fields & set(update_fields)
        if not fields:
            return
        stored = (
            PrivacyStatement.objects.filter(pk=self.pk, published_at__isnull=False)
            .values(*fields)
            .first()
        )
        if stored is None:  # a draft, or no row yet
            return
        changed = sorted(name for name in fields if getattr(self, name) != stored[name])
        if changed:
            raise ImmutableRecordError(
                f"Privacy statement {self.pk} is published and immutable: "
                f"cannot change {', '.join(changed)}."
            )

    @property
    def is_published(self):
        return self.published_at is not None and self.published_at <= timezone.now()

    @property
    def applies_from(self):
        return self.effective_at or self.published_at

    def summary(self, language: str) -> str:
        return self.summary_en if language == "en" else self.summary_nl


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


class ConsentDecisionQuerySet(models.QuerySet):
    """Decisions are append-only (R6): ``update()`` and ``delete()`` refuse, also through
    ``child.consent_decisions`` and ``bulk_update()``. The one way out is
    ``destroy_for_retention()``."""

    def update(self, **kwargs):
        raise ImmutableRecordError("Consent decisions are append-only: they are never updated.")

    def delete(self):
        raise ImmutableRecordError(
            "Consent decisions are append-only: only destroy_for_retention() removes them."
        )

    # Django's flag for a queryset method not copied to the manager (unknown to the stubs).
    delete.queryset_only = True  # type: ignore[attr-defined]

    def destroy_for_retention(self, *, child_ids) -> int:
        """Remove every decision about these children, because retention destroys them (R18):
        the schedule one year after the end date, or an erasure request (R21), both through
        ``retention.engine.destroy_children``. Returns how many decisions went."""
        doomed = self.filter(child_id__in=list(child_ids))
        deleted, _by_model = super(ConsentDecisionQuerySet, doomed).delete()
        return deleted


class ConsentDecision(models.Model):
    """One decision of one guardian about one child and purpose (R6). Append-only.

    No code path updates or deletes a row: ``save()`` only inserts, ``delete()`` and the
    queryset's ``update()`` and ``delete()`` raise ImmutableRecordError. The current state is
    derived from the latest decision of each current guardian (consent/selectors.py). Rows go
    only when retention destroys the child (R18), through
    ``ConsentDecision.objects.destroy_for_retention()``.
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

    objects = ConsentDecisionQuerySet.as_manager()

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

    def save(self, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise ImmutableRecordError(
                f"Consent decision {self.pk} exists: decisions are append-only, record a new one."
            )
        # Insert only: a new instance carrying an existing pk must fail, not overwrite the row.
        kwargs["force_insert"] = kwargs.get("force_insert") or True
        super().save(**kwargs)

    def delete(self, using=None, keep_parents=False):
        raise ImmutableRecordError(
            "Consent decisions are append-only: only destroy_for_retention() removes them."
        )


class ProjectedState(models.TextChoices):
    """What the rule says now for a child and purpose (the values of ``ConsentState``)."""

    GIVEN = "given", _("given")
    REFUSED = "refused", _("refused")
    UNDECIDED = "undecided", _("undecided")


class CurrentConsent(models.Model):
    """The consent projection (issue 16): per child and purpose, the state the rule derives
    from the decisions (R4, R6) and the current guardianships, kept so that every read is a
    lookup instead of the rule rebuilt as nested subqueries.

    Written only by ``consent.projection``, in the transaction of the write that changed an
    input (a decision, a guardianship, archiving). The decisions stay the proof; a nightly
    job (``consent.verification``) recomputes this table from them. A missing row reads as
    "undecided": closed (fail closed)."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="current_consents", verbose_name=_("child")
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    state = models.CharField(_("state"), max_length=16, choices=ProjectedState.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("current consent")
        verbose_name_plural = _("current consents")
        constraints = [
            models.UniqueConstraint(fields=["child", "purpose"], name="current_consent_once"),
        ]

    def __str__(self):
        return f"{self.child_id} {self.purpose}: {self.state}"


class ConsentNotice(models.Model):
    """When a guardian was last told by e-mail that another guardian changed a choice (R4),
    and whether a grouped e-mail is owed (issue 19, finding 7): at most one such e-mail per
    ``consent.tasks.NOTICE_WINDOW`` per guardian, however often the choices flip."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    last_sent_at = models.DateTimeField(null=True)
    # Set when a change arrives within the window after last_sent_at: the e-mail then goes
    # at the end of the window (beat), and further changes join it.
    due_at = models.DateTimeField(null=True, db_index=True)

    class Meta:
        verbose_name = _("consent change notice")
        verbose_name_plural = _("consent change notices")

    def __str__(self):
        return f"{self.user_id} last {self.last_sent_at} due {self.due_at}"


class VerificationRun(models.Model):
    """One nightly check of the consent projection against the decisions (issue 16,
    ``consent.verification.verify``): what was checked and how many differences were closed
    and repaired. Customer service sees these as the evidence that no photo or diary was shown
    without consent. Counts only: no child or photo is named."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    children = models.PositiveIntegerField(_("children checked"), default=0)
    photos = models.PositiveBigIntegerField(_("photos checked"), default=0)
    differences = models.PositiveIntegerField(_("differences"), default=0)
    # {"child": n, "photo": n, "tag": n}: which kind of projection row differed.
    kinds = models.JSONField(_("differences per kind"), default=dict, blank=True)

    class Meta:
        verbose_name = _("consent verification run")
        verbose_name_plural = _("consent verification runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d}: {self.differences}"
