from django.urls import path

from messaging import staff_views

app_name = "messaging_staff"
urlpatterns = [
    path("", staff_views.index, name="index"),
    path("groups/<code:code>/", staff_views.inbox, name="inbox"),
    path("groups/<code:code>/new/", staff_views.start, name="start"),
    path("c/<code:code>/", staff_views.conversation, name="conversation"),
    path("c/<code:code>/m/<code:message_code>/retract/", staff_views.retract, name="retract"),
    path("attachments/<code:code>/", staff_views.attachment, name="attachment"),
]
