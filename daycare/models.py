from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import new_code

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User


class Location(models.Model):
    """A daycare location (vestiging), R14."""

    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    name = models.CharField(_("name"), max_length=120)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=16)
    city = models.CharField(_("city"), max_length=100)
    phone = models.CharField(_("phone number"), max_length=32)
    email = models.EmailField(_("e-mail address"))
    opening_hours = models.TextField(_("opening hours"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Group(models.Model):
    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="groups", verbose_name=_("location")
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["location__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "name"], name="group_name_unique_per_location"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.location.name})"


class ChildQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> "QuerySet[Child]":
        """The children this user may see; the one place that decides (DESIGN.md)."""
        # Here, not at the top: daycare.access imports this module (an import cycle).
        from daycare.access import visible_children

        return visible_children(user, self)  # type: ignore[arg-type]  # not generic at run time


class Child(models.Model):
    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="children", verbose_name=_("group")
    )
    # Set by the retention schedule 8 weeks after the last contract ended (R17); archived
    # children leave the portal for parents and staff.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["first_name", "last_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


class Relation(models.TextChoices):
    """What a guardian is to the child, as recorded by customer service (R27)."""

    PARENT = "parent", _("parent with parental authority")
    CAREGIVER = "caregiver", _("other caregiver")


class Guardianship(models.Model):
    """A person entitled to a child's data in the portal (R27).

    Created and removed only through ``daycare.services.guardianship_add`` and
    ``guardianship_remove``: they tell the other guardians, write the history and the access
    log, and other apps hook into them."""

    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guardianships",
        verbose_name=_("guardian"),
    )
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="guardianships", verbose_name=_("child")
    )
    relation = models.CharField(
        _("relation"), max_length=16, choices=Relation.choices, default=Relation.PARENT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(fields=["user", "child"], name="guardianship_unique")
        ]

    def __str__(self):
        return f"{self.user} → {self.child}"


class CareContract(models.Model):
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="contracts", verbose_name=_("child")
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("group")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("care contract")
        verbose_name_plural = _("care contracts")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.child} – {self.group} ({self.start_date}–{self.end_date or '…'})"


class StaffAssignment(models.Model):
    class Role(models.TextChoices):
        GROUP_WORKER = "group_worker", _("group worker")
        LOCATION_MANAGER = "location_manager", _("location manager")
        CUSTOMER_SERVICE = "customer_service", _("customer service")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_assignments",
        verbose_name=_("staff member"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("group"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("location"),
    )

    class Meta:
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="group_worker", group__isnull=False, location__isnull=True)
                    | Q(role="location_manager", group__isnull=True, location__isnull=False)
                    | Q(role="customer_service", group__isnull=True, location__isnull=True)
                ),
                name="assignment_scope_matches_role",
            ),
        ]

    def __str__(self):
        scope = self.group or self.location or _("all locations")
        return f"{self.user} – {self.get_role_display()} – {scope}"


class Household(models.Model):
    """Guardians the organisation has marked as one household (R27): only they see each
    other's contact details. Without it, no guardian sees another's address, phone or e-mail."""

    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="households", verbose_name=_("members")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        return self.note or self.code


class GuardianshipRequest(models.Model):
    """A request to make someone a guardian of a child, decided by customer service (R27).

    Group workers and location managers may only ask; nobody gets an invitation, let alone
    access, before customer service approves (four eyes)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for customer service")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    child = models.ForeignKey(
        Child,
        on_delete=models.CASCADE,
        related_name="guardianship_requests",
        verbose_name=_("child"),
    )
    email = models.EmailField(_("e-mail address"))
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    note = models.TextField(_("explanation"), blank=True, max_length=1000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("guardian request")
        verbose_name_plural = _("guardian requests")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "email"],
                condition=Q(status="pending"),
                name="guardianrequest_one_pending_per_address",
            )
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="guardianrequest_queue")]

    def __str__(self):
        return f"{self.email} → {self.child} ({self.status})"


class GuardianshipEvent(models.Model):
    """The history of who was asked for, added and removed as a child's guardian (append-only),
    shown on the staff page of the child (R27)."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("requested")
        APPROVED = "approved", _("approved, invitation sent")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")
        ADDED = "added", _("added as guardian")
        REMOVED = "removed", _("removed as guardian")

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="guardianship_events", verbose_name=_("child")
    )
    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)
    # Who the change is about: a name once there is an account, otherwise the address.
    subject = models.CharField(_("about"), max_length=254)
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("guardianship change")
        verbose_name_plural = _("guardianship changes")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.kind} {self.child_id} {self.at:%Y-%m-%d %H:%M}"


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class GuardianInvitation(models.Model):
    """An invitation for a guardian to join the portal for one child (public sign-up is closed)."""

    token = models.CharField(max_length=64, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"))
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("child")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    # The approved request this invitation comes from (R27); withdrawing it revokes the link.
    request = models.OneToOneField(
        GuardianshipRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("request"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("guardian invitation")
        verbose_name_plural = _("guardian invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.child}"

    @property
    def relation(self) -> str:
        return self.request.relation if self.request else Relation.PARENT

    @property
    def is_open(self):
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
