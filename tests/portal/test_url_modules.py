"""Every urls module of our apps loads on its own after start-up, not only through
portal/urls.py: the ``code`` path converter is registered at start-up (portal/apps.py)."""

import importlib
import subprocess
import sys
from pathlib import Path

from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
CODE = "AbCdEfGh_jKl-n0P"


def url_modules() -> list[str]:
    """``<app>/urls.py``, ``<app>/staff_urls.py`` and the like, the root URLconf left out."""
    return sorted(
        f"{path.parent.name}.{path.stem}"
        for path in ROOT.glob("*/*urls.py")
        if (path.parent / "apps.py").exists() and path != ROOT / "portal" / "urls.py"
    )


def test_it_registers_the_code_converter_at_start_up_before_any_urlconf():
    # A fresh interpreter: here the test client has long since loaded portal/urls.py.
    code = (
        "import django, importlib; django.setup(); "
        "from django.urls.converters import get_converters; "
        "assert 'code' in get_converters(), 'code converter not registered at start-up'; "
        f"[importlib.import_module(name) for name in {url_modules()!r}]; "
        "import sys; assert 'portal.urls' not in sys.modules; print('loaded')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "loaded"


def test_it_loads_each_urls_module_and_resolves_a_code():
    assert {"retention.staff_urls", "portal.today_urls"} <= set(url_modules())
    for name in url_modules():
        assert importlib.import_module(name).urlpatterns

    match = resolve(f"/staff/retention/requests/{CODE}/")
    assert match.view_name == "retention_staff:request"
    assert match.kwargs == {"code": CODE}
