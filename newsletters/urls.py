from django.urls import path

from newsletters import views

app_name = "newsletters"
urlpatterns = [
    path("", views.publication_list, name="list"),
    path("settings/", views.email_settings, name="settings"),
    path("<code:code>/", views.publication_detail, name="detail"),
    path("<code:code>/image/", views.publication_image, name="image"),
    path("<code:code>/pdf/", views.publication_pdf, name="pdf"),
    path(
        "<code:code>/files/<code:attachment_code>/",
        views.attachment_download,
        name="attachment",
    ),
]
