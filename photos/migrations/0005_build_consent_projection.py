"""Fill the consent projection (issue 16) from the decisions for data that existed before it:
``CurrentConsent`` per child and purpose, ``Photo.shareable`` and the tags' copies. Until this
runs every photo reads as not shareable (fail closed)."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q, Subquery


def build(apps, schema_editor):
    ConsentDecision = apps.get_model("consent", "ConsentDecision")
    CurrentConsent = apps.get_model("consent", "CurrentConsent")
    Guardianship = apps.get_model("daycare", "Guardianship")
    Child = apps.get_model("daycare", "Child")
    Photo = apps.get_model("photos", "Photo")
    PhotoTag = apps.get_model("photos", "PhotoTag")

    guardians = set(Guardianship.objects.values_list("child_id", "user_id"))
    latest = {}
    rows = ConsentDecision.objects.order_by("pk").values_list(
        "child_id", "purpose", "decided_by_id", "given"
    )
    for child_id, purpose, user_id, given in rows.iterator(chunk_size=10000):
        latest[(child_id, purpose, user_id)] = given
    votes = {}
    for (child_id, purpose, user_id), given in latest.items():
        if (child_id, user_id) in guardians:
            votes.setdefault((child_id, purpose), []).append(given)
    states = []
    for child_id in Child.objects.values_list("pk", flat=True).iterator(chunk_size=10000):
        for purpose in ("photos", "diary"):
            found = votes.get((child_id, purpose), [])
            state = "undecided" if not found else ("refused" if False in found else "given")
            states.append(CurrentConsent(child_id=child_id, purpose=purpose, state=state))
    CurrentConsent.objects.bulk_create(states, batch_size=5000, ignore_conflicts=True)

    consent = CurrentConsent.objects.filter(
        child_id=OuterRef("child_id"), purpose="photos", state="given"
    )
    blocking = PhotoTag.objects.filter(photo_id=OuterRef("pk"), blurred=False).filter(
        Q(child__archived_at__isnull=False) | ~Exists(consent)
    )
    Photo.objects.update(shareable=~Exists(blocking))
    photo = Photo.objects.filter(pk=OuterRef("photo_id"))
    PhotoTag.objects.update(
        shareable=Subquery(photo.values("shareable")[:1]),
        taken_at=Subquery(photo.values("taken_at")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0005_current_consent_projection"),
        ("photos", "0004_projection_columns"),
    ]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
