from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts.forms import ContactDetailsForm, LanguageForm
from accounts.language import SUPPORTED, remember_in_session


def contact_details(request):
    form = ContactDetailsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your contact details have been saved."))
        return redirect("accounts:contact_details")
    language_form = LanguageForm(instance=request.user)
    return render(
        request,
        "accounts/contact_details.html",
        {"form": form, "language_form": language_form},
    )


@require_POST
def language(request):
    """R25: the person's language, for pages (at once and after every login) and e-mails."""
    form = LanguageForm(request.POST, instance=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose one of the languages offered."))
        return redirect("accounts:contact_details")
    form.save()
    remember_in_session(request, form.instance.language)
    messages.success(request, _("Your language has been saved."))
    response = redirect("accounts:contact_details")
    # The login page after a logout speaks it too.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        form.instance.language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # a str setting
    )
    return response


@login_not_required
def set_language(request):
    """The switch in the header. For a logged-in person the choice is stored on the account too
    (R25): pages and e-mails follow it from now on. A stranger only gets the cookie."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated and language in SUPPORTED:
        if request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
        remember_in_session(request, language)
    return response
