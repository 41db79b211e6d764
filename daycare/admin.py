from django import forms
from django.contrib import admin

from daycare import services
from daycare.models import (
    CareContract,
    Child,
    Group,
    GuardianInvitation,
    Guardianship,
    Location,
    StaffAssignment,
)
from portal.errors import DomainError


class GroupInline(admin.TabularInline):
    model = Group
    extra = 0
    fields = ["name"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "phone", "email"]
    search_fields = ["name", "city", "postal_code", "email"]
    list_filter = ["city"]
    inlines = [GroupInline]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "location"]
    list_filter = ["location"]
    search_fields = ["name", "location__name"]
    list_select_related = ["location"]


class GuardianshipInline(admin.TabularInline):
    model = Guardianship
    extra = 0
    autocomplete_fields = ["user"]


class CareContractInline(admin.TabularInline):
    model = CareContract
    extra = 0


@admin.register(Child)
class ChildAdmin(admin.ModelAdmin):
    list_display = ["first_name", "last_name", "date_of_birth", "group", "archived_at"]
    list_filter = ["group__location", "group", "archived_at"]
    search_fields = ["first_name", "last_name", "code"]
    list_select_related = ["group__location"]
    readonly_fields = ["code", "archived_at"]
    inlines = [GuardianshipInline, CareContractInline]

    def save_formset(self, request, form, formset, change):
        """Guardianships through the services, so the consent projection follows (issue 16)."""
        if formset.model is not Guardianship:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for guardianship in formset.deleted_objects:
            services.guardianship_remove(user=guardianship.user, children=[guardianship.child])
        for guardianship in instances:
            if guardianship.pk is None:
                services.guardianship_add(user=guardianship.user, child=form.instance)
            else:  # the user of an existing row changed: end the old one, start the new one
                old = Guardianship.objects.select_related("user").get(pk=guardianship.pk)
                services.guardianship_remove(user=old.user, children=[old.child_id])
                services.guardianship_add(user=guardianship.user, child=form.instance)
        formset.save_m2m()


@admin.register(Guardianship)
class GuardianshipAdmin(admin.ModelAdmin):
    list_display = ["user", "child", "created_at"]
    search_fields = ["user__email", "user__last_name", "child__first_name", "child__last_name"]
    list_filter = ["child__group__location"]
    autocomplete_fields = ["user", "child"]
    list_select_related = ["user", "child"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "child"] if obj else []

    # Through the services, so the consent projection follows (issue 16).
    def save_model(self, request, obj, form, change):
        if not change:
            obj.pk = services.guardianship_add(user=obj.user, child=obj.child).pk

    def delete_model(self, request, obj):
        services.guardianship_remove(user=obj.user, children=[obj.child_id])

    def delete_queryset(self, request, queryset):
        for guardianship in queryset.select_related("user"):
            services.guardianship_remove(user=guardianship.user, children=[guardianship.child_id])


@admin.register(CareContract)
class CareContractAdmin(admin.ModelAdmin):
    list_display = ["child", "group", "start_date", "end_date"]
    list_filter = ["group__location", "group", "end_date"]
    search_fields = ["child__first_name", "child__last_name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["child"]
    list_select_related = ["child", "group__location"]


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "group", "location"]
    list_filter = ["role", "location", "group__location"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "group__location", "location"]


class InvitationAddForm(forms.ModelForm):
    class Meta:
        model = GuardianInvitation
        fields = ["email", "child"]

    def clean(self):
        cleaned = super().clean()
        child, email = cleaned.get("child"), cleaned.get("email")
        if child and email:
            try:
                services.invitation_check(child=child, email=email)
            except DomainError as error:
                raise forms.ValidationError(error.message) from None
        return cleaned


@admin.register(GuardianInvitation)
class GuardianInvitationAdmin(admin.ModelAdmin):
    """Adding here does what the staff page of the child does: a token and the e-mail."""

    list_display = ["email", "child", "created_at", "expires_at", "accepted_at"]
    list_filter = ["accepted_at"]
    search_fields = ["email", "child__first_name", "child__last_name"]
    readonly_fields = [
        "email",
        "child",
        "token",
        "created_at",
        "accepted_at",
        "accepted_by",
        "invited_by",
    ]
    autocomplete_fields = ["child"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = InvitationAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        return ["email", "child"] if obj is None else super().get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = services.invitation_create(
            child=obj.child, email=obj.email, invited_by=request.user
        )
        obj.pk, obj.token, obj.invited_by = created.pk, created.token, created.invited_by
