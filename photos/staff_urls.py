from django.urls import path

from photos import staff_views

app_name = "photos_staff"
urlpatterns = [
    path("group/<code:group_code>/upload/", staff_views.upload, name="upload"),
    path("group/<code:group_code>/upload/batch/", staff_views.start_batch, name="start_batch"),
    path("group/<code:group_code>/", staff_views.tag, name="tag"),
    path("group/<code:group_code>/<code:code>/delete/", staff_views.delete, name="delete"),
    path("group/<code:group_code>/<code:code>/faces/", staff_views.faces, name="faces"),
    path("p/<code:code>/<str:size>/", staff_views.staff_photo_file, name="file"),
]
