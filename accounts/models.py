from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.ids import new_code


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        # BaseUserManager is generic in the stubs only: its model is not known to be a User.
        user.set_password(password)  # type: ignore[attr-defined]
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in: a parent, a staff member or an administrator.

    E-mail is the login (R23). The contact details are kept for the care contract and the
    customer relation, and the person sees and corrects them (R15).
    """

    username = None  # type: ignore[assignment]  # Django's documented way to drop the field
    email = models.EmailField(_("e-mail address"), unique=True)
    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    phone = models.CharField(_("phone number"), max_length=32, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=16, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    # R25: the person's own language, for pages (from the next login, and at once in the
    # session where it is chosen) and for every e-mail sent to them. Dutch unless they chose.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the portal and of the e-mails we send you."),
    )
    # Keyed hashes of the browsers this person logged in from (accounts/security.py): a login
    # from any other is logged as a new device. No user agent is stored in the clear.
    known_devices = models.JSONField(default=list, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    # The stubs expect contrib.auth's UserManager; ours keys on the e-mail address.
    objects = UserManager()  # type: ignore[assignment, misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def display_name(self):
        return self.get_full_name() or self.email
