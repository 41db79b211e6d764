"""Sending portal e-mails: Dutch by default (R25), text and HTML from templates."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_portal_mail(*, to: list[str], template: str, context: dict, language: str = "nl"):
    """Render ``<template>_subject.txt`` and ``<template>.txt`` in the language and send them.

    E-mails carry a link and no private content: the portal itself shows the details.
    """
    with translation.override(language):
        context = {"SITE_URL": settings.SITE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    message = EmailMultiAlternatives(
        subject=f"[Ouderportaal] {subject}", body=body, to=to, from_email=None
    )
    message.send()
