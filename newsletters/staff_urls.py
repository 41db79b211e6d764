from django.urls import path

from newsletters import staff_views

app_name = "newsletters_staff"
urlpatterns = [
    path("", staff_views.publication_list, name="list"),
    path("new/<slug:kind>/", staff_views.publication_create, name="create"),
    path("<code:code>/edit/", staff_views.publication_edit, name="edit"),
    path("<code:code>/delete/", staff_views.publication_delete, name="delete"),
]
