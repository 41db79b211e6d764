from django.urls import path

from photos import views

app_name = "photos"
urlpatterns = [
    path("child/<code:child_code>/", views.gallery, name="gallery"),
    path("child/<code:child_code>/zip/", views.download_zip, name="zip"),
    path("p/<code:code>/<str:size>/", views.photo_file, name="file"),
]
