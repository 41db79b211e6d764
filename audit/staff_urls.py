from django.urls import path

from audit import staff_views

app_name = "audit_staff"
urlpatterns = [
    path("", staff_views.search, name="search"),
]
