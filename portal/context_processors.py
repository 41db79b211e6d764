from django.conf import settings


def portal(request):
    """Links every page shows in its footer (R8) and the staff flag for the navigation."""
    from daycare.access import is_staff_member

    user = getattr(request, "user", None)
    return {
        "PROCESSOR_PRIVACY_URL": settings.PROCESSOR_PRIVACY_URL,
        "PRIVACY_REGULATION_URL": settings.PRIVACY_REGULATION_URL,
        "CUSTOMER_SERVICE_URL": settings.CUSTOMER_SERVICE_URL,
        "CUSTOMER_SERVICE_EMAIL": settings.CUSTOMER_SERVICE_EMAIL,
        "CUSTOMER_SERVICE_PHONE": settings.CUSTOMER_SERVICE_PHONE,
        "is_staff_member": bool(user and user.is_authenticated and is_staff_member(user)),
    }
