from django.contrib import admin

from photos.models import Photo
from photos.services import photo_delete


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    """Metadata only: the files are reachable through the portal's checked views alone."""

    list_display = ["code", "group", "taken_at", "uploaded_at"]
    list_filter = ["group"]
    readonly_fields = ["code", "group", "uploaded_by", "batch", "taken_at", "width", "height"]
    exclude = ["original_key", "display_key", "thumb_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        # Through the service, so the files are queued for deletion (crash-safe, DESIGN.md).

        photo_delete(photo=obj)

    def delete_queryset(self, request, queryset):

        for photo in queryset:
            photo_delete(photo=photo)
