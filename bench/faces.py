"""The face guard's detector against scikit-image's LBP cascade (issue 18).

Run:  .venv/bin/python bench/faces.py [--photos 21]

Both detectors see the same group photos (tests/photos/group_photos.py: scikit-image's own
faces, 2 to 8 per 4032 x 3024 photo, faces of 100 to 600 px) at the same 1024 px working size.
Reported per detector: recall (faces found / faces there), recall on small faces (under
200 px in the photo), false positives, and CPU milliseconds per photo (process time, so the
figure holds on a busy machine too), beside the variants task's own CPU time for the photo.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from skimage import data as skdata  # noqa: E402
from skimage.feature import Cascade  # noqa: E402

from photos import faces  # noqa: E402
from photos.services import render_variants  # noqa: E402
from tests.photos.group_photos import found, group_photo  # noqa: E402

SIZES = [100, 130, 170, 220, 300, 420, 600]


def lbp_detector():
    cascade = Cascade(skdata.lbp_frontal_face_cascade_filename())

    def detect(image):
        width, height = image.size
        scale = faces.DETECT_SIDE / max(width, height)
        small = image.convert("L").resize((round(width * scale), round(height * scale)))
        grey = np.asarray(small, dtype=np.float64) / 255
        found_ = cascade.detect_multi_scale(
            img=grey, scale_factor=1.2, step_ratio=1, min_size=(20, 20), max_size=(400, 400)
        )
        w, h = small.size
        return [faces.Box(f["c"] / w, f["r"] / h, f["width"] / w, f["height"] / h) for f in found_]

    return detect


def measure(name, detect, photos, variants_ms):
    hits = total = small_hits = small_total = false = 0
    cpu = 0.0
    for image, boxes, side in photos:
        start = time.process_time()
        detected = detect(image)
        cpu += time.process_time() - start
        for box in boxes:
            hit = found(box, detected)
            hits, total = hits + hit, total + 1
            if side < 200:
                small_hits, small_total = small_hits + hit, small_total + 1
        false += sum(1 for box in detected if not found(box, boxes))
    ms = cpu / len(photos) * 1000
    print(
        f"{name:28} recall {hits / total:.2f} ({hits}/{total}), small faces "
        f"{small_hits / small_total:.2f}, false positives {false}, "
        f"{ms:.0f} ms CPU per photo ({ms / variants_ms:.0%} of the variants task)"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=21)
    args = parser.parse_args()
    photos = []
    for n in range(args.photos):
        side = SIZES[n % len(SIZES)]
        image, boxes = group_photo(2 + n % 7, side, seed=500 + n)
        photos.append((image, boxes, side))
    buffer = io.BytesIO()
    photos[0][0].save(buffer, "JPEG", quality=90)
    original = buffer.getvalue()
    runs = []
    for _ in range(5):
        start = time.process_time()
        render_variants(original, "image/jpeg")
        runs.append(time.process_time() - start)
    variants_ms = min(runs) * 1000
    print(f"variants task without the guard: {variants_ms:.0f} ms CPU for a 12 MP photo")
    # Both detectors get the display-sized image the variants task already holds.
    display = [(image.resize((1600, 1200)), boxes, side) for image, boxes, side in photos]
    measure("OpenCV Haar alt2 (chosen)", faces.detect_faces, display, variants_ms)
    measure("scikit-image LBP", lbp_detector(), display, variants_ms)


if __name__ == "__main__":
    main()
