"""Re-encrypt every stored two-factor secret under the current key (issue 19, finding 10).

Run after setting a new ``MFA_SECRETS_KEY`` (with the old one in ``MFA_SECRETS_KEY_FALLBACKS``),
or after rotating ``SECRET_KEY`` while ``MFA_SECRETS_KEY`` is unset; once it has run, the old
key can be removed from the fallbacks. Idempotent; one transaction; prints counts, never
secrets. docs/deployment.md, "Rotating keys".
"""

from allauth.mfa.models import Authenticator
from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.mfa_adapter import rotate

FIELDS = {"secret", "seed"}  # TOTP secret, recovery-code seed


class Command(BaseCommand):
    help = "Re-encrypt every stored two-factor secret under the current key."

    def handle(self, *args, **options):
        done = 0
        unreadable = []
        with transaction.atomic():
            for authenticator in Authenticator.objects.select_for_update().order_by("pk"):
                data = dict(authenticator.data)
                try:
                    for field in FIELDS & data.keys():
                        data[field] = rotate(data[field])
                    if "migrated_codes" in data:
                        data["migrated_codes"] = [rotate(code) for code in data["migrated_codes"]]
                except InvalidToken:
                    unreadable.append(authenticator.pk)
                    continue
                if data != authenticator.data:
                    authenticator.data = data
                    authenticator.save(update_fields=["data"])
                    done += 1
            if unreadable:
                raise CommandError(
                    f"{len(unreadable)} authenticator(s) cannot be decrypted with the configured "
                    "keys (ids: " + ", ".join(map(str, unreadable)) + "). Nothing was changed: "
                    "put the old key back in MFA_SECRETS_KEY_FALLBACKS or SECRET_KEY_FALLBACKS."
                )
        self.stdout.write(f"Re-encrypted {done} two-factor secret(s) under the current key.")
