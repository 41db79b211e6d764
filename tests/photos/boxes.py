"""Comparing face boxes in tests."""

from photos.faces import Box


def overlaps(a: Box, b: Box, share: float = 0.3) -> bool:
    """Whether two boxes cover the same face: their intersection is at least ``share`` of the
    smaller box (a worker's drawn box over a detected one, a detection repeated)."""
    ix = max(0.0, min(a.x + a.w, b.x + b.w) - max(a.x, b.x))
    iy = max(0.0, min(a.y + a.h, b.y + b.h) - max(a.y, b.y))
    return ix * iy >= share * min(a.w * a.h, b.w * b.h) > 0
