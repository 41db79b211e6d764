from django.urls import path

from retention import staff_views

app_name = "retention_staff"
urlpatterns = [
    path("archive/", staff_views.archive, name="archive"),
    path("archive/<code:code>/", staff_views.archive_child, name="archive_child"),
    path("archive/<code:code>/export/", staff_views.archive_export, name="archive_export"),
    path("exports/<code:code>/", staff_views.download, name="download"),
    path("requests/", staff_views.requests, name="requests"),
    path("requests/<code:code>/", staff_views.request_detail, name="request"),
    path("requests/<code:code>/take/", staff_views.request_take, name="request_take"),
    path("requests/<code:code>/note/", staff_views.request_note, name="request_note"),
    path("requests/<code:code>/export/", staff_views.request_export, name="request_export"),
    path("requests/<code:code>/close/", staff_views.request_close, name="request_close"),
    path("requests/<code:code>/refuse/", staff_views.request_refuse, name="request_refuse"),
    path("requests/<code:code>/erase/", staff_views.request_erase, name="request_erase"),
    path(
        "requests/<code:code>/erase-part/",
        staff_views.request_erase_part,
        name="request_erase_part",
    ),
    path(
        "requests/<code:code>/correct-parent/",
        staff_views.request_correct_parent,
        name="request_correct_parent",
    ),
    path(
        "requests/<code:code>/correct-child/",
        staff_views.request_correct_child,
        name="request_correct_child",
    ),
    path(
        "requests/<code:code>/correct-entry/",
        staff_views.request_correct_entry,
        name="request_correct_entry",
    ),
]
