"""The parent's notification settings: this device on or off, the kinds per device, quiet
hours or a daily digest. Any logged-in person may use it (customer service for reminders)."""

from django.contrib import messages as flash
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from daycare.access import guarded_children
from push import services, vapid
from push.devices import device_name
from push.forms import DeviceForm, SubscribeForm, TimingForm
from push.models import PushSettings, PushSubscription


def _get_subscription_for(user, code: str) -> PushSubscription:
    """One of the person's own devices; 404 for missing and someone else's alike."""
    try:
        return PushSubscription.objects.get(user=user, code=code)
    except PushSubscription.DoesNotExist:
        raise Http404 from None


def _page(request, *, subscribe_form=None, timing_form=None, status=200):
    timing = PushSettings.objects.filter(user=request.user).first()
    devices = [
        (device, DeviceForm(initial={"kinds": device.kinds()}, prefix=device.code))
        for device in PushSubscription.objects.filter(user=request.user)
    ]
    return render(
        request,
        "push/settings.html",
        {
            "available": vapid.configured(),
            "public_key": vapid.public_key(),
            "subscribe_form": subscribe_form or SubscribeForm(),
            "timing_form": timing_form
            or TimingForm(instance=timing or PushSettings(user=request.user)),
            "devices": devices,
            # The example in the explanation names the reader's own child, never another one.
            "example_name": guarded_children(request.user)
            .order_by("first_name")
            .values_list("first_name", flat=True)
            .first()
            or _("your child"),
        },
        status=status,
    )


def settings_page(request):
    return _page(request)


@require_POST
def subscribe(request):
    form = SubscribeForm(request.POST)
    if form.is_valid():
        try:
            services.subscription_save(
                user=request.user,
                endpoint=form.cleaned_data["endpoint"],
                p256dh=form.cleaned_data["p256dh"],
                auth=form.cleaned_data["auth"],
                kinds=form.cleaned_data["kinds"],
                device=device_name(request.headers.get("User-Agent", "")),
            )
        except DomainError as problem:
            form.add_error(None, problem.message)
        else:
            flash.success(request, _("Notifications are on for this device."))
            return redirect("push:settings")
    return _page(request, subscribe_form=form, status=400)


@require_POST
def device(request, code):
    subscription = _get_subscription_for(request.user, code)
    form = DeviceForm(request.POST, prefix=subscription.code)
    if not form.is_valid():
        flash.error(request, _("Unknown kind of notification."))
        return redirect("push:settings")
    if not form.cleaned_data["kinds"]:
        services.subscription_delete(subscription=subscription)
        flash.success(request, _("Notifications are off for this device."))
        return redirect("push:settings")
    services.subscription_set_kinds(subscription=subscription, kinds=form.cleaned_data["kinds"])
    flash.success(request, _("Your settings have been saved."))
    return redirect("push:settings")


@require_POST
def device_remove(request, code):
    subscription = _get_subscription_for(request.user, code)
    services.subscription_delete(subscription=subscription)
    flash.success(request, _("Notifications are off for this device."))
    return redirect("push:settings")


@require_POST
def timing(request):
    instance = PushSettings.objects.filter(user=request.user).first()
    form = TimingForm(request.POST, instance=instance or PushSettings(user=request.user))
    if not form.is_valid():
        return _page(request, timing_form=form, status=400)
    services.settings_save(user=request.user, **form.cleaned_data)
    flash.success(request, _("Your settings have been saved."))
    return redirect("push:settings")
