import datetime

from django.conf import settings
from django.utils import timezone

from consent.models import PrivacyStatement


def publish(version: int, *, days_ago: int = 0, summary: str = "") -> PrivacyStatement:
    return PrivacyStatement.objects.create(
        version=version,
        text_nl=f"## Versie {version}\n\nTekst van versie {version}.",
        text_en=f"## Version {version}\n\nText of version {version}.",
        summary_nl=summary,
        summary_en=summary,
        published_at=timezone.now() - timezone.timedelta(days=days_ago),
    )


def in_notice_days(extra: int = 0) -> datetime.date:
    """The first day a version published today may apply (R7), plus ``extra`` days."""
    return timezone.localdate() + datetime.timedelta(days=settings.STATEMENT_NOTICE_DAYS + extra)
