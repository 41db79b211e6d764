from django.urls import path

from consent import staff_views

app_name = "consent_staff"
urlpatterns = [
    path("groups/<code:code>/", staff_views.group, name="group"),
    path("children/<code:code>/history/", staff_views.history, name="history"),
    path("children/<code:code>/paper/", staff_views.paper, name="paper"),
]
