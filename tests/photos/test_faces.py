"""The face guard's detector and pixelation on real faces from scikit-image (issue 18)."""

import numpy as np
import pytest
from PIL import Image

from photos.faces import MARGIN, Box, detect_faces, pixelate
from tests.photos.boxes import overlaps
from tests.photos.group_photos import found, group_photo

# 2 to 8 faces per 4032 x 3024 phone photo, faces from 100 px (a toddler across the room) to
# 600 px, made at the 1600 x 1200 display size the variants task hands to the detector.
SCALE = 1600 / 4032
CASES = [
    (2 + n % 7, round(side * SCALE), n) for n, side in enumerate([100, 140, 200, 300, 450, 600] * 2)
]


def sharpness(image: Image.Image, box: Box) -> float:
    """Variance of the grey image's Laplacian inside ``box``: how much detail is left."""
    grey = np.asarray(image.convert("L"), dtype=np.float64)
    left, top, right, bottom = box.pixels(*image.size)
    region = grey[top:bottom, left:right]
    lap = (
        -4 * region[1:-1, 1:-1]
        + region[:-2, 1:-1]
        + region[2:, 1:-1]
        + region[1:-1, :-2]
        + region[1:-1, 2:]
    )
    return float(lap.var())


def test_it_finds_nine_in_ten_faces_and_most_small_ones_in_group_photos():
    hits, total, small_hits, small_total, false = 0, 0, 0, 0, 0
    for faces, side, seed in CASES:
        image, boxes = group_photo(faces, side, size=(1600, 1200), seed=seed)
        detected = detect_faces(image)
        found_here = sum(found(box, detected) for box in boxes)
        hits, total = hits + found_here, total + len(boxes)
        if side < round(200 * SCALE):  # under 200 px in the phone photo
            small_hits, small_total = small_hits + found_here, small_total + len(boxes)
        false += sum(1 for box in detected if not found(box, boxes))
    # Measured: 0.95 of all faces, 0.87 of those under 200 px, no false positive.
    assert hits / total >= 0.9, f"recall {hits}/{total}"
    assert small_hits / small_total >= 0.8, f"small faces {small_hits}/{small_total}"
    assert false <= 1


def test_it_keeps_boxes_as_fractions_that_fit_any_variant():
    image, boxes = group_photo(3, 400, seed=1)  # a full-size phone photo
    for size in [(4032, 3024), (1600, 1200), (400, 300)]:
        detected = detect_faces(image.resize(size))
        assert all(0 <= b.x <= 1 and 0 <= b.y <= 1 and b.x + b.w <= 1 for b in detected)
        assert all(found(box, detected) for box in boxes), size


def test_it_finds_nothing_in_a_photo_without_faces():
    image = Image.effect_noise((1600, 1200), 40).convert("RGB")
    assert detect_faces(image) == []


@pytest.mark.parametrize("side", [60, 300])
def test_it_pixelates_a_face_beyond_recognition_and_leaves_the_rest(side):
    image, boxes = group_photo(2, side, size=(1600, 1200), seed=7)
    blurred = pixelate(image, [boxes[0]])
    # Inside the box next to no detail is left (blocks, then blur).
    assert sharpness(blurred, boxes[0]) < 0.05 * sharpness(image, boxes[0])
    # The detector no longer finds a face there; outside the box and its margin nothing changed.
    assert not found(boxes[0], detect_faces(blurred))
    left, top, right, bottom = boxes[0].pixels(*image.size, margin=MARGIN)
    before, after = np.asarray(image).copy(), np.asarray(blurred).copy()
    before[top:bottom, left:right] = after[top:bottom, left:right] = 0
    assert np.array_equal(before, after)
    others = [box for box in detect_faces(image) if not overlaps(box, boxes[0])]
    assert all(found(box, detect_faces(blurred)) for box in others)


def test_it_tells_when_two_boxes_cover_the_same_face():
    assert overlaps(Box(0.1, 0.1, 0.2, 0.2), Box(0.15, 0.12, 0.2, 0.2))
    assert not overlaps(Box(0.1, 0.1, 0.1, 0.1), Box(0.5, 0.5, 0.1, 0.1))
    assert not overlaps(Box(0.1, 0.1, 0.0, 0.0), Box(0.1, 0.1, 0.0, 0.0))
