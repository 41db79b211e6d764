from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from files.models import PendingFileBatch, PendingFileDeletion


@admin.register(PendingFileDeletion)
class PendingFileDeletionAdmin(admin.ModelAdmin):
    list_display = ["key", "queued_at", "not_before", "attempts"]
    readonly_fields = ["key", "queued_at", "not_before", "attempts"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(PendingFileBatch)
class PendingFileBatchAdmin(admin.ModelAdmin):
    list_display = ["pk", "queued_at", "file_count", "attempts"]
    readonly_fields = ["keys", "queued_at", "attempts"]

    @admin.display(description=_("number of files"))
    def file_count(self, batch: PendingFileBatch) -> int:
        return len(batch.key_list)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
