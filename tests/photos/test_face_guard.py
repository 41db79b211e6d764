"""The face guard (issue 18): untagged faces hold a photo back from parents; a worker accounts
for every face (a tagged child, blur, not a child) or draws one the detector missed; a blurred
face is pixelated in every file a parent receives and no longer blocks sharing. The faces are
real (scikit-image's astronaut and Labeled Faces in the Wild, tests/photos/group_photos.py)."""

import io
from datetime import timedelta

import numpy as np
import pytest
import time_machine
from django.urls import reverse
from PIL import Image

from consent import projection
from consent.models import Purpose
from photos.faces import Box
from photos.models import Photo, PhotoFace, PhotoTag
from photos.tasks import sweep_variants_task
from tests.photos.boxes import overlaps

from .group_photos import group_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def faces_photo(consented, make_photo):
    """A photo of three faces (left to right: Daan, Mila, and a child nobody tagged), uploaded
    by Sanne for group A; variants made and faces found by the real task."""
    image, truth = group_photo(3, 260, size=(1600, 1200), seed=0)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    photo = make_photo(data=out.getvalue())
    faces = list(photo.faces.all())
    assert len(faces) == 3
    by_truth = [next(face for face in faces if overlaps(face.box, box)) for box in truth]
    return photo, by_truth, truth


def file_url(name, photo, size):
    return reverse(name, args=[photo.code, size])


def parent_sees(client, photo, size="display") -> bool:
    return client.get(file_url("photos:file", photo, size)).status_code == 200


def faces_url(cast, photo):
    return reverse("photos_staff:faces", args=[cast.group_a.code, photo.code])


def tag_daan_and_mila(client, cast, photo):
    url = reverse("photos_staff:tag", args=[cast.group_a.code]) + f"?batch={photo.batch}"
    response = client.post(
        url, {"photo": photo.code, f"tags-{photo.code}": [cast.daan.code, cast.mila.code]}
    )
    assert response.status_code == 302


def review(client, cast, photo, choices):
    data = {"action": "decide"}
    for face, (decision, child) in choices.items():
        data[f"decision-{face.code}"] = decision
        data[f"child-{face.code}"] = child.code if child else ""
    return client.post(faces_url(cast, photo), data, follow=True)


def sharpness(data: bytes, box: Box) -> float:
    image = Image.open(io.BytesIO(data)).convert("L")
    left, top, right, bottom = box.pixels(*image.size)
    region = np.asarray(image, dtype=np.float64)[top:bottom, left:right]
    return float(np.abs(np.diff(region, axis=0)).mean() + np.abs(np.diff(region, axis=1)).mean())


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_it_holds_a_photo_with_more_faces_than_tagged_children(cast, client, login, faces_photo):
    photo, _faces, _truth = faces_photo
    tag_daan_and_mila(login(cast.sanne), cast, photo)
    photo.refresh_from_db()
    assert photo.held
    page = client.get(reverse("photos_staff:tag", args=[cast.group_a.code])).content.decode()
    assert "3 gezichten gevonden, 2 getagd." in page
    client.logout()
    for parent in (cast.anna, cast.dewi):
        login(parent)
        assert not parent_sees(client, photo)
        assert not parent_sees(client, photo, "thumb")
        assert not parent_sees(client, photo, "original")


def test_it_shares_the_photo_once_every_face_is_accounted_for(cast, client, login, faces_photo):
    photo, (daan, mila, stranger), _truth = faces_photo
    staff = login(cast.sanne)
    tag_daan_and_mila(staff, cast, photo)
    response = review(
        staff,
        cast,
        photo,
        {daan: ("child", cast.daan), mila: ("child", cast.mila), stranger: ("not_child", None)},
    )
    assert "De gezichten zijn opgeslagen." in response.content.decode()
    photo.refresh_from_db()
    assert not photo.held
    client.logout()
    login(cast.dewi)
    assert parent_sees(client, photo)


def test_it_blurs_a_face_in_every_file_parents_receive(
    cast, client, login, faces_photo, django_capture_on_commit_callbacks
):
    photo, (_daan, _mila, stranger), truth = faces_photo
    staff = login(cast.sanne)
    tag_daan_and_mila(staff, cast, photo)
    staff_original = body(staff.get(file_url("photos_staff:file", photo, "original")))
    with django_capture_on_commit_callbacks(execute=True):  # the rendering task, after commit
        review(staff, cast, photo, {stranger: ("blur", None)})
    photo.refresh_from_db()
    assert not photo.held and photo.shared_key and photo.blur_rendered == photo.blur_version
    # The group's staff keep the unblurred original.
    assert body(staff.get(file_url("photos_staff:file", photo, "original"))) == staff_original
    client.logout()
    login(cast.dewi)
    before = sharpness(staff_original, truth[2])
    for size in ("original", "display", "thumb"):
        served = body(client.get(file_url("photos:file", photo, size)))
        # Inside the blurred box next to no detail is left; Mila's face is as it was.
        assert sharpness(served, truth[2]) < 0.15 * before, size
        assert sharpness(served, truth[1]) > 0.5 * sharpness(staff_original, truth[1]), size
        assert served != staff_original


def test_it_shares_a_group_photo_again_once_a_withdrawn_child_is_blurred(
    cast, client, login, decide, faces_photo, django_capture_on_commit_callbacks
):
    photo, (daan, mila, stranger), _truth = faces_photo
    staff = login(cast.sanne)
    tag_daan_and_mila(staff, cast, photo)
    faces = {daan: ("child", cast.daan), mila: ("child", cast.mila), stranger: ("not_child", None)}
    review(staff, cast, photo, faces)
    decide(cast.daan, Purpose.PHOTOS, given=False, by=cast.chris)
    client.logout()
    login(cast.dewi)
    assert not parent_sees(client, photo)  # R5: one withdrawal hides the photo at once
    client.logout()
    staff = login(cast.sanne)
    with django_capture_on_commit_callbacks(execute=True):
        review(staff, cast, photo, {daan: ("blur", cast.daan)})
    assert PhotoTag.objects.get(photo=photo, child=cast.daan).blurred
    client.logout()
    login(cast.dewi)
    assert parent_sees(client, photo)  # back for Mila's parents, with Daan pixelated
    client.logout()
    login(cast.anna)  # Daan's own gallery no longer shows it
    assert not parent_sees(client, photo)


def test_it_adds_a_box_the_detector_missed(cast, login, faces_photo):
    photo, (daan, mila, stranger), _truth = faces_photo
    staff = login(cast.sanne)
    review(
        staff,
        cast,
        photo,
        {daan: ("child", cast.daan), mila: ("child", cast.mila), stranger: ("not_child", None)},
    )
    photo.refresh_from_db()
    assert not photo.held
    response = staff.post(
        faces_url(cast, photo), {"action": "draw", "x": "80", "y": "70", "w": "10", "h": "12"}
    )
    assert response.status_code == 302
    drawn = photo.faces.get(source=PhotoFace.Source.DRAWN)
    assert (round(drawn.x, 2), round(drawn.w, 2)) == (0.8, 0.1)
    photo.refresh_from_db()
    assert photo.held  # four faces, two tagged, one not reviewed


@pytest.mark.parametrize(
    "box",
    [
        {"x": "abc", "y": "1", "w": "1", "h": "1"},
        {"x": "nan", "y": "1", "w": "10", "h": "10"},
        {"x": "-5", "y": "1", "w": "10", "h": "10"},
        {"x": "1", "y": "1", "w": "500", "h": "10"},
        {"x": "1", "y": "1", "w": "0.1", "h": "0.1"},
    ],
)
def test_it_refuses_an_impossible_box_and_changes_nothing(cast, login, faces_photo, box):
    photo, _faces, _truth = faces_photo
    response = login(cast.sanne).post(
        faces_url(cast, photo), {"action": "draw", **box}, follow=True
    )
    assert response.status_code == 200
    assert photo.faces.count() == 3
    text = response.content.decode()
    assert "procenten" in text or "te klein" in text


def test_it_refuses_to_tag_a_child_without_photo_consent(cast, login, decide, faces_photo):
    photo, (daan, _mila, _stranger), _truth = faces_photo
    decide(cast.eva, Purpose.PHOTOS, given=False)
    response = review(login(cast.sanne), cast, photo, {daan: ("child", cast.eva)})
    assert "vervaag het gezicht" in response.content.decode()
    assert not PhotoTag.objects.filter(photo=photo, child=cast.eva).exists()
    assert photo.faces.get(pk=daan.pk).decision == PhotoFace.Decision.PENDING


def test_it_refuses_a_child_of_another_group(cast, login, faces_photo):
    photo, (daan, _mila, _stranger), _truth = faces_photo
    response = review(login(cast.sanne), cast, photo, {daan: ("child", cast.finn)})
    assert response.status_code == 200
    assert not PhotoTag.objects.filter(photo=photo, child=cast.finn).exists()
    assert photo.faces.get(pk=daan.pk).decision == PhotoFace.Decision.PENDING


def test_it_ignores_a_face_of_another_photo(cast, login, faces_photo, make_photo):
    photo, (daan, _mila, _stranger), _truth = faces_photo
    other = make_photo()
    response = login(cast.sanne).post(
        faces_url(cast, other), {"action": "decide", f"decision-{daan.code}": "not_child"}
    )
    assert response.status_code == 302
    assert photo.faces.get(pk=daan.pk).decision == PhotoFace.Decision.PENDING


def test_it_is_404_for_strangers_parents_and_another_groups_worker(
    cast, client, login, faces_photo
):
    photo, _faces, _truth = faces_photo
    assert client.get(faces_url(cast, photo)).status_code in (302, 404)
    for person in (cast.anna, cast.bram, cast.tom):
        login(person)
        assert client.get(faces_url(cast, photo)).status_code == 404
        assert client.post(faces_url(cast, photo), {"action": "draw"}).status_code == 404
        client.logout()


def test_the_review_page_shows_boxes_and_says_no_recognition_is_used(cast, login, faces_photo):
    photo, _faces, _truth = faces_photo
    text = login(cast.sanne).get(faces_url(cast, photo)).content.decode()
    assert text.count('class="face-box face-pending"') == 3
    assert "herkent nooit wie iemand is" in text


def test_it_checks_a_photo_from_before_the_face_guard_once(
    cast, client, login, faces_photo, django_capture_on_commit_callbacks
):
    """A photo uploaded before the guard existed: variants, tags, no faces looked for. The
    sweeper has it checked once; with three faces and two tags it is held from then on."""
    photo, _faces, _truth = faces_photo
    tag_daan_and_mila(login(cast.sanne), cast, photo)
    photo.faces.all().delete()
    Photo.objects.filter(pk=photo.pk).update(faces_checked=False, held=False)
    projection.photos_changed([photo.pk])
    client.logout()
    login(cast.dewi)
    assert parent_sees(client, photo)  # as before the guard: two tags, no faces known
    with (
        time_machine.travel(photo.uploaded_at + timedelta(seconds=300), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep_variants_task() == 1
    photo.refresh_from_db()
    assert photo.faces_checked and photo.held and photo.faces.count() == 3
    assert not parent_sees(client, photo)
    with time_machine.travel(photo.uploaded_at + timedelta(seconds=600), tick=False):
        assert sweep_variants_task() == 0  # checked once, not again
