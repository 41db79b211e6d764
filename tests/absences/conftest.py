import datetime

import pytest


@pytest.fixture(autouse=True)
def _contracts_running_on_the_frozen_days(request):
    """The cast's contracts start relative to the real today; these tests freeze time in March
    2026. R11 refuses days without a running contract, so the running contracts start earlier."""
    if "cast" not in request.fixturenames:
        return
    request.getfixturevalue("cast")
    from daycare.models import CareContract

    CareContract.objects.filter(end_date__isnull=True).update(start_date=datetime.date(2025, 1, 1))
