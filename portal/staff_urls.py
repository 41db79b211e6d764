from django.urls import path

from portal import staff_views

app_name = "staff"
urlpatterns = [
    path("", staff_views.home, name="home"),
    path("groups/<code:code>/", staff_views.group_detail, name="group"),
    path("children/<code:code>/", staff_views.child_detail, name="child"),
]
