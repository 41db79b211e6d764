from django.contrib import admin

from files.models import PendingFileDeletion


@admin.register(PendingFileDeletion)
class PendingFileDeletionAdmin(admin.ModelAdmin):
    list_display = ["key", "queued_at", "not_before", "attempts"]
    readonly_fields = ["key", "queued_at", "not_before", "attempts"]

    def has_add_permission(self, request):
        return False
