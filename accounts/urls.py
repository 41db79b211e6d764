from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("details/", views.contact_details, name="contact_details"),
    path("language/", views.language, name="language"),
]
