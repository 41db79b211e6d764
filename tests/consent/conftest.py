# The photo fixtures, for the projection tests (issue 16).
from tests.photos.conftest import consented, group_photo, make_photo  # noqa: F401
