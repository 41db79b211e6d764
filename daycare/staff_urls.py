from django.urls import path

from daycare import staff_views

app_name = "daycare_staff"
urlpatterns = [
    path("", staff_views.home, name="home"),
    path("groups/<code:code>/", staff_views.group_detail, name="group"),
    path("children/<code:code>/", staff_views.child_detail, name="child"),
]
