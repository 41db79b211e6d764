from django.urls import path

from diary import views

app_name = "diary"
urlpatterns = [
    path("<code:child_code>/", views.timeline, name="timeline"),
    path("<code:child_code>/note/", views.note_add, name="note_add"),
    path("<code:child_code>/print/", views.print_view, name="print"),
    path("notes/<code:code>/edit/", views.note_edit, name="note_edit"),
    path("notes/<code:code>/remove/", views.note_remove, name="note_remove"),
]
