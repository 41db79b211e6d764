"""The photo's upload time copied onto its tags (issue 16), for the "new photos" badge: filled
here for existing tags; from now on consent.projection keeps it with the other copies."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_uploaded_at(apps, schema_editor):
    Photo = apps.get_model("photos", "Photo")
    PhotoTag = apps.get_model("photos", "PhotoTag")
    photo = Photo.objects.filter(pk=OuterRef("photo_id"))
    PhotoTag.objects.update(uploaded_at=Subquery(photo.values("uploaded_at")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("photos", "0007_face_guard"),
    ]

    operations = [
        migrations.AddField(
            model_name="phototag",
            name="uploaded_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(copy_uploaded_at, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="phototag",
            index=models.Index(
                fields=["child", "shareable", "uploaded_at"], name="phototag_child_new"
            ),
        ),
    ]
