"""Photos of a group and the children tagged in them (R5, R10).

A photo belongs to the group whose staff uploaded it. It is shown to a parent only through
``photos.selectors``: a guardian of a tagged child, while every tagged child has photo consent
and none is archived. Files live in storage under random keys (``files.keys.new_key``); the
upload's own name is never stored or used as a path.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import new_code
from daycare.models import Child, Group
from photos.faces import Box

THUMB_SIDE = 400
DISPLAY_SIDE = 1600


class PhotoBatch(models.Model):
    """One upload session on the tablet, issued by the server (issue 19, finding 9): the client
    can only send photos into a batch it was given, of its own group, so the per-batch limit
    counts something. ``Photo.batch`` holds this batch's code."""

    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="photo_batches", verbose_name=_("group")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo batch")
        verbose_name_plural = _("photo batches")

    def __str__(self):
        return self.code


class Photo(models.Model):
    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="photos", verbose_name=_("group")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    # One upload session on the tablet: the tagging page shows the photos of one batch.
    batch = models.CharField(_("batch"), max_length=22, db_index=True)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now, db_index=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    original_key = models.CharField(max_length=500, editable=False)
    display_key = models.CharField(max_length=500, blank=True, editable=False)
    thumb_key = models.CharField(max_length=500, blank=True, editable=False)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    content_type = models.CharField(max_length=32, default="image/jpeg")
    # The thumbnail's average colour (#rrggbb), shown while the photo loads; made with the variants.
    colour = models.CharField(max_length=7, blank=True, default="", db_default="")
    # The tablet's random id for one file of a batch: a retried upload whose answer was lost
    # returns the photo stored the first time instead of storing it twice.
    upload_token = models.CharField(max_length=64, blank=True, default="", db_default="")
    # The consent projection (issue 16, consent/projection.py): every tagged child has photo
    # consent now and none is archived. Written only by the projection; False until it has
    # looked at the photo (fail closed).
    shareable = models.BooleanField(default=False, db_default=False, editable=False)
    # The face guard (issue 18, photos/faces.py). ``faces_checked``: the variants task looked
    # for faces. ``held``: no parent sees the photo (a detected face not yet accounted for by a
    # tag, or a blurred rendering still to be made); written by photos.services only.
    # ``shared_key``: the original as parents receive it, with the faces marked "blur"
    # pixelated (blank: no face is blurred and parents receive ``original_key``, which
    # otherwise only the group's staff see). ``blur_version`` counts blur decisions,
    # ``blur_rendered`` the version the files were last rendered for.
    faces_checked = models.BooleanField(default=False, db_default=False, editable=False)
    held = models.BooleanField(_("held by the face guard"), default=False, db_default=False)
    shared_key = models.CharField(max_length=500, blank=True, default="", editable=False)
    blur_version = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    blur_rendered = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-taken_at", "-pk"]
        indexes = [models.Index(fields=["group", "-taken_at"], name="photo_group_taken")]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "upload_token"],
                condition=~models.Q(upload_token=""),
                name="photo_upload_once",
            )
        ]

    def __str__(self):
        return self.code

    @property
    def extension(self) -> str:
        return "png" if self.content_type == "image/png" else "jpg"

    @property
    def has_variants(self) -> bool:
        return bool(self.thumb_key and self.display_key)

    def storage_keys(self) -> list[str]:
        keys = (self.original_key, self.shared_key, self.display_key, self.thumb_key)
        return [key for key in keys if key]

    @property
    def parent_original_key(self) -> str:
        """The full-size file a parent (and an export) receives: with blurred faces pixelated."""
        return self.shared_key or self.original_key

    def fitted(self, side: int) -> tuple[int, int]:
        """Width and height of this photo shrunk to fit a ``side`` x ``side`` box."""
        scale = min(1.0, side / max(self.width, self.height, 1))
        return max(1, round(self.width * scale)), max(1, round(self.height * scale))

    @property
    def display_size(self) -> tuple[int, int]:
        return self.fitted(DISPLAY_SIDE)

    @property
    def display_width(self) -> int:
        return self.display_size[0]

    @property
    def display_height(self) -> int:
        return self.display_size[1]

    def filename(self, size: str = "original") -> str:
        local = timezone.localtime(self.taken_at)
        suffix = "" if size == "original" else f"-{size}"
        return f"foto-{local:%Y-%m-%d-%H%M%S}-{self.code[:6]}{suffix}.{self.extension}"


class PhotoTag(models.Model):
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="tags")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="photo_tags")
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    tagged_at = models.DateTimeField(auto_now_add=True)
    # The child is on the photo with the face pixelated: the tag neither needs the child's
    # consent for the photo to be shared nor gives the child's guardians the photo
    # (consent.projection skips it when deciding shareability).
    blurred = models.BooleanField(default=False, db_default=False)
    # Copies kept by the consent projection (issue 16): the photo's ``taken_at`` and
    # ``shareable``, so that "the photos of this child a parent may see, by date" is one
    # range over the index below. Written only by consent.projection.
    taken_at = models.DateTimeField(null=True, editable=False)
    shareable = models.BooleanField(default=False, db_default=False, editable=False)
    # The photo's ``uploaded_at``, for the tab bar's "new photos" badge: one range over the
    # index below instead of a join to every photo of the child. Only a count reads it; what a
    # parent may see is still decided by ``shareable``.
    uploaded_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        verbose_name = _("photo tag")
        verbose_name_plural = _("photo tags")
        constraints = [
            models.UniqueConstraint(fields=["photo", "child"], name="phototag_unique"),
        ]
        indexes = [
            models.Index(fields=["child", "photo"], name="phototag_child_photo"),
            models.Index(fields=["child", "shareable", "taken_at"], name="phototag_child_shown"),
            models.Index(fields=["child", "shareable", "uploaded_at"], name="phototag_child_new"),
        ]

    def __str__(self):
        return f"{self.photo_id}:{self.child_id}"


class PhotoFace(models.Model):
    """A face on a photo, found by the face guard or drawn by a worker (issue 18): a box as
    fractions of the photo's width and height, and what a worker decided about it. Never a
    descriptor: nothing here can say who the face belongs to."""

    class Source(models.TextChoices):
        DETECTED = "detected", _("found by the face guard")
        DRAWN = "drawn", _("drawn by a worker")

    class Decision(models.TextChoices):
        PENDING = "pending", _("not reviewed")
        CHILD = "child", _("a tagged child")
        BLUR = "blur", _("blurred")
        NOT_CHILD = "not_child", _("not a child")

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="faces")
    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    x = models.FloatField()
    y = models.FloatField()
    w = models.FloatField()
    h = models.FloatField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.DETECTED)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    # The tagged child this face is (decision "child"), or whose face is blurred ("blur").
    child = models.ForeignKey(
        Child, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("face on a photo")
        verbose_name_plural = _("faces on photos")
        ordering = ["y", "x", "pk"]

    def __str__(self):
        return f"{self.photo_id}:{self.code}"

    @property
    def box(self):

        return Box(self.x, self.y, self.w, self.h)
