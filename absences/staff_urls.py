from django.urls import path

from absences import staff_views

app_name = "absences_staff"
urlpatterns = [
    path("", staff_views.day_overview, name="day"),
    path("today/", staff_views.today_partial, name="today"),
    path("children/<code:code>/new/", staff_views.register, name="register"),
]
