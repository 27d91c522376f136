"""Create a personal API token for a user and print it once (it is never stored in clear)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for the user with this e-mail address and print it once."

    def add_arguments(self, parser):
        parser.add_argument("email", help="e-mail address of the user the token acts as")
        parser.add_argument("--name", default="cli", help='what will use the token (default "cli")')

    def handle(self, *args, email: str, name: str, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user has the e-mail address {email!r}.")
        if not user.is_active:
            raise CommandError(f"The account {user.email} is inactive.")
        try:
            token, plaintext = api_token_create(user=user, name=name)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write(
            f"Token {token.name!r} created for {user.email}. Copy it now: it will not be shown again."
        )
        self.stdout.write(plaintext)
