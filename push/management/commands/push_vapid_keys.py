from django.core.management.base import BaseCommand

from push.vapid import generate_pair


class Command(BaseCommand):
    help = "Print a new VAPID key pair for web push, as environment variables."

    def handle(self, *args, **options):
        public, private = generate_pair()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"VAPID_PRIVATE_KEY={private}")
        self.stdout.write("VAPID_SUBJECT=mailto:beheer@example.org")
        self.stderr.write(
            "Keep the private key secret. Changing the pair later ends every subscription: "
            "parents must turn push on again."
        )
