from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from daycare.models import (
    CareContract,
    Child,
    Group,
    GuardianInvitation,
    Guardianship,
    GuardianshipRequest,
    Household,
    Location,
    StaffAssignment,
)


class GroupInline(admin.TabularInline):
    model = Group
    extra = 0
    fields = ["name"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "phone", "email"]
    search_fields = ["name", "city", "postal_code", "email"]
    list_filter = ["city"]
    inlines = [GroupInline]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "location"]
    list_filter = ["location"]
    search_fields = ["name", "location__name"]
    list_select_related = ["location"]


class GuardianshipInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Shown, never edited here: guardians are added and removed by customer service on the
    staff page of the child, through the services that tell the other guardians (R27)."""

    model = Guardianship
    extra = 0
    fields = ["user", "relation", "created_at"]
    readonly_fields = fields  # type: ignore[assignment]  # names only


class CareContractInline(admin.TabularInline):
    model = CareContract
    extra = 0


@admin.register(Child)
class ChildAdmin(admin.ModelAdmin):
    list_display = ["first_name", "last_name", "date_of_birth", "group", "archived_at"]
    list_filter = ["group__location", "group", "archived_at"]
    search_fields = ["first_name", "last_name", "code"]
    list_select_related = ["group__location"]
    readonly_fields = ["code", "archived_at"]
    inlines = [GuardianshipInline, CareContractInline]


@admin.register(Guardianship)
class GuardianshipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only, for the same reason as the inline."""

    list_display = ["user", "child", "relation", "created_at"]
    search_fields = ["user__email", "user__last_name", "child__first_name", "child__last_name"]
    list_filter = ["child__group__location", "relation"]
    list_select_related = ["user", "child"]


@admin.register(CareContract)
class CareContractAdmin(admin.ModelAdmin):
    list_display = ["child", "group", "start_date", "end_date"]
    list_filter = ["group__location", "group", "end_date"]
    search_fields = ["child__first_name", "child__last_name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["child"]
    list_select_related = ["child", "group__location"]


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "group", "location"]
    list_filter = ["role", "location", "group__location"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "group__location", "location"]


@admin.register(GuardianInvitation)
class GuardianInvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: invitations come from approved requests (R27, the guardian request queue
    at /staff/guardian-requests/), never from here."""

    list_display = ["email", "child", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["accepted_at"]
    search_fields = ["email", "child__first_name", "child__last_name"]
    fields = [
        "email",
        "child",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    readonly_fields = fields  # type: ignore[assignment]  # names only


@admin.register(GuardianshipRequest)
class GuardianshipRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: customer service decides in the queue, where the services do the rest."""

    list_display = ["email", "child", "relation", "status", "requested_at", "decided_at"]
    list_filter = ["status", "relation"]
    search_fields = ["email", "child__first_name", "child__last_name"]
    list_select_related = ["child"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    """Guardians marked as one household see each other's contact details (R27)."""

    list_display = ["__str__"]
    search_fields = ["note", "members__email", "members__last_name"]
    autocomplete_fields = ["members"]
