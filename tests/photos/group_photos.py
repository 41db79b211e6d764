"""Group photos made of real faces that ship inside scikit-image (issue 18): the astronaut's face
and the first 100 faces of ``lfw_subset`` (Labeled Faces in the Wild), pasted at phone-photo
sizes on a plain, slightly noisy background. The face guard's tests and ``bench/faces.py`` use
them; no image is downloaded."""

from functools import cache

import numpy as np
from PIL import Image
from skimage import data

from photos.faces import Box


@cache
def face_images() -> tuple[np.ndarray, ...]:
    astronaut = data.astronaut()[30:200, 140:310]
    faces = [astronaut]
    for face in data.lfw_subset()[:100]:  # the first 100 of lfw_subset are faces
        grey = (face * 255).astype(np.uint8)
        faces.append(np.stack([grey] * 3, axis=-1))
    return tuple(faces)


def group_photo(
    faces: int, face_side: int, *, size: tuple[int, int] = (4032, 3024), seed: int = 0
) -> tuple[Image.Image, list[Box]]:
    """A photo of ``size`` with ``faces`` faces (2 to 8) of about ``face_side`` pixels, one per
    cell of a 4 x 2 grid, and the true boxes as fractions."""
    rng = np.random.default_rng(seed)
    width, height = size
    canvas = np.empty((height, width, 3), np.uint8)
    canvas[:] = rng.integers(70, 190, 3)
    cells_x, cells_y = 4, 2
    cell_w, cell_h = width // cells_x, height // cells_y
    pool = face_images()
    boxes = []
    for index in range(faces):
        face = pool[int(rng.integers(len(pool)))]
        side = int(face_side * rng.uniform(0.85, 1.2))
        tile = np.asarray(Image.fromarray(face).resize((side, side), Image.Resampling.LANCZOS))
        row, col = divmod(index, cells_x)
        x = col * cell_w + int(rng.integers(0, max(1, cell_w - side)))
        y = row * cell_h + int(rng.integers(0, max(1, cell_h - side)))
        canvas[y : y + side, x : x + side] = tile
        boxes.append(Box(x / width, y / height, side / width, side / height))
    noise = rng.integers(-12, 13, (height, width, 1))
    canvas = (canvas.astype(np.int16) + noise).clip(0, 255).astype(np.uint8)
    return Image.fromarray(canvas), boxes


def found(truth: Box, detected: list[Box]) -> bool:
    from tests.photos.boxes import overlaps

    return any(overlaps(truth, box) for box in detected)
