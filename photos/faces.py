"""Face detection and irreversible pixelation for the face guard (issue 18).

*Detection* only: where is a face in a photo. No face is ever matched to a person, no
descriptor or embedding is computed or stored; what is kept is a box per face, as fractions of
the photo's width and height, so that the same box fits the original and every variant.

The detector is OpenCV's Haar cascade ``haarcascade_frontalface_alt2``, whose weights come inside
the ``opencv-python-headless`` wheel (4.x) and load offline. It was measured against
scikit-image's LBP cascade on scikit-image's own face images tiled into group photos
(``bench/faces.py``, docs/performance.md): Haar alt2 found more of the small faces and was an
order of magnitude faster.

Pixelation is irreversible: the region (with a margin) is reduced to a handful of blocks, the
blocks are blown up again and blurred on top. What remains of a face is about forty averages of
colour, from which no filter brings the face back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
from PIL import Image, ImageFilter

# Detection runs on a grey copy whose longest side is this many pixels, scanned at scales 1.15
# apart: a child's face of 100 px in a 4,000 px phone photo is then ~25 px, above the cascade's
# 20 px minimum. Chosen on recall for small faces (the criterion), measured on
# scikit-image's faces tiled into group photos (tests/photos/test_faces.py, bench/faces.py):
# faces of 100 px in a 4032 px photo 0.87, 140 px 0.90, 200 px and larger 1.0, no false
# positive. Its cost (bench/photos_variants.py): about +50 % of the variants task's CPU time on
# a photo of faces, +70 % on the synthetic worst case (noise, no face). 896 px at 1.2 met the
# 50 % everywhere but found only 0.43 of the 100 px faces.
DETECT_SIDE = 1024
SCALE_STEP = 1.15
# Blocks across the longest side of a blurred region, and the margin added around a face box
# (hair, ears and chin make a child recognisable too).
BLOCKS = 6
MARGIN = 0.25


@dataclass(frozen=True)
class Box:
    """A face box as fractions (0..1) of the photo's width and height."""

    x: float
    y: float
    w: float
    h: float

    def clamped(self) -> Box:
        x, y = min(max(self.x, 0.0), 1.0), min(max(self.y, 0.0), 1.0)
        return Box(x, y, min(max(self.w, 0.0), 1.0 - x), min(max(self.h, 0.0), 1.0 - y))

    def pixels(self, width: int, height: int, margin: float = 0.0) -> tuple[int, int, int, int]:
        """Left, top, right, bottom in pixels of a ``width`` x ``height`` image, grown by
        ``margin`` of the box's size on every side and cut to the image."""
        dx, dy = self.w * margin, self.h * margin
        left = max(0, int((self.x - dx) * width))
        top = max(0, int((self.y - dy) * height))
        right = min(width, round((self.x + self.w + dx) * width))
        bottom = min(height, round((self.y + self.h + dy) * height))
        return left, top, max(right, left + 1), max(bottom, top + 1)


@cache
def _cascade() -> cv2.CascadeClassifier:
    # One thread: a Celery worker process runs one task at a time, and the web or worker
    # processes beside it keep their cores (the figures in bench/ are for one thread).
    cv2.setNumThreads(1)
    classifier = cv2.CascadeClassifier(
        cv2.data.haarcascades + "haarcascade_frontalface_alt2.xml"  # type: ignore[attr-defined]
    )
    if classifier.empty():  # pragma: no cover - a broken OpenCV install
        raise RuntimeError("OpenCV's frontal face cascade could not be loaded")
    return classifier


def detect_faces(image: Image.Image) -> list[Box]:
    """Boxes of the frontal faces in ``image`` (any size; RGB, RGBA or L)."""
    width, height = image.size
    grey = np.asarray(image.convert("L"))
    scale = min(1.0, DETECT_SIDE / max(width, height))
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    found = _cascade().detectMultiScale(
        grey, scaleFactor=SCALE_STEP, minNeighbors=3, minSize=(20, 20)
    )
    small_h, small_w = grey.shape[:2]
    boxes = [
        Box(x / small_w, y / small_h, w / small_w, h / small_h).clamped()
        for x, y, w, h in (found if len(found) else [])
    ]
    return sorted(boxes, key=lambda box: (round(box.y, 2), box.x))


def pixelate(image: Image.Image, boxes: Iterable[Box]) -> Image.Image:
    """A copy of ``image`` with every box (plus a margin) made unrecognisable for good."""
    result = image.copy()
    width, height = result.size
    for box in boxes:
        left, top, right, bottom = box.clamped().pixels(width, height, MARGIN)
        region = result.crop((left, top, right, bottom))
        side = max(right - left, bottom - top)
        block = max(1, side // BLOCKS)
        small = region.resize(
            (max(1, (right - left) // block), max(1, (bottom - top) // block)),
            Image.Resampling.BOX,
        )
        blocky = small.resize(region.size, Image.Resampling.NEAREST)
        result.paste(
            blocky.filter(ImageFilter.GaussianBlur(radius=max(1, block // 3))), (left, top)
        )
    return result
