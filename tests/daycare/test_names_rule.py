"""A parent reads the names of their own children only (R26, issue 14).

The HTTP test renders every parent page of the project (every URL pattern outside the staff
pages, Django admin and the account pages, found through the resolver) for three parents of a
world with a group photo of Daan, Eva and Mila and a shared diary note, and asserts that no
name of a child outside the viewer's own appears: Anna (Daan, Eva), Chris (Daan only: Eva is
his partner's child) and Dewi (Mila). The hypothesis test checks the naming function itself.
"""

import io
import re
import string
import zipfile
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from consent import projection
from daycare.naming import children_label
from diary.models import DiaryDay, DiaryEntry
from photos.models import PhotoTag
from retention.models import Export
from tests.security.patterns import all_patterns
from tests.security.test_access_matrix import is_admin, urls_for
from tests.security.world import build_world

CHILDREN = ("daan", "eva", "mila", "finn", "noor", "sem", "lieke")
OWN = {"anna": {"daan", "eva"}, "chris": {"daan"}, "dewi": {"mila"}}
NOT_PARENT_PAGES = ("account_", "mfa_", "usersessions_", "set_language", "health_")
# The invitation page names the child the holder of the mailed token is invited for.
INVITED = {"daycare:invitation"}


def parent_patterns():
    for pattern in all_patterns():
        namespace = pattern.key.split(":")[0] if ":" in pattern.key else ""
        if (
            is_admin(pattern.key)
            or namespace.endswith("_staff")
            or pattern.key.startswith(NOT_PARENT_PAGES)
            or pattern.key.startswith("/")
            or pattern.key in INVITED
        ):
            continue
        yield pattern


def forbidden_names(cast, viewer: str) -> dict[str, re.Pattern]:
    return {
        key: re.compile(rf"\b{re.escape(cast.children[key].first_name)}\b")
        for key in CHILDREN
        if key not in OWN[viewer]
    }


@pytest.fixture
def world(cast, decide, django_capture_on_commit_callbacks):
    world = build_world(cast, decide, django_capture_on_commit_callbacks)
    PhotoTag.objects.create(photo=world.photo, child=cast.eva)  # Daan, Mila and Eva
    projection.photos_changed([world.photo.pk])
    shared = "SharedNoteCode01"
    for child in (cast.daan, cast.eva, cast.mila):
        day, _ = DiaryDay.objects.get_or_create(child=child, date=world.entry.day.date)
        DiaryEntry.objects.create(
            day=day,
            kind=DiaryEntry.Kind.STAFF,
            author=cast.sanne,
            text="Naar de kinderboerderij geweest.",
            shared_code=shared,
        )
    return world


@pytest.mark.parametrize("viewer", sorted(OWN))
def test_it_names_no_child_outside_the_viewers_own_on_any_parent_page(cast, world, viewer):
    user = cast.users[viewer]
    client = Client()
    client.force_login(user)
    own_codes = [cast.children[key].code for key in sorted(OWN[viewer])]
    names = forbidden_names(cast, viewer)
    seen, leaks = 0, []
    for pattern in parent_patterns():
        for url in urls_for(world, pattern):
            # The same page for each of the viewer's own children (the world uses Daan's).
            for variant in {url, *(url.replace(cast.daan.code, code) for code in own_codes)}:
                response = client.get(variant)
                if response.status_code != 200 or response.streaming:
                    continue
                if not response["Content-Type"].startswith(("text/", "application/json")):
                    continue
                seen += 1
                text = response.content.decode()
                leaks += [f"{variant}: {key}" for key, rx in names.items() if rx.search(text)]
    assert seen >= 20  # home, child page, gallery, timeline, consent pages, messages, ...
    assert not leaks, "\n".join(leaks)
    gallery = client.get(reverse("photos:gallery", kwargs={"child_code": own_codes[0]})).text
    if viewer == "dewi":
        assert "Mila en 2 andere kinderen" in gallery
    elif viewer == "chris":
        assert "Daan en 2 andere kinderen" in gallery
    else:
        assert "Daan, Eva en 1 ander kind" in gallery


def test_it_names_no_other_child_in_the_e_mails_to_parents(cast, world):
    for message in mail.outbox:
        for viewer in OWN:
            if cast.users[viewer].email in message.to:
                names = forbidden_names(cast, viewer)
                body = message.subject + message.body
                assert not [key for key, rx in names.items() if rx.search(body)]


@pytest.mark.parametrize("viewer", ["anna", "chris"])
def test_it_names_no_other_child_in_the_export_zip(
    cast, world, viewer, login, django_capture_on_commit_callbacks
):
    """Download everything of Daan: file and folder names, JSON, the offline index.html and the
    photos' EXIF captions name no child outside the viewer's own (GDPR art. 15(4))."""
    client = login(cast.users[viewer], reauthenticated=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/retention/children/{cast.daan.code}/export/").status_code == 302
    export = Export.objects.filter(child=cast.daan, requested_by=cast.users[viewer]).latest("pk")
    response = client.get(f"/retention/exports/{export.code}/")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = forbidden_names(cast, viewer)
    photos = [name for name in archive.namelist() if name.endswith(".jpg")]
    assert photos  # the group photo of Daan, Eva and Mila is in it, with a caption
    assert all(b"Daan" in archive.read(path) for path in photos)
    leaks = [
        f"name {path}" for path in archive.namelist() for rx in names.values() if rx.search(path)
    ]
    for path in archive.namelist():
        if path.endswith(".pdf"):
            continue  # made from the same records as the JSON and HTML checked here
        text = archive.read(path).decode("utf-8", errors="replace")
        leaks += [f"{path}: {key}" for key, rx in names.items() if rx.search(text)]
    assert not leaks, "\n".join(leaks)


def test_it_keeps_the_names_for_staff(cast, world, login, client):
    login(cast.sanne)
    page = client.get(reverse("photos_staff:tag", kwargs={"group_code": cast.group_a.code}))
    assert page.status_code == 200
    assert "Daan" in page.text and "Mila" in page.text and "Eva" in page.text


# The naming function over random families and tags.
first_names = st.text(alphabet=string.ascii_letters, min_size=2, max_size=8).map(str.title)


@st.composite
def families_and_tags(draw):
    names = draw(st.lists(first_names, min_size=1, max_size=12, unique_by=str.lower))
    children = [SimpleNamespace(pk=i + 1, first_name=name) for i, name in enumerate(names)]
    own = draw(st.sets(st.sampled_from([c.pk for c in children])))
    tagged = draw(st.lists(st.sampled_from(children), min_size=1, unique_by=lambda c: c.pk))
    return children, own, tagged


@settings(max_examples=300, deadline=None)
@given(families_and_tags())
def test_it_names_only_own_children_and_counts_the_others(case):
    _children, own, tagged = case
    label = children_label(tagged, own_ids=own)
    words = set(re.findall(r"[A-Za-z]+", label))
    others = [c for c in tagged if c.pk not in own]
    for child in tagged:
        if child.pk in own:
            assert child.first_name in words
        else:
            assert child.first_name not in words
    if others:
        assert str(len(others)) in label
    # Staff read every name.
    staff = set(re.findall(r"[A-Za-z]+", children_label(tagged, own_ids=None)))
    assert {c.first_name for c in tagged} <= staff
