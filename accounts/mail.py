"""Sending portal e-mails: Dutch by default (R25), text and HTML from templates."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from accounts.language import language_for_email


def send_portal_mail(*, to: list[str], template: str, context: dict, language: str | None = None):
    """Render ``<template>_subject.txt`` and ``<template>.txt`` and send them.

    Each recipient gets the e-mail in the language of their account (R25); an address without
    an account gets Dutch. ``language`` forces one language for all.
    E-mails carry a link and no private content: the portal itself shows the details.
    """

    by_language: dict[str, list[str]] = {}
    for address in to:
        by_language.setdefault(language or language_for_email(address), []).append(address)
    for chosen, addresses in by_language.items():
        _send(to=addresses, template=template, context=context, language=chosen)


def _send(*, to: list[str], template: str, context: dict, language: str):
    with translation.override(language):
        context = {"SITE_URL": settings.SITE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    message = EmailMultiAlternatives(
        subject=f"[Ouderportaal] {subject}", body=body, to=to, from_email=None
    )
    message.send()
