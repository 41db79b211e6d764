"""The demo organisation and its named cast, shared by ``seed_demo`` and the tests.

Dates are relative to ``today`` so the demo always shows the same situation. Known passwords
and a known TOTP secret: ``seed_demo`` refuses to run with DEBUG off unless forced.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction

from accounts.allauth_internals import TOTP, RecoveryCodes
from accounts.models import User
from daycare.models import CareContract, Child, Group, Location, Relation, StaffAssignment
from daycare.services import guardianship_add

DEMO_PASSWORD = "portal-demo"  # noqa: S105 - demo only, refused without DEBUG
# Base32; enter it in any authenticator app (Google Authenticator, Aegis, 1Password...).
DEMO_TOTP_SECRET = "OUDERPORTAALDEMOTOTPSECRET234567"  # noqa: S105 - demo only

PARENTS = {
    "anna": ("Anna", "de Vries"),
    "chris": ("Chris", "de Vries"),
    "dewi": ("Dewi", "Bakker"),
    "bram": ("Bram", "Jansen"),
    "fleur": ("Fleur", "Visser"),
}
STAFF = {
    "sanne": ("Sanne", "Mulder"),
    "tom": ("Tom", "Smit"),
    "lotte": ("Lotte", "Meijer"),
    "service": ("Klantenservice", "Ouderportaal"),
    "admin": ("Beheerder", "Ouderportaal"),
}


@dataclass
class Cast:
    users: dict
    locations: dict
    groups: dict
    children: dict

    def __getattr__(self, name):
        for table in ("users", "children", "groups", "locations"):
            value = self.__dict__.get(table, {}).get(name)
            if value is not None:
                return value
        raise AttributeError(name)


def months_ago(today: date, months: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    day = min(today.day, 28)
    return date(year, month + 1, day)


def _user(key: str, names: tuple[str, str], *, password: str) -> User:
    email = f"{key}@example.org"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email)
    user.first_name, user.last_name = names
    user.set_password(password)
    if key == "admin":
        user.is_staff = user.is_superuser = True
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _totp(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)


@transaction.atomic
def build_cast(*, today: date, password: str = DEMO_PASSWORD) -> Cast:
    """Create (or bring back to shape) the demo organisation. Safe to run again."""
    users = {
        key: _user(key, names, password=password) for key, names in {**PARENTS, **STAFF}.items()
    }
    loc1, _ = Location.objects.update_or_create(
        name="Kindercentrum De Zonnebloem",
        defaults={
            "street": "Zonnebloemlaan 12",
            "postal_code": "3521 AB",
            "city": "Utrecht",
            "phone": "030 123 45 67",
            "email": "zonnebloem@example.org",
            "opening_hours": "Maandag t/m vrijdag 07:30 – 18:30",
            "description": "Kinderdagverblijf met drie groepen aan de rand van het park.",
        },
    )
    loc2, _ = Location.objects.update_or_create(
        name="Kindercentrum Het Vogelnest",
        defaults={
            "street": "Merelstraat 4",
            "postal_code": "3582 KL",
            "city": "Utrecht",
            "phone": "030 765 43 21",
            "email": "vogelnest@example.org",
            "opening_hours": "Maandag t/m vrijdag 07:00 – 18:00",
            "description": "Kleinschalig kinderdagverblijf met een grote moestuin.",
        },
    )
    group_a, _ = Group.objects.get_or_create(location=loc1, name="Groep A")
    group_c, _ = Group.objects.get_or_create(location=loc1, name="Groep C")
    group_b, _ = Group.objects.get_or_create(location=loc2, name="Groep B")

    def child(first, last, born, group, guardians, start, end=None):
        obj, _ = Child.objects.update_or_create(
            first_name=first,
            last_name=last,
            defaults={"date_of_birth": born, "group": group},
        )
        for guardian in guardians:
            guardianship_add(
                child=obj, user=guardian, relation=Relation.PARENT, added_by=None, notify=False
            )
        CareContract.objects.update_or_create(
            child=obj, group=group, defaults={"start_date": start, "end_date": end}
        )
        return obj

    year_ago = today - timedelta(days=365)
    children = {
        "daan": child(
            "Daan",
            "de Vries",
            months_ago(today, 30),
            group_a,
            [users["anna"], users["chris"]],
            year_ago,
        ),
        "eva": child(
            "Eva", "de Vries", months_ago(today, 14), group_a, [users["anna"]], months_ago(today, 4)
        ),
        "mila": child("Mila", "Bakker", months_ago(today, 26), group_a, [users["dewi"]], year_ago),
        "finn": child("Finn", "Jansen", months_ago(today, 20), group_b, [users["bram"]], year_ago),
        # Fleur's children left: 3 weeks, 10 weeks and 13 months ago (retention demo).
        "noor": child(
            "Noor",
            "Visser",
            months_ago(today, 50),
            group_c,
            [users["fleur"]],
            months_ago(today, 40),
            today - timedelta(weeks=3),
        ),
        "sem": child(
            "Sem",
            "Visser",
            months_ago(today, 52),
            group_c,
            [users["fleur"]],
            months_ago(today, 42),
            today - timedelta(weeks=10),
        ),
        "lieke": child(
            "Lieke",
            "Visser",
            months_ago(today, 60),
            group_c,
            [users["fleur"]],
            months_ago(today, 50),
            months_ago(today, 13),
        ),
    }
    for key, role, scope in [
        ("sanne", StaffAssignment.Role.GROUP_WORKER, {"group": group_a}),
        ("tom", StaffAssignment.Role.GROUP_WORKER, {"group": group_b}),
        ("lotte", StaffAssignment.Role.LOCATION_MANAGER, {"location": loc1}),
        ("service", StaffAssignment.Role.CUSTOMER_SERVICE, {}),
    ]:
        # The scopes mix a group, a location and nothing: one dict type does not fit all.
        StaffAssignment.objects.get_or_create(user=users[key], role=role, **scope)  # type: ignore[arg-type]
    for key in STAFF:
        _totp(users[key])
    return Cast(
        users=users,
        locations={"loc1": loc1, "loc2": loc2},
        groups={"group_a": group_a, "group_b": group_b, "group_c": group_c},
        children=children,
    )
