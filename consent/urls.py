from django.urls import path

from consent import views

app_name = "consent"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("statement/", views.statement, name="statement"),
    path("statement/next/", views.upcoming, name="upcoming"),
    path("choices/", views.choices, name="choices"),
    path("children/<code:child_code>/<str:purpose>/", views.change, name="change"),
]
