"""What the news app holds about a person, for their own access export (R21).

News is not child data (newsletters/models.py): nothing here is destroyed with a child. About a
person it holds their choice of announcement e-mails, which items they opened, and, for staff,
the items they wrote.
"""

from newsletters.models import EmailPreference, Publication, ReadMark


def export_person(*, person, children) -> dict:
    preference = EmailPreference.objects.filter(user=person).first()
    reads = (
        ReadMark.objects.filter(user=person).select_related("publication").order_by("read_at", "pk")
    )
    written = Publication.objects.filter(created_by=person).order_by("created_at", "pk")
    return {
        # Without a row of its own both e-mails are on (newsletters/models.py).
        "news_emails": {
            "news": preference is None or preference.news,
            "newsletters": preference is None or preference.newsletters,
        },
        "news_read": [{"title": mark.publication.title, "read_at": mark.read_at} for mark in reads],
        "news_written": [
            {
                "title": item.title,
                "kind": item.kind,
                "kind_label": str(item.get_kind_display()),
                "published_at": item.published_at,
                "written_at": item.created_at,
                "changed_at": item.updated_at,
            }
            for item in written
        ],
    }


def erase_accounts(user_ids: list[int]) -> None:
    """An erased guardian's choice of news e-mails and the items they opened go with the account
    (R18). News items stay: they are about a location, written by staff."""
    EmailPreference.objects.filter(user_id__in=user_ids).delete()
    ReadMark.objects.filter(user_id__in=user_ids).delete()
