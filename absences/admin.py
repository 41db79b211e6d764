from django.contrib import admin

from absences.models import Absence, AbsenceSettings, LocationClosure


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ["child", "start_date", "end_date", "reason", "channel", "withdrawn_at"]
    list_filter = ["reason", "channel", "child__group__location"]
    list_select_related = ["child"]
    raw_id_fields = ["child", "reported_by"]
    date_hierarchy = "start_date"


@admin.register(AbsenceSettings)
class AbsenceSettingsAdmin(admin.ModelAdmin):
    list_display = ["location", "cutoff_time"]


@admin.register(LocationClosure)
class LocationClosureAdmin(admin.ModelAdmin):
    list_display = ["location", "start_date", "end_date", "reason"]
    list_filter = ["location"]
