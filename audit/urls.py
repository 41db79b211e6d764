from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("children/<code:child_code>/", views.child_log, name="child"),
]
