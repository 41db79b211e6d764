from django.urls import path

from retention import views

app_name = "retention"
urlpatterns = [
    path("", views.index, name="index"),
    path("children/<code:code>/export/", views.export_child, name="export_child"),
    path("me/export/", views.export_me, name="export_me"),
    path("exports/<code:code>/", views.download, name="download"),
    path("requests/new/", views.request_new, name="request_new"),
]
