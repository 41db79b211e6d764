from django.urls import path

from daycare import views

app_name = "daycare"
urlpatterns = [
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
