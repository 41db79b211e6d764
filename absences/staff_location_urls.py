from django.urls import path

from absences import staff_location_views as views

app_name = "locations_staff"
urlpatterns = [
    path("", views.location_list, name="list"),
    path("<code:code>/", views.location_edit, name="edit"),
    path("<code:code>/closures/", views.closure_add, name="closure_add"),
    path(
        "<code:code>/closures/<code:closure_code>/delete/",
        views.closure_delete,
        name="closure_delete",
    ),
]
