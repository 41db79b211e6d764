from django.urls import path

from portal import today_views

app_name = "today"
urlpatterns = [
    path("<code:code>/", today_views.child, name="child"),
    path("<code:code>/days/", today_views.days, name="days"),
]
