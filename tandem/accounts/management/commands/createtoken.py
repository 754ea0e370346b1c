"""`tandem createtoken USER [--name N] [--expires-days D]`: issue a personal API token.

The raw token is printed once, on its own line, so a script can capture it; only its
hash is stored, so it cannot be shown again.
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tandem.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue a personal API token for USER and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", metavar="USER", help="The username the token acts as.")
        parser.add_argument("--name", default="Command line", help="What the token is for.")
        parser.add_argument(
            "--expires-days",
            type=int,
            default=None,
            metavar="D",
            help="Expire the token after D days (default: never).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username, name, days = options["username"], options["name"].strip(), options["expires_days"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; its tokens would not work.")
        if not name:
            raise CommandError("--name must not be empty.")
        if len(name) > 100:  # ApiToken.name's max_length
            raise CommandError("--name is too long (at most 100 characters).")
        if days is not None and not 1 <= days <= 3650:
            raise CommandError("--expires-days must be between 1 and 3650.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        _, raw = ApiToken.issue(user=user, name=name, expires_at=expires_at)
        if options["verbosity"] >= 1:
            until = f"until {expires_at:%Y-%m-%d %H:%M} UTC" if expires_at else "with no expiry"
            self.stderr.write(
                f"Token “{name}” for {username}, valid {until}. It is shown only this once:"
            )
        self.stdout.write(raw)
