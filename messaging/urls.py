from django.urls import path

from messaging import views

app_name = "messaging"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.start, name="start"),
    path("settings/", views.preferences, name="settings"),
    path("c/<code:code>/", views.conversation, name="conversation"),
    path("c/<code:code>/m/<code:message_code>/retract/", views.retract, name="retract"),
    path("attachments/<code:code>/", views.attachment, name="attachment"),
]
