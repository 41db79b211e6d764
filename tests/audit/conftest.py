from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AccessEvent
from consent import projection
from consent.models import Purpose
from diary.models import DiaryDay, DiaryEntry
from photos.models import Photo, PhotoTag
from photos.services import photo_batch_start, photo_upload
from tests.photos.conftest import jpeg_bytes, upload_file


@pytest.fixture
def consented(cast, decide):
    """Diary and photo consent for Daan, Eva (anna), Mila (dewi) and Finn (bram)."""
    for child in (cast.daan, cast.eva, cast.mila, cast.finn):
        decide(child, Purpose.DIARY)
        decide(child, Purpose.PHOTOS)
    return cast


@pytest.fixture
def entry(consented):
    day, _ = DiaryDay.objects.get_or_create(child=consented.daan, date=timezone.localdate())
    return DiaryEntry.objects.create(
        day=day, kind=DiaryEntry.Kind.STAFF, author=consented.sanne, text="Geheime dagtekst"
    )


@pytest.fixture
def make_photo(cast, django_capture_on_commit_callbacks):
    def _make(*children, group=None):
        group = group or children[0].group
        with django_capture_on_commit_callbacks(execute=True):
            photo = photo_upload(
                group=group,
                uploaded_by=cast.sanne,
                uploaded_file=upload_file(jpeg_bytes()),
                batch=photo_batch_start(group=group, worker=cast.sanne),
            )
        for child in children:
            PhotoTag.objects.create(photo=photo, child=child)
        projection.photos_changed([photo.pk])  # tags written directly: project them
        return Photo.objects.get(pk=photo.pk)

    return _make


@pytest.fixture
def get(client, django_capture_on_commit_callbacks):
    """``get(url)``: a GET whose on-commit callbacks (the log task) run, as after a request."""

    def _get(url, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.get(url, **kwargs)

    return _get


@pytest.fixture
def add_event(cast):
    """``add_event(user, child, kind, minutes_ago=0, role=None)``: a stored access event."""
    from audit.services import role_of

    def _add(user, child, kind, minutes_ago=0, role=None):
        at = (timezone.now() - timedelta(minutes=minutes_ago)).replace(second=0, microsecond=0)
        return AccessEvent.objects.create(
            user=user, role=role or role_of(user), child=child, kind=kind, at=at
        )

    return _add
