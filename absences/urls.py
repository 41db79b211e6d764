from django.urls import path

from absences import views

app_name = "absences"
urlpatterns = [
    path("", views.absence_list, name="list"),
    path("children/<code:code>/new/", views.absence_report, name="report"),
    path("<code:code>/withdraw/", views.absence_withdraw, name="withdraw"),
]
