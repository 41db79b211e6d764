from django.urls import path

from daycare import views

app_name = "daycare"
urlpatterns = [
    path("children/<code:code>/", views.child_detail, name="child"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
