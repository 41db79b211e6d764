"""The portal installs as an app on a phone: a manifest, icons, a service worker, an offline page.

The service worker caches only the app shell (CSS, icons, the offline page): never a page,
photo, diary entry or message. When the network is gone, a navigation shows the offline page.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import cache_control

SHELL_VERSION = "1"


@login_not_required
@cache_control(max_age=3600, public=True)
def manifest(request):
    return JsonResponse(
        {
            "id": "/",
            "name": "Ouderportaal",
            "short_name": "Ouderportaal",
            "description": _("Follow your child's day, report absences and send messages."),
            "lang": request.LANGUAGE_CODE,
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#00735c",
            "icons": [
                {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("img/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
            "shortcuts": [
                {
                    "name": pgettext("app shortcut", "Today"),
                    "url": "/",
                    "icons": [{"src": static("img/icon-192.png"), "sizes": "192x192"}],
                },
                {
                    "name": pgettext("app shortcut", "Messages"),
                    "url": "/messaging/",
                    "icons": [{"src": static("img/icon-192.png"), "sizes": "192x192"}],
                },
            ],
            "screenshots": [
                {
                    "src": static(f"img/screenshots/{name}.png"),
                    "sizes": "390x844",
                    "type": "image/png",
                    "form_factor": "narrow",
                    "label": label,
                }
                for name, label in (
                    ("home", _("Your child's day")),
                    ("photos", _("Photos of your child")),
                    ("messages", _("Messages with the group")),
                )
            ],
        },
        content_type="application/manifest+json",
    )


@login_not_required
@cache_control(max_age=0, no_cache=True)
def service_worker(request):
    response = render(
        request,
        "pwa/sw.js",
        {"version": SHELL_VERSION},
        content_type="application/javascript",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@login_not_required
def offline(request):
    return render(request, "pwa/offline.html")
