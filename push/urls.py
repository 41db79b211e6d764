from django.urls import path

from push import views

app_name = "push"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("timing/", views.timing, name="timing"),
    path("devices/<code:code>/", views.device, name="device"),
    path("devices/<code:code>/remove/", views.device_remove, name="device_remove"),
]
