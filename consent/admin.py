"""Django admin: the organisation drafts statement versions (customer service publishes them
on the staff page, R7); published versions and every decision and acceptance are read-only
(R6)."""

from django.contrib import admin
from django.contrib.admin.options import ActionLocation

from consent.models import ConsentDecision, PrivacyStatement, StatementAcceptance
from core.admin import ReadOnlyAdminMixin


@admin.register(PrivacyStatement)
class PrivacyStatementAdmin(admin.ModelAdmin):
    list_display = ["version", "published_at", "effective_at", "withdrawn_at", "created_at"]
    readonly_fields = ["published_at", "effective_at", "withdrawn_at", "announced_at", "created_at"]
    # Publishing is not an admin action: customer service publishes a draft on
    # /staff/consent/statements/ with an effective date and a confirmation (R7).

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.published_at is not None:
            return [
                "version",
                "text_nl",
                "text_en",
                "summary_nl",
                "summary_en",
                *self.readonly_fields,
            ]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.published_at is not None:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)  # published versions must never go
        return actions


@admin.register(ConsentDecision)
class ConsentDecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["child", "purpose", "given", "decided_by", "channel", "decided_at"]
    list_filter = ["purpose", "given", "channel"]
    list_select_related = ["child", "decided_by"]
    search_fields = ["child__last_name", "decided_by__email"]
    raw_id_fields = ["child", "decided_by", "recorded_by"]


@admin.register(StatementAcceptance)
class StatementAcceptanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "statement", "accepted_at"]
    list_select_related = ["user", "statement"]
    search_fields = ["user__email"]
