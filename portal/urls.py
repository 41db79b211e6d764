from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from core import paths
from portal import health, pwa, security, views
from portal.today_views import home

# The admin's own login view, wrapped in place (a bound method the stubs call read-only).
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Ouderportaal"
admin.site.site_title = "Ouderportaal"

staff_patterns = [
    path("", include("portal.staff_urls")),
    path("", include("daycare.staff_urls")),
    path("locations/", include("absences.staff_location_urls")),
    path("consent/", include("consent.staff_urls")),
    path("diary/", include("diary.staff_urls")),
    path("photos/", include("photos.staff_urls")),
    path("absences/", include("absences.staff_urls")),
    path("messaging/", include("messaging.staff_urls")),
    path("newsletters/", include("newsletters.staff_urls")),
    path("retention/", include("retention.staff_urls")),
    path("audit/", include("audit.staff_urls")),
]

urlpatterns = [
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("health/live/", health.live, name="health_live"),
    path("health/ready/", health.ready, name="health_ready"),
    path("session/keepalive/", security.keepalive, name="session_keepalive"),
    path(paths.ACCOUNTS, include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path(paths.STAFF, include(staff_patterns)),
    path(paths.ADMIN, admin.site.urls),
    path("", home, name="home"),
    path("today/", include("portal.today_urls")),
    path("more/", views.more, name="more"),
    path("children/<code:code>/", views.child_detail, name="child"),
    path("", include("daycare.urls")),
    path("locations/", include("absences.location_urls")),
    path("consent/", include("consent.urls")),
    path("diary/", include("diary.urls")),
    path("photos/", include("photos.urls")),
    path("absences/", include("absences.urls")),
    path("messaging/", include("messaging.urls")),
    path("newsletters/", include("newsletters.urls")),
    path("retention/", include("retention.urls")),
    path("audit/", include("audit.urls")),
    path("push/", include("push.urls")),
]
