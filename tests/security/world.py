"""One object of every kind for the security tests, built on the named cast.

Anna's children (Daan, Eva) and dewi's Mila have consent for photos and diary; bram's Finn has
photo consent only. ``withdraw(world)`` makes chris (Daan's second guardian) withdraw photo and
diary consent for Daan: the "anna after withdrawing consent" column.
"""

import io
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from absences.models import Absence, LocationClosure
from consent import projection
from consent.models import Purpose
from daycare.models import GuardianInvitation, Guardianship, GuardianshipRequest
from diary.models import DiaryDay, DiaryEntry
from files.keys import new_key
from messaging.models import Attachment as MessageAttachment
from messaging.models import Conversation, Message, Side
from newsletters.demo import tiny_pdf
from newsletters.models import Attachment as NewsAttachment
from newsletters.models import Publication
from photos.models import Photo, PhotoTag
from photos.services import photo_batch_start, photo_upload

USERS = ("anonymous", "anna", "bram", "dewi", "sanne", "tom", "lotte", "service", "admin")
COLUMNS = (*USERS, "anna_withdrawn")


def jpeg_bytes(size=(64, 48), colour="#43aa8b") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=80)
    return out.getvalue()


def png_bytes(size=(20, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "PNG")
    return out.getvalue()


def _store(app: str, ext: str, data: bytes) -> str:
    return default_storage.save(new_key(app, ext), ContentFile(data))


@dataclass
class World:
    cast: object
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        objects = self.__dict__.get("objects", {})
        if name in objects:
            return objects[name]
        return getattr(self.__dict__["cast"], name)


def build_world(cast, decide, capture) -> World:
    """``capture`` is pytest-django's ``django_capture_on_commit_callbacks``."""
    for child in (cast.daan, cast.eva, cast.mila):
        decide(child, Purpose.PHOTOS)
        decide(child, Purpose.DIARY)
    decide(cast.finn, Purpose.PHOTOS)
    now = timezone.now()
    today = timezone.localdate()
    o = {}

    # Diary: a staff entry and a parent note for Daan, a staff entry for Finn (group B).
    day, _ = DiaryDay.objects.get_or_create(child=cast.daan, date=today)
    o["entry"] = DiaryEntry.objects.create(
        day=day, kind=DiaryEntry.Kind.STAFF, author=cast.sanne, text="Daan heeft gespeeld."
    )
    o["note"] = DiaryEntry.objects.create(
        day=day, kind=DiaryEntry.Kind.PARENT, author=cast.anna, text="Daan sliep slecht."
    )
    finn_day, _ = DiaryDay.objects.get_or_create(child=cast.finn, date=today)
    o["finn_entry"] = DiaryEntry.objects.create(
        day=finn_day, kind=DiaryEntry.Kind.STAFF, author=cast.tom, text="Finn at goed."
    )
    o["finn_note"] = DiaryEntry.objects.create(
        day=finn_day, kind=DiaryEntry.Kind.PARENT, author=cast.bram, text="Finn is moe."
    )

    # Photos: Daan + Mila in group A, Finn in group B.
    def photo(group, worker, *children):
        with capture(execute=True):
            made = photo_upload(
                group=group,
                uploaded_by=worker,
                uploaded_file=SimpleUploadedFile("p.jpg", jpeg_bytes(), "image/jpeg"),
                batch=photo_batch_start(group=group, worker=worker),
            )
        for child in children:
            PhotoTag.objects.create(photo=made, child=child)
        projection.photos_changed([made.pk])  # tags written directly: project them
        return Photo.objects.get(pk=made.pk)

    o["photo"] = photo(cast.group_a, cast.sanne, cast.daan, cast.mila)
    o["finn_photo"] = photo(cast.group_b, cast.tom, cast.finn)

    # Messaging: anna about Daan with an attachment; bram about Finn.
    def conversation(child, parent, subject, body):
        conv = Conversation.objects.create(
            child=child, subject=subject, started_by=parent, last_message_at=now
        )
        message = Message.objects.create(
            conversation=conv, author=parent, side=Side.PARENT, body=body, created_at=now
        )
        data = png_bytes()
        attachment = MessageAttachment.objects.create(
            message=message,
            storage_key=_store("messaging", "png", data),
            content_type="image/png",
            filename="bijlage.png",
            size=len(data),
        )
        return conv, message, attachment

    o["conversation"], o["message"], o["attachment"] = conversation(
        cast.daan, cast.anna, "Vraag over Daan", "Hallo Sanne"
    )
    o["finn_conversation"], o["finn_message"], o["finn_attachment"] = conversation(
        cast.finn, cast.bram, "Vraag over Finn", "Hallo Tom"
    )

    # News for location 1 with image, PDF and an attachment; one for location 2.
    def news(title, location, kind=Publication.Kind.NEWS):
        item = Publication.objects.create(
            title=title,
            kind=kind,
            body="<p>Tekst</p>",
            published_at=now - timedelta(hours=1),
            announced_at=now,
            created_by=cast.lotte,
        )
        item.locations.set([location])
        if kind == Publication.Kind.NEWS:
            item.image_key = _store("newsletters", "png", png_bytes())
        else:
            item.pdf_key = _store("newsletters", "pdf", tiny_pdf("Nieuwsbrief"))
            item.pdf_name = "nieuwsbrief.pdf"
        item.save()
        pdf = tiny_pdf("Bijlage")
        attachment = NewsAttachment.objects.create(
            publication=item,
            key=_store("newsletters", "pdf", pdf),
            filename="bijlage.pdf",
            content_type="application/pdf",
            size=len(pdf),
        )
        return item, attachment

    o["news"], o["news_attachment"] = news("Zomerfeest", cast.loc1)
    o["newsletter"], _ = news("Nieuwsbrief juni", cast.loc1, Publication.Kind.NEWSLETTER)
    o["loc2_news"], o["loc2_news_attachment"] = news("Moestuin", cast.loc2)

    # Absences (next week's Wednesday and Thursday, so never on a Monday that a test reports,
    # whatever weekday the suite runs on) and a closure.
    holiday = today - timedelta(days=today.weekday()) + timedelta(days=9)
    o["absence"] = Absence.objects.create(
        child=cast.daan,
        start_date=holiday,
        end_date=holiday + timedelta(days=1),
        reason=Absence.Reason.HOLIDAY,
        note="Vakantie",
        reported_by=cast.anna,
    )
    o["finn_absence"] = Absence.objects.create(
        child=cast.finn,
        start_date=holiday,
        end_date=holiday + timedelta(days=1),
        reason=Absence.Reason.HOLIDAY,
        reported_by=cast.bram,
    )
    o["closure"] = LocationClosure.objects.create(
        location=cast.loc1,
        start_date=today + timedelta(days=30),
        end_date=today + timedelta(days=30),
        reason="Studiedag",
    )
    o["invitation"] = GuardianInvitation.objects.create(
        token=secrets.token_urlsafe(32),
        email="opa@example.org",
        child=cast.daan,
        invited_by=cast.anna,
    )
    o["guardian_request"] = GuardianshipRequest.objects.create(
        child=cast.daan, email="oma@example.org", relation="caregiver", requested_by=cast.sanne
    )
    o["chris_of_daan"] = Guardianship.objects.get(user=cast.chris, child=cast.daan)
    cast.noor.archived_at = now
    cast.noor.save(update_fields=["archived_at"])
    o.update(_retention_objects(cast))
    from push.models import PushSubscription

    o["push_device"] = PushSubscription.objects.create(
        user=cast.anna, endpoint="https://fcm.googleapis.com/fcm/send/w", p256dh="k", auth="a"
    )
    return World(cast=cast, objects=o)


def _retention_objects(cast) -> dict:
    """An export of Daan for anna, an export of Finn for bram, and anna's data request."""
    from retention.models import DataRequest, Export

    objects = {}
    for name, child, parent in (
        ("export", cast.daan, cast.anna),
        ("finn_export", cast.finn, cast.bram),
    ):
        objects[name] = Export.objects.create(
            child=child,
            requested_by=parent,
            view_as=parent,
            status=Export.Status.READY,
            storage_key=_store("retention", "zip", b"PK\x05\x06" + b"\0" * 18),
            size=22,
            ready_at=timezone.now(),
        )
    objects["data_request"] = DataRequest.objects.create(
        requested_by=cast.anna,
        kind=DataRequest.Kind.values[0],
        explanation="Ik wil mijn gegevens zien.",
        deadline=timezone.localdate() + timedelta(days=30),
    )
    return objects


def withdraw(world: World, decide) -> None:
    """Chris (Daan's second guardian) withdraws photo and diary consent for Daan."""
    decide(world.daan, Purpose.PHOTOS, given=False, by=world.chris)
    decide(world.daan, Purpose.DIARY, given=False, by=world.chris)
