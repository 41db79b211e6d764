from django.contrib import admin

from audit.models import AccessEvent


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the portal, never edited by hand."""

    list_display = ["at", "user", "role", "kind", "child"]
    list_filter = ["kind", "role"]
    search_fields = ["user__email", "child__code", "child__first_name", "child__last_name"]
    date_hierarchy = "at"
    list_select_related = ["user", "child"]
    fields = list_display  # type: ignore[assignment]  # names only

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
