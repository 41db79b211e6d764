from django.urls import path

from diary import staff_views

app_name = "diary_staff"
urlpatterns = [
    path("groups/<code:code>/", staff_views.group_overview, name="group"),
    path("groups/<code:code>/note/", staff_views.shared_note, name="shared_note"),
    path("groups/<code:code>/grid/", staff_views.group_grid, name="grid"),
    path("children/<code:child_code>/", staff_views.child_day, name="child"),
    path("children/<code:child_code>/timeline/", staff_views.child_timeline, name="timeline"),
    path("children/<code:child_code>/print/", staff_views.child_print, name="print"),
    path("entries/<code:code>/edit/", staff_views.entry_edit, name="entry_edit"),
    path("entries/<code:code>/remove/", staff_views.entry_remove, name="entry_remove"),
    path("entries/<code:code>/read/", staff_views.parent_note_read, name="note_read"),
]
