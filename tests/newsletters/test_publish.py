import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from newsletters.models import Attachment, EmailPreference, Publication
from newsletters.services import publications_announce_due

from .helpers import pdf_upload, png_upload, publication


def _news(client, django_capture_on_commit_callbacks, **data):
    payload = {"title": "Lampionnen", "body": "Volgende week.", "locations": []}
    payload.update(data)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("newsletters_staff:create", kwargs={"kind": "news"}), payload)


def test_lotte_publishes_and_the_parents_of_location_1_get_an_email(
    cast, login, django_capture_on_commit_callbacks
):
    lotte = login(cast.lotte)
    response = _news(lotte, django_capture_on_commit_callbacks, locations=[cast.loc1.pk])
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = lotte.post(
            reverse("newsletters_staff:create", kwargs={"kind": "newsletter"}),
            {
                "title": "Nieuwsbrief december",
                "body": "",
                "locations": [cast.loc1.pk],
                "pdf": pdf_upload(),
            },
        )
    assert response.status_code == 302
    newsletter = Publication.objects.get(kind="newsletter")
    assert newsletter.pdf_key and newsletter.pdf_name == "nieuwsbrief.pdf"
    recipients = sorted(address for message in mail.outbox for address in message.to)
    # One e-mail per item per parent of location 1 (fleur's children are not archived yet).
    parents = [cast.anna.email, cast.chris.email, cast.dewi.email, cast.fleur.email]
    assert recipients == sorted(parents * 2)
    assert cast.bram.email not in recipients
    body = mail.outbox[0].body
    assert "Lampionnen" in body and "/newsletters/" in body
    assert "Daan" not in body and "Eva" not in body and "Volgende week" not in body
    assert "Nieuw" in mail.outbox[0].subject


def test_the_announcement_is_batched_and_sent_once(cast, django_capture_on_commit_callbacks):
    publication("Een", locations=[cast.loc1], announced_at=None)
    publication("Twee", for_all=True, announced_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        publications_announce_due()
    to_anna = [m for m in mail.outbox if cast.anna.email in m.to]
    assert len(to_anna) == 1 and "Een" in to_anna[0].body and "Twee" in to_anna[0].body
    to_bram = [m for m in mail.outbox if cast.bram.email in m.to]
    assert len(to_bram) == 1 and "Een" not in to_bram[0].body
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert publications_announce_due() == 0
    assert len(mail.outbox) == sent


def test_a_scheduled_item_is_announced_when_its_time_comes(
    cast, django_capture_on_commit_callbacks, time_machine
):
    later = timezone.now() + datetime.timedelta(hours=1)
    publication("Straks", locations=[cast.loc1], published_at=later, announced_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        publications_announce_due()
    assert mail.outbox == []
    time_machine.move_to(later)
    with django_capture_on_commit_callbacks(execute=True):
        publications_announce_due()
    assert {a for m in mail.outbox for a in m.to} >= {cast.anna.email, cast.dewi.email}


def test_parents_can_turn_off_the_emails_per_kind(
    cast, statement, login, django_capture_on_commit_callbacks
):
    client = login(cast.anna)
    response = client.post(reverse("newsletters:settings"), {"newsletters": "on"})
    assert response.status_code == 302
    assert EmailPreference.objects.get(user=cast.anna).news is False
    publication("Nieuws", locations=[cast.loc1], announced_at=None)
    publication("Brief", kind="newsletter", locations=[cast.loc1], announced_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        publications_announce_due()
    to_anna = [m for m in mail.outbox if cast.anna.email in m.to]
    assert len(to_anna) == 1 and "Brief" in to_anna[0].body and "Nieuws" not in to_anna[0].body


def test_the_body_is_sanitised(cast, login, django_capture_on_commit_callbacks):
    body = (
        '<p onclick="x()">Hoi <strong>allemaal</strong><script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">x</a><a href="https://example.org">y</a>'
        "<img src=x onerror=alert(1)>"
    )
    _news(
        login(cast.lotte), django_capture_on_commit_callbacks, locations=[cast.loc1.pk], body=body
    )
    saved = Publication.objects.get().body
    assert "<script" not in saved and "alert" not in saved and "onclick" not in saved
    assert "<img" not in saved and "javascript" not in saved
    assert "<strong>allemaal</strong>" in saved
    assert 'href="https://example.org"' in saved and "noopener" in saved


def test_an_attachment_that_is_not_what_its_name_says_is_refused(
    cast, login, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile(
        "rooster.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"
    )
    response = _news(
        login(cast.lotte),
        django_capture_on_commit_callbacks,
        locations=[cast.loc1.pk],
        attachments=[fake],
    )
    assert response.status_code == 200
    assert "rooster.pdf" in response.text
    assert not Publication.objects.exists() and not Attachment.objects.exists()
    assert mail.outbox == []


def test_an_attachment_is_taken_for_what_its_content_is_not_its_name(
    cast, login, django_capture_on_commit_callbacks
):
    response = _news(
        login(cast.lotte),
        django_capture_on_commit_callbacks,
        locations=[cast.loc1.pk],
        attachments=[pdf_upload("rooster.jpg"), png_upload("foto.pdf")],
    )
    assert response.status_code == 302
    stored = sorted(Attachment.objects.values_list("filename", "content_type"))
    assert stored == [("foto.jpg", "image/jpeg"), ("rooster.pdf", "application/pdf")]


def test_a_text_file_named_as_a_photo_is_refused_as_an_attachment(
    cast, login, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("foto.jpg", b"just some text", content_type="image/jpeg")
    response = _news(
        login(cast.lotte),
        django_capture_on_commit_callbacks,
        locations=[cast.loc1.pk],
        attachments=[fake],
    )
    assert response.status_code == 200
    assert "foto.jpg: alleen pdf-documenten en JPEG-, PNG- of HEIC-foto" in response.text
    assert not Publication.objects.exists()


def test_a_pdf_named_as_a_photo_is_refused(cast, login, django_capture_on_commit_callbacks):
    fake = pdf_upload("foto.jpg")
    response = _news(
        login(cast.lotte), django_capture_on_commit_callbacks, locations=[cast.loc1.pk], image=fake
    )
    assert response.status_code == 200
    assert not Publication.objects.exists()


def test_a_newsletter_pdf_must_be_a_pdf(cast, login):
    response = login(cast.lotte).post(
        reverse("newsletters_staff:create", kwargs={"kind": "newsletter"}),
        {"title": "Brief", "locations": [cast.loc1.pk], "pdf": png_upload("brief.pdf")},
    )
    assert response.status_code == 200
    assert not Publication.objects.exists()


def test_image_and_attachments_are_delivered_after_the_audience_check(
    cast, statement, login, django_capture_on_commit_callbacks
):
    _news(
        login(cast.lotte),
        django_capture_on_commit_callbacks,
        locations=[cast.loc1.pk],
        image=png_upload(),
        attachments=[pdf_upload("rooster.pdf"), png_upload("plattegrond.png")],
    )
    item = Publication.objects.get()
    assert item.attachments.count() == 2
    anna = login(cast.anna)
    response = anna.get(reverse("newsletters:image", kwargs={"code": item.code}))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    attachment = item.attachments.get(filename="rooster.pdf")
    url = reverse(
        "newsletters:attachment", kwargs={"code": item.code, "attachment_code": attachment.code}
    )
    assert anna.get(url).status_code == 200
    bram = login(cast.bram)
    assert bram.get(url).status_code == 404
    assert bram.get(reverse("newsletters:image", kwargs={"code": item.code})).status_code == 404


def test_a_manager_cannot_publish_for_another_location_or_all(
    cast, login, django_capture_on_commit_callbacks
):
    lotte = login(cast.lotte)
    response = _news(lotte, django_capture_on_commit_callbacks, locations=[cast.loc2.pk])
    assert response.status_code == 200
    response = _news(
        lotte, django_capture_on_commit_callbacks, locations=[cast.loc1.pk], for_all_locations="on"
    )
    assert not Publication.objects.filter(for_all_locations=True).exists()
    assert Publication.objects.filter(locations=cast.loc2).count() == 0


def test_customer_service_publishes_for_all_locations(
    cast, login, django_capture_on_commit_callbacks
):
    response = _news(
        login(cast.service), django_capture_on_commit_callbacks, for_all_locations="on"
    )
    assert response.status_code == 302
    assert Publication.objects.get().for_all_locations
    assert cast.bram.email in {a for m in mail.outbox for a in m.to}


def test_a_group_worker_and_parents_cannot_publish(cast, login):
    for user in (cast.sanne, cast.anna):
        client = login(user)
        assert client.get(reverse("newsletters_staff:list")).status_code == 404
        assert (
            client.get(reverse("newsletters_staff:create", kwargs={"kind": "news"})).status_code
            == 404
        )


def test_a_manager_cannot_edit_organisation_wide_or_other_location_items(cast, login):
    lotte = login(cast.lotte)
    for item in (
        publication("Alles", for_all=True),
        publication("Vogelnest", locations=[cast.loc2]),
    ):
        assert (
            lotte.get(reverse("newsletters_staff:edit", kwargs={"code": item.code})).status_code
            == 404
        )
        assert (
            lotte.post(reverse("newsletters_staff:delete", kwargs={"code": item.code})).status_code
            == 404
        )
    assert Publication.objects.count() == 2


def test_a_manager_edits_and_deletes_an_own_item(cast, login, django_capture_on_commit_callbacks):
    from tests.files.queue import queued_keys

    lotte = login(cast.lotte)
    _news(lotte, django_capture_on_commit_callbacks, locations=[cast.loc1.pk], image=png_upload())
    item = Publication.objects.get()
    url = reverse("newsletters_staff:edit", kwargs={"code": item.code})
    assert lotte.get(url).status_code == 200
    response = lotte.post(
        url, {"title": "Lampionnen (nieuw)", "body": "Anders", "locations": [cast.loc1.pk]}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Lampionnen (nieuw)"
    key = item.image_key
    with django_capture_on_commit_callbacks(execute=True):
        lotte.post(reverse("newsletters_staff:delete", kwargs={"code": item.code}))
    assert not Publication.objects.exists()
    # Queued and (Celery eager) deleted at once: the file is gone and the queue is empty.
    from django.core.files.storage import default_storage

    assert not default_storage.exists(key)
    assert key not in queued_keys()


def test_an_unknown_kind_is_404(cast, login):
    assert (
        login(cast.lotte)
        .get(reverse("newsletters_staff:create", kwargs={"kind": "poster"}))
        .status_code
        == 404
    )


def test_the_newsletter_pdf_is_delivered_to_its_audience_only(
    cast, statement, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.lotte).post(
            reverse("newsletters_staff:create", kwargs={"kind": "newsletter"}),
            {"title": "Nieuwsbrief", "locations": [cast.loc1.pk], "pdf": pdf_upload()},
        )
    url = reverse("newsletters:pdf", kwargs={"code": Publication.objects.get().code})
    response = login(cast.dewi).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert login(cast.bram).get(url).status_code == 404


def test_a_manager_schedules_an_item_through_the_form(
    cast, statement, login, django_capture_on_commit_callbacks
):
    later = timezone.localtime() + datetime.timedelta(days=2)
    response = _news(
        login(cast.lotte),
        django_capture_on_commit_callbacks,
        locations=[cast.loc1.pk],
        published_at=later.strftime("%Y-%m-%dT%H:%M"),
    )
    assert response.status_code == 302
    item = Publication.objects.get()
    assert item.published_at > timezone.now() and item.announced_at is None
    assert mail.outbox == []
    assert "Lampionnen" not in login(cast.anna).get(reverse("newsletters:list")).text


def test_it_renders_the_formatting_its_help_text_promises(
    cast, login, django_capture_on_commit_callbacks
):
    """The help text promises bold, italic, lists, links and headings: the Markdown subset is
    rendered (markdown-it-py) and cleaned (nh3); images, code and scripts do not survive."""
    lotte = login(cast.lotte)
    form = lotte.get(reverse("newsletters_staff:create", kwargs={"kind": "news"})).text
    assert "**vet**" in form
    body = (
        "## Lampionnen\nWe lopen **vrijdag** om *18:00*.\n\n- een lampion\n- een jas\n\n"
        "[Route](https://example.org/route) [x](javascript:alert(1)) ![a](https://x.org/a.png)"
        " `code`"
    )
    _news(lotte, django_capture_on_commit_callbacks, locations=[cast.loc1.pk], body=body)
    saved = Publication.objects.get().body
    assert "<h2>Lampionnen</h2>" in saved
    assert "<strong>vrijdag</strong>" in saved and "<em>18:00</em>" in saved
    assert "<li>een lampion</li>" in saved
    assert '<a href="https://example.org/route" rel="noopener noreferrer">Route</a>' in saved
    assert 'href="javascript' not in saved
    assert "<img" not in saved and "<code" not in saved
    item = Publication.objects.get()
    page = login(cast.anna).get(reverse("newsletters:detail", kwargs={"code": item.code})).text
    assert "<strong>vrijdag</strong>" in page
