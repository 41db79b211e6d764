from django.contrib import admin

from retention.models import DataRequest, DestructionRecord, RequestEvent


@admin.register(DestructionRecord)
class DestructionRecordAdmin(admin.ModelAdmin):
    """What destruction left behind (R18): read-only, it is the proof."""

    list_display = ["run_date", "reason", "children", "accounts_erased", "created_at"]
    readonly_fields = ["run_date", "reason", "children", "accounts_erased", "counts", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    """Read-only here: requests are handled on the customer service pages, where every step is
    recorded."""

    list_display = ["kind", "received_at", "deadline", "status", "handler"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in DataRequest._meta.fields]
    inlines = [RequestEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
