from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.forms import ContactDetailsForm


def contact_details(request):
    form = ContactDetailsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your contact details have been saved."))
        return redirect("accounts:contact_details")
    return render(request, "accounts/contact_details.html", {"form": form})
