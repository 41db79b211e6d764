from django.urls import path

from consent import staff_views

app_name = "consent_staff"
urlpatterns = [
    path("groups/<code:code>/", staff_views.group, name="group"),
    path("verification/", staff_views.verification, name="verification"),
    path("children/<code:code>/history/", staff_views.history, name="history"),
    path("children/<code:code>/paper/", staff_views.paper, name="paper"),
    path("statements/", staff_views.statements, name="statements"),
    path(
        "statements/<int:version>/publish/",
        staff_views.statement_publish_view,
        name="statement_publish",
    ),
    path(
        "statements/<int:version>/withdraw/",
        staff_views.statement_withdraw_view,
        name="statement_withdraw",
    ),
]
