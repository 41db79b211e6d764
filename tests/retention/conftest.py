import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Each test gets its own media directory, so storage listings can be compared."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media", "base_url": None},
        },
    }
