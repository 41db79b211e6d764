"""Parent pages: news and newsletters of their children's locations (R13), no consent needed
(R3). Files are delivered only after the audience check."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from files.delivery import deliver
from newsletters import services
from newsletters.forms import EmailPreferenceForm
from newsletters.models import Attachment, EmailPreference, ReadMark
from newsletters.sanitize import clean_body
from newsletters.selectors import get_readable_publication_for, parent_publications

PAGE_SIZE = 10


def publication_list(request):
    paginator = Paginator(parent_publications(request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "newsletters/list.html", {"page": page})


def publication_detail(request, code):
    publication = get_readable_publication_for(request.user, code)
    ReadMark.objects.get_or_create(user=request.user, publication=publication)
    return render(
        request,
        "newsletters/detail.html",
        {
            "publication": publication,
            # Sanitised with nh3 on every write (newsletters.sanitize) and again here, so that a
            # row written past the service (a data migration, a shell) cannot carry a script.
            "body": mark_safe(clean_body(publication.body)),  # noqa: S308  # nosec B308 B703 - nh3
            "attachments": publication.attachments.all(),
        },
    )


def publication_image(request, code):
    publication = get_readable_publication_for(request.user, code)
    if not publication.image_key:
        raise Http404
    extension = publication.image_key.rsplit(".", 1)[-1]
    return deliver(publication.image_key, filename=f"afbeelding.{extension}")


def publication_pdf(request, code):
    publication = get_readable_publication_for(request.user, code)
    if not publication.pdf_key:
        raise Http404
    return deliver(
        publication.pdf_key,
        filename=publication.pdf_name or "nieuwsbrief.pdf",
        content_type="application/pdf",
    )


def attachment_download(request, code, attachment_code):
    publication = get_readable_publication_for(request.user, code)
    try:
        attachment = publication.attachments.get(code=attachment_code)
    except Attachment.DoesNotExist:
        raise Http404 from None
    return deliver(
        attachment.key,
        filename=attachment.filename,
        content_type=attachment.content_type,
        attachment=True,  # opened by every parent of a location: never inline (issue 19)
    )


def email_settings(request):
    preference = EmailPreference.objects.filter(user=request.user).first()
    form = EmailPreferenceForm(
        request.POST or None, instance=preference or EmailPreference(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.email_preference_set(
            user=request.user,
            news=form.cleaned_data["news"],
            newsletters=form.cleaned_data["newsletters"],
        )
        messages.success(request, _("Your e-mail settings have been saved."))
        return redirect("newsletters:settings")
    return render(request, "newsletters/settings.html", {"form": form})
