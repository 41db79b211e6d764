"""Small builders for retention tests: children with contract histories and files."""

from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from daycare.models import CareContract, Child, Guardianship
from files.keys import new_key


def make_child(group, *, contracts, guardians=(), first_name="Kind"):
    child = Child.objects.create(
        first_name=first_name, last_name="Test", date_of_birth=date(2022, 1, 1), group=group
    )
    for start, end in contracts:
        CareContract.objects.create(child=child, group=group, start_date=start, end_date=end)
    for user in guardians:
        Guardianship.objects.create(user=user, child=child)
    return child


def stored_file(prefix="test", data=b"x" * 64):
    return default_storage.save(new_key(prefix, "bin"), ContentFile(data))


def storage_listing(prefix: str) -> set[str]:
    found = set()

    def walk(path):
        try:
            dirs, files = default_storage.listdir(path)
        except FileNotFoundError:
            return
        for name in files:
            found.add(f"{path}/{name}" if path else name)
        for name in dirs:
            walk(f"{path}/{name}" if path else name)

    walk(prefix)
    return found
