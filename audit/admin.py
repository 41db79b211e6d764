from django.contrib import admin

from audit.models import AccessEvent
from core.admin import ReadOnlyAdminMixin


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the log is written by the portal, never edited by hand."""

    list_display = ["at", "user", "role", "kind", "child"]
    list_filter = ["kind", "role"]
    search_fields = ["user__email", "child__code", "child__first_name", "child__last_name"]
    date_hierarchy = "at"
    list_select_related = ["user", "child"]
    fields = list_display  # type: ignore[assignment]  # names only
