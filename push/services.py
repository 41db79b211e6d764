"""Writes of the push app: subscriptions and settings, and the pushes themselves.

Other apps call :func:`push_announce` inside their own transaction (one line in their
service); a Celery task after commit decides who gets a push, holds it through quiet hours or
until the digest, and sends it with pywebpush. At sending time every push is checked again
(guardianship, consent, audience): a withdrawal in between means no push (fail closed).
E-mail announcements are separate and unchanged: push is an extra, e-mail the fallback.
"""

import json
import logging
from collections import defaultdict
from datetime import datetime, time, timedelta
from ipaddress import ip_address
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from accounts.models import User
from consent.models import Purpose
from consent.selectors import has_consent
from core.errors import DomainError
from daycare.access import guarded_children, is_customer_service
from daycare.models import Child, Guardianship
from messaging.models import Message
from newsletters.selectors import parent_publications
from outbox.services import enqueue
from photos.selectors import photos_of_child
from push import texts, vapid
from push.models import Kind, PendingPush, PushSettings, PushSubscription
from push.timing import release_at
from retention.models import DataRequest

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User
    from daycare.models import Child

log = logging.getLogger(__name__)

MAX_DEVICES = 20
TTL_SECONDS = 24 * 60 * 60  # a phone that is off gets it within a day, or not at all
KEEP_SENT = timedelta(days=2)
CHILD_KINDS = {Kind.DIARY, Kind.PHOTOS, Kind.MESSAGES}
DEFAULT_QUIET = (time(21, 0), time(7, 0))


# --- subscriptions and settings (the parent's page) -------------------------------------------


def _check_endpoint(endpoint: str) -> None:
    """The server posts to this URL: only HTTPS push services on the allow-list (no SSRF).
    Plain HTTP only for a loopback host that is on the list (the tests' local endpoint)."""
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    allowed = any(
        host == entry or host.endswith("." + entry) for entry in settings.PUSH_SERVICE_HOSTS
    )
    try:
        loopback = ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not allowed or not (parts.scheme == "https" or (parts.scheme == "http" and loopback)):
        raise DomainError(_("This browser's push service is not supported."))


def _check_key(value: str, size: int) -> str:
    value = (value or "").strip()
    try:
        ok = len(vapid.b64url_decode(value)) == size
    except ValueError:
        ok = False
    if not ok:
        raise DomainError(_("The browser sent an incomplete subscription. Try again."))
    return value


def subscription_save(
    *, user: "User", endpoint: str, p256dh: str, auth: str, kinds: list[str], device: str = ""
) -> PushSubscription:
    """Store this browser's subscription for ``user`` with the kinds chosen. A browser that was
    subscribed for someone else (a shared tablet) now belongs to ``user`` only."""
    if not vapid.configured():
        raise DomainError(_("Push notifications are not available on this portal."))
    endpoint = (endpoint or "").strip()
    if not endpoint or len(endpoint) > 1000:
        raise DomainError(_("The browser sent an incomplete subscription. Try again."))
    _check_endpoint(endpoint)
    p256dh = _check_key(p256dh, 65)
    auth = _check_key(auth, 16)
    if not kinds or set(kinds) - set(Kind.values):
        raise DomainError(_("Choose at least one kind of notification."))
    with transaction.atomic():
        existing = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
        if existing is None and user.push_subscriptions.count() >= MAX_DEVICES:
            raise DomainError(
                _("At most %(n)d devices can receive notifications. Remove one first.")
                % {"n": MAX_DEVICES}
            )
        subscription = existing or PushSubscription(endpoint=endpoint)
        subscription.user = user
        subscription.p256dh, subscription.auth = p256dh, auth
        subscription.device = device[:60]
        for kind in Kind.values:
            setattr(subscription, kind, kind in kinds)
        subscription.save()
    return subscription


def subscription_set_kinds(*, subscription: PushSubscription, kinds: list[str]) -> None:
    if set(kinds) - set(Kind.values):
        raise DomainError(_("Unknown kind of notification."))
    for kind in Kind.values:
        setattr(subscription, kind, kind in kinds)
    subscription.save(update_fields=Kind.values)


def subscription_delete(*, subscription: PushSubscription) -> None:
    subscription.delete()


def settings_save(
    *, user: "User", mode: str, quiet_start: time, quiet_end: time, digest_at: time
) -> PushSettings:
    if mode not in PushSettings.Mode.values:
        raise DomainError(_("Choose when you want your notifications."))
    found, _created = PushSettings.objects.update_or_create(
        user=user,
        defaults={
            "mode": mode,
            "quiet_start": quiet_start,
            "quiet_end": quiet_end,
            "digest_at": digest_at,
        },
    )
    return found


# --- the hook for other apps ------------------------------------------------------------------


def push_announce(
    *,
    kind: str,
    key: str,
    child_ids: "Iterable[int]" = (),
    user_ids: "Iterable[int] | None" = None,
    ref: str = "",
    exclude_user_id: int | None = None,
) -> None:
    """Something new of ``kind`` happened. Call inside the writing transaction; nothing is sent
    unless it commits. ``child_ids``: the guardians of these children are told (diary,
    photos, messages), each about their own child. Otherwise ``user_ids`` (None: everyone
    with a subscription for the kind, their audience checked one by one). ``key`` makes it
    once only (one push per upload batch and child, per diary day and child, per message)."""
    # Here, not at the top: push.tasks imports this module (an import cycle).
    from push.tasks import push_event_task

    enqueue(
        push_event_task,
        kind,
        key,
        list(child_ids),
        None if user_ids is None else list(user_ids),
        ref,
        exclude_user_id,
    )


# --- deciding and sending ---------------------------------------------------------------------


def _allowed(*, user: "User", kind: str, child: "Child | None", ref: str) -> bool:
    """May ``user`` be told this now? Checked when the push is queued and again when it goes
    out (R5, R9, R12, R13, R20): fail closed."""
    if not user.is_active:
        return False
    if kind in CHILD_KINDS:
        if child is None or not guarded_children(user).filter(pk=child.pk).exists():
            return False
        if kind == Kind.PHOTOS:
            return photos_of_child(user, child).filter(batch=ref).exists()
        if kind == Kind.DIARY:
            return has_consent(child, Purpose.DIARY)

        return Message.objects.filter(
            pk=ref or 0, conversation__child=child, retracted_at__isnull=True
        ).exists()
    if kind == Kind.NEWS:
        return ref.isdigit() and parent_publications(user).filter(pk=int(ref)).exists()
    if kind == Kind.REQUESTS:
        if ref == "staff":
            return is_customer_service(user)

        return ref.isdigit() and DataRequest.objects.filter(pk=ref, requested_by=user).exists()
    return False


def _settings_of(user_ids: "Iterable[int]") -> dict[int, PushSettings]:
    return {s.user_id: s for s in PushSettings.objects.filter(user_id__in=user_ids)}


def _due_at(found: PushSettings | None, now: datetime) -> datetime:
    if found is None:
        return release_at(now, quiet_start=DEFAULT_QUIET[0], quiet_end=DEFAULT_QUIET[1])
    return release_at(
        now,
        quiet_start=found.quiet_start,
        quiet_end=found.quiet_end,
        digest_at=found.digest_at if found.mode == PushSettings.Mode.DIGEST else None,
    )


def push_event(
    *,
    kind: str,
    key: str,
    child_ids: list[int],
    user_ids: list[int] | None,
    ref: str = "",
    exclude_user_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Queue the pushes for one event (the task after :func:`push_announce`), then send those
    already due. Only people with a device that wants this kind are considered."""

    now = now or timezone.now()
    wanting = PushSubscription.objects.filter(**{kind: True}).values("user_id")
    pairs: list[tuple[int, int | None]] = []
    if child_ids:
        pairs = list(
            Guardianship.objects.filter(child_id__in=child_ids, user_id__in=wanting)
            .exclude(user_id=exclude_user_id)  # type: ignore[misc]  # None: IS NULL, nobody
            .values_list("user_id", "child_id")
            .distinct()
        )
    elif kind not in CHILD_KINDS:
        users = User.objects.filter(pk__in=wanting)
        if user_ids is not None:
            users = users.filter(pk__in=user_ids)
        pairs = [(pk, None) for pk in users.values_list("pk", flat=True)]
    if not pairs:
        return 0
    people = User.objects.in_bulk({user_id for user_id, _c in pairs})
    children = Child.objects.in_bulk({child_id for _u, child_id in pairs if child_id})
    timing = _settings_of(people)
    rows = []
    for user_id, child_id in pairs:
        child = children.get(child_id)
        if not _allowed(user=people[user_id], kind=kind, child=child, ref=ref):
            continue
        rows.append(
            PendingPush(
                user_id=user_id,
                kind=kind,
                child=child,
                key=f"{key}:{child_id or ''}"[:120],
                ref=ref,
                due_at=_due_at(timing.get(user_id), now),
            )
        )
    PendingPush.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        pushes_send_due(now=now, user_ids=[row.user_id for row in rows])
    return len(rows)


def _claim(now: datetime, user_ids: "Iterable[int] | None") -> list[PendingPush]:
    with transaction.atomic():
        due = PendingPush.objects.select_for_update(skip_locked=True).filter(
            sent_at__isnull=True, due_at__lte=now
        )
        if user_ids is not None:
            due = due.filter(user_id__in=user_ids)
        rows = list(due.order_by("due_at", "pk")[:1000])
        PendingPush.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=now)
    return rows


def pushes_send_due(*, now: datetime | None = None, user_ids: "Iterable[int] | None" = None) -> int:
    """Send what is due: one push per person and device, several items in one when they were
    held. Each item is checked again first. Returns the number of pushes delivered."""

    now = now or timezone.now()
    rows = _claim(now, user_ids)
    if not rows:
        return 0
    if not vapid.configured():
        log.warning("push: %s pushes due but VAPID keys are not set", len(rows))
        return 0
    people = User.objects.in_bulk({row.user_id for row in rows})
    children = Child.objects.in_bulk({row.child_id for row in rows if row.child_id})
    by_user = defaultdict(list)
    for row in rows:
        child = children.get(row.child_id)
        if _allowed(user=people[row.user_id], kind=row.kind, child=child, ref=row.ref):
            by_user[row.user_id].append((row.kind, child.first_name if child else "", row.ref))
    delivered = 0
    for user_id, items in by_user.items():
        for subscription in PushSubscription.objects.filter(user_id=user_id):
            wanted = [
                (kind, name, ref == "staff")
                for kind, name, ref in items
                if subscription.wants(kind)
            ]
            if wanted and _deliver(subscription, texts.payload(people[user_id], wanted), now):
                delivered += 1
    return delivered


def _deliver(subscription: PushSubscription, data: dict[str, Any], now: datetime) -> bool:
    """One push through the browser's push service (encrypted, RFC 8291), VAPID-signed."""
    try:
        _check_endpoint(subscription.endpoint)
    except DomainError:
        log.warning("push: subscription %s points outside the allowed hosts", subscription.pk)
        return False
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(data),
            vapid_private_key=Vapid.from_string(settings.VAPID_PRIVATE_KEY),
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=TTL_SECONDS,
            timeout=10,
            headers={"Urgency": "normal"},
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in (404, 410):  # the push service forgot it: the browser unsubscribed
            PushSubscription.objects.filter(pk=subscription.pk).delete()
        else:
            log.warning("push: subscription %s refused with %s", subscription.pk, status)
        return False
    except requests.RequestException as error:
        log.warning("push: subscription %s unreachable: %s", subscription.pk, type(error).__name__)
        return False
    PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=now)
    return True


def pushes_forget_sent(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    deleted, _n = PendingPush.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    return deleted
