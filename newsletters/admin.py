from django.contrib import admin

from newsletters.models import Attachment, EmailPreference, Publication
from newsletters.sanitize import clean_body


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ["filename", "content_type", "size"]
    readonly_fields = ["filename", "content_type", "size"]
    extra = 0
    can_delete = False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Text and audience only; files are uploaded through the staff pages, which clean them."""

    list_display = ["title", "kind", "for_all_locations", "published_at", "announced_at"]
    list_filter = ["kind", "for_all_locations", "locations"]
    search_fields = ["title"]
    filter_horizontal = ["locations"]
    fields = ["kind", "title", "body", "for_all_locations", "locations", "published_at"]
    inlines = [AttachmentInline]

    def save_model(self, request, obj, form, change):
        obj.body = clean_body(obj.body)
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "news", "newsletters"]
    raw_id_fields = ["user"]
