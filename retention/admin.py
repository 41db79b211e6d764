from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin
from retention.models import DataRequest, DestructionRecord, RequestEvent


@admin.register(DestructionRecord)
class DestructionRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What destruction left behind (R18): read-only, it is the proof."""

    list_display = ["run_date", "reason_display", "children", "accounts_erased", "created_at"]
    fields = [
        "run_date",
        "reason_display",
        "children",
        "accounts_erased",
        "counts_display",
        "created_at",
    ]
    readonly_fields = fields  # type: ignore[assignment]  # names only

    @admin.display(description=_("reason"), ordering="reason")
    def reason_display(self, obj: DestructionRecord) -> str:
        return obj.reason_label()

    @admin.display(description=_("what was removed"))
    def counts_display(self, obj: DestructionRecord) -> str:
        return obj.counts_label()


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "note"]

    def has_add_permission(self, request: HttpRequest, obj: DataRequest | None = None) -> bool:
        return False


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    """Read-only here: requests are handled on the customer service pages, where every step is
    recorded."""

    list_display = ["kind", "received_at", "deadline", "status", "handler"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in DataRequest._meta.fields]
    inlines = [RequestEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: DataRequest | None = None) -> bool:
        return False
