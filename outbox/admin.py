from django.contrib import admin

from outbox.models import OutboxTask


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    list_display = ["task", "created_at", "attempts"]
    readonly_fields = ["task", "args", "dedupe_key", "created_at", "attempts"]

    def has_add_permission(self, request):
        return False
