from django.urls import path

from absences import location_views

app_name = "locations"
urlpatterns = [
    path("", location_views.location_list, name="list"),
    path("<code:code>/", location_views.location_detail, name="detail"),
]
