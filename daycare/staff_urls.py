from django.urls import path

from daycare import staff_views

app_name = "daycare_staff"
urlpatterns = [
    path(
        "children/<code:code>/guardians/<code:guardianship_code>/remove/",
        staff_views.guardian_remove,
        name="guardian_remove",
    ),
    path("guardian-requests/", staff_views.guardian_requests, name="guardian_requests"),
    path(
        "guardian-requests/<code:code>/",
        staff_views.guardian_request_detail,
        name="guardian_request",
    ),
    path(
        "guardian-requests/<code:code>/approve/",
        staff_views.guardian_request_decide,
        {"decision": "approve"},
        name="guardian_request_approve",
    ),
    path(
        "guardian-requests/<code:code>/refuse/",
        staff_views.guardian_request_decide,
        {"decision": "refuse"},
        name="guardian_request_refuse",
    ),
    path(
        "guardian-requests/<code:code>/withdraw/",
        staff_views.guardian_request_withdraw,
        name="guardian_request_withdraw",
    ),
]
