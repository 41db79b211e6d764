from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import new_code


class Publication(models.Model):
    """A news item or a newsletter for some locations or the whole organisation (R13).

    News is not child data: it is kept without a retention module. Published when
    ``published_at`` has passed (a future time schedules it); ``announced_at`` is set once the
    e-mail announcing it has been sent, so the announcement job is idempotent.
    """

    class Kind(models.TextChoices):
        NEWS = "news", _("news item")
        NEWSLETTER = "newsletter", _("newsletter")

    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    image_key = models.CharField(max_length=200, blank=True, editable=False)
    pdf_key = models.CharField(max_length=200, blank=True, editable=False)
    pdf_name = models.CharField(max_length=200, blank=True, editable=False)
    for_all_locations = models.BooleanField(_("for all locations"), default=False)
    locations = models.ManyToManyField(
        "daycare.Location", blank=True, related_name="publications", verbose_name=_("locations")
    )
    published_at = models.DateTimeField(_("publish at"), default=timezone.now, db_index=True)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("news item or newsletter")
        verbose_name_plural = _("news and newsletters")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="news", pdf_key="") | Q(kind="newsletter"),
                name="publication_pdf_only_on_newsletters",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.published_at <= timezone.now()


class Attachment(models.Model):
    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="attachments"
    )
    key = models.CharField(max_length=200, editable=False)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.filename


class ReadMark(models.Model):
    """A parent opened a publication: it no longer carries the unread marker."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "publication"], name="read_mark_unique")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.publication_id}"


class EmailPreference(models.Model):
    """Per parent: which announcement e-mails they want (both on unless turned off)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="news_email_preference"
    )
    news = models.BooleanField(_("e-mail me about new news items"), default=True)
    newsletters = models.BooleanField(_("e-mail me about new newsletters"), default=True)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")

    def __str__(self):
        return str(self.user)
