"""The parent's navigation: the tab bar on a phone, the top navigation on a wider screen.

Four places (Vandaag, Foto's, Berichten, Meer), the parent's children for the avatar row, and two
badges: unread messages and new photos. All of it comes from one query over the parent's own
children (``guarded_children``), each annotated with its unread messages and its photos uploaded
since this device last opened the gallery, and with when its care ended (the retention
banner), so that every parent page pays one query for its navigation and banner, as it did for
the message badge alone before.

"New photos" are counted per browser session: the gallery stores the moment it was opened
(``photos.seen.mark_photos_seen``); before that, photos uploaded today count as new.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from daycare.access import guarded_children, is_staff_member
from daycare.models import CareContract
from messaging.selectors import unread_messages_of_child
from photos.models import PhotoTag
from photos.seen import photos_seen_since

SESSION_CHILD = "portal_child"
AVATAR_COLOURS = 6


def _count(queryset):
    """A scalar subquery counting the rows of ``queryset`` (no GROUP BY, one row)."""
    counted = queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def avatar_colour(code: str) -> int:
    """A stable colour (0-5) for a child's avatar, from its random code: no personal data."""
    return sum(map(ord, code)) % AVATAR_COLOURS


def remember_child(request, child) -> None:
    if request.session.get(SESSION_CHILD) != child.code:
        request.session[SESSION_CHILD] = child.code


@dataclass
class ParentNav:
    children: list = field(default_factory=list)
    current: object = None
    unread_messages: int = 0
    new_photos: int = 0


def parent_nav(request) -> ParentNav | None:
    """The parent's children and badges (None for visitors): one query, once a request (the
    Vandaag page takes its child from it too). Staff who are parents get it on Vandaag, but
    their pages show the staff navigation (``tabs_for``)."""
    if not hasattr(request, "_parent_nav"):
        request._parent_nav = _parent_nav(request)
    return request._parent_nav


def _parent_nav(request) -> ParentNav | None:
    user = request.user
    if not user.is_authenticated:
        return None
    # The child's photos the parent may see (its shareable, unblurred tags: the gallery's own
    # rule) uploaded since the last visit: one range over the tag index (child, shareable,
    # uploaded_at).
    new_photos = PhotoTag.objects.filter(
        child_id=OuterRef("pk"),
        shareable=True,
        blurred=False,
        uploaded_at__gt=photos_seen_since(request),
    )
    contracts = CareContract.objects.filter(child_id=OuterRef("pk"))
    children = list(
        guarded_children(user)
        .select_related("group__location")
        .annotate(
            unread=_count(unread_messages_of_child(user)),
            new_photos=_count(new_photos),
            # For the retention banner (retention.panels): when care ended, in this query too.
            last_contract_end=Subquery(
                contracts.order_by(F("end_date").desc(nulls_last=True)).values("end_date")[:1]
            ),
            has_running_contract=Exists(
                contracts.filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
            ),
        )
        .order_by("first_name", "pk")
    )
    for child in children:
        child.avatar_colour = avatar_colour(child.code)  # type: ignore[attr-defined]  # for the template
    wanted = request.session.get(SESSION_CHILD)
    current = next((c for c in children if c.code == wanted), children[0] if children else None)
    return ParentNav(
        children=children,
        current=current,
        unread_messages=sum(c.unread for c in children),
        new_photos=sum(c.new_photos for c in children),
    )


def tabs_for(request) -> ParentNav | None:
    """The tab bar of a page: parents only (staff keep their own navigation)."""
    if not request.user.is_authenticated or is_staff_member(request.user):
        return None
    return parent_nav(request)


TAB_OF_APP = {
    "today": "today",
    "diary": "today",
    "photos": "photos",
    "messaging": "messages",
}


def active_tab(request) -> str:
    """Which tab the current page belongs to: today, photos, messages or more."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.view_name == "home":
        return "today"
    return TAB_OF_APP.get(match.app_name, "more")
