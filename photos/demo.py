"""Demo photos: colourful shapes made with Pillow (no real people), idempotent."""

import io
import random
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

from accounts.models import User
from consent import projection
from daycare.models import Child
from photos.models import Photo, PhotoBatch, PhotoTag
from photos.selectors import AMSTERDAM
from photos.services import photo_make_variants, photo_upload

DEMO_BATCH = "demoPhotos"  # + group and worker number: 16 characters
COLOURS = ["#f94144", "#f3722c", "#f8961e", "#f9c74f", "#90be6d", "#43aa8b", "#577590", "#9b5de5"]


def _picture(seed: int) -> bytes:
    rng = random.Random(seed)  # noqa: S311 - demo pictures, not secrets
    image = Image.new("RGB", (1600, 1200), rng.choice(["#fdf6e3", "#e7f5ef", "#eaf2fb"]))
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x, y = rng.randrange(0, 1500), rng.randrange(0, 1100)
        size = rng.randrange(80, 360)
        box = (x, y, x + size, y + size)
        colour = rng.choice(COLOURS)
        if rng.random() < 0.5:
            draw.ellipse(box, fill=colour)
        else:
            draw.rectangle(box, fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def seed_photos(*, today) -> None:
    if Photo.objects.filter(batch__startswith=DEMO_BATCH).exists():
        return
    finn = Child.objects.get(first_name="Finn")
    mila = Child.objects.get(first_name="Mila")
    tom = User.objects.get(email="tom@example.org")
    sanne = User.objects.get(email="sanne@example.org")
    plan = [
        (finn, tom, 1, 1),
        (finn, tom, 2, 3),
        (finn, tom, 3, 8),
        (finn, tom, 4, 35),
        (mila, sanne, 5, 2),
    ]
    # Fleur's children, from their last weeks (the retention demo destroys Lieke's files).
    lotte = User.objects.get(email="lotte@example.org")
    for seed, first_name in enumerate(("Noor", "Sem", "Lieke"), start=6):
        child = Child.objects.filter(first_name=first_name).first()
        ends = list(child.contracts.values_list("end_date", flat=True)) if child else []
        if child and ends and None not in ends:
            ago = (today - max(e for e in ends if e)).days
            plan += [(child, lotte, seed * 10, ago + 2), (child, lotte, seed * 10 + 1, ago + 9)]
    for child, worker, seed, days_ago in plan:
        upload = SimpleUploadedFile("demo.jpg", _picture(seed), content_type="image/jpeg")
        with transaction.atomic():
            photo = photo_upload(
                group=child.group,
                uploaded_by=worker,
                uploaded_file=upload,
                batch=PhotoBatch.objects.get_or_create(
                    code=f"{DEMO_BATCH}{child.group.pk:03d}{worker.pk:03d}",
                    defaults={"group": child.group, "created_by": worker},
                )[0],
            )
            taken = datetime.combine(today - timedelta(days=days_ago), time(10, 30), AMSTERDAM)
            Photo.objects.filter(pk=photo.pk).update(taken_at=taken)
            # Tags set directly: the consent rule still decides who sees the photo.
            PhotoTag.objects.get_or_create(photo=photo, child=child, defaults={"tagged_by": worker})
            projection.photos_changed([photo.pk])
        photo_make_variants(photo_id=photo.pk)
