"""Create a personal API token for a user and print it once."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from congdoan.accounts.models import User
from congdoan.accounts.services import create_token


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (only a hash is stored)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']}")
        _token, secret = create_token(user, options["name"])
        self.stdout.write(secret)
