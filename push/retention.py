"""The push app's part of a person's own access export (retention/contract.py, R21).

The devices that receive notifications (name, what they receive, dates) and the timing
settings. Never the endpoint or its keys: they are the device's address, not the person's
data to read, and would let anyone holding the ZIP send pushes. Push holds no child data.
"""

from push.models import Kind, PendingPush, PushSettings, PushSubscription


def export_person(*, person, children) -> dict:
    labels = dict(Kind.choices)
    subscriptions = PushSubscription.objects.filter(user=person).order_by("created_at", "pk")
    settings = PushSettings.objects.filter(user=person).first()
    return {
        "push_subscriptions": [
            {
                "device": row.device,
                "kinds": row.kinds(),
                "kind_labels": [str(labels[kind]) for kind in row.kinds()],
                "added_at": row.created_at,
                "last_delivered_at": row.last_success_at,
            }
            for row in subscriptions
        ],
        "push_settings": None
        if settings is None
        else {
            "mode": settings.mode,
            "mode_label": str(settings.get_mode_display()),
            "quiet_start": settings.quiet_start,
            "quiet_end": settings.quiet_end,
            "digest_at": settings.digest_at,
        },
    }


def erase_accounts(user_ids: list[int]) -> None:
    """An erased guardian's devices, timing settings and pushes still to be sent go with the
    account (R18): nothing reaches a phone of an account that no longer exists."""
    PendingPush.objects.filter(user_id__in=user_ids).delete()
    PushSubscription.objects.filter(user_id__in=user_ids).delete()
    PushSettings.objects.filter(user_id__in=user_ids).delete()
