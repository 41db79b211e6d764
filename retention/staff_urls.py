from django.urls import path

from retention import staff_views

app_name = "retention_staff"
urlpatterns = [
    path("archive/", staff_views.archive, name="archive"),
    path("archive/<code:code>/", staff_views.archive_child, name="archive_child"),
    path("exports/<code:code>/", staff_views.download, name="download"),
    path("requests/", staff_views.requests, name="requests"),
    path("requests/<code:code>/", staff_views.request_detail, name="request"),
]
