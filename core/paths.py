"""The URL prefixes that middleware must recognise before a view is resolved, in one place.

``portal/urls.py`` mounts the staff pages, Django admin and allauth under these, and the staff
guard (``daycare/guards.py``) and the consent middleware (``consent/middleware.py``) test
request paths against them: change a prefix here and all three follow.
"""

STAFF = "staff/"
ADMIN = "beheer/"
ACCOUNTS = "accounts/"

STAFF_PREFIX = f"/{STAFF}"
ADMIN_PREFIX = f"/{ADMIN}"
ACCOUNTS_PREFIX = f"/{ACCOUNTS}"
